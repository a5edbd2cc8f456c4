package io.relais.dsl;

import io.relais.dsl.source.Source;
import java.util.List;

/**
 * The files of one ruleset as loaded from disk, and the name it gets unless a file says
 * {@code ruleset "name"}.
 */
public record RulesetSources(String name, List<Source> sources) {

  public RulesetSources {
    sources = List.copyOf(sources);
  }
}
