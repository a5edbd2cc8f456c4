package io.relais.engine.registry;

import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.engine.evaluation.CompiledRuleset;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One stored version of a ruleset: its files as uploaded, compiled, with its warnings. */
public record RulesetVersion(
    String name,
    int version,
    Map<String, String> files,
    List<Diagnostic> warnings,
    Instant createdAt,
    String createdBy,
    CompiledRuleset compiled) {

  public RulesetVersion {
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    warnings = List.copyOf(warnings);
  }
}
