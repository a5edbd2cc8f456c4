package io.relais.engine.testing;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.RulesetSources;
import io.relais.dsl.source.Source;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The sample rulesets of rules/ (some with DMN files), as the registry stores them. */
public final class SampleRulesets {

  private SampleRulesets() {}

  /** Each sample ruleset's name to its files (file name to text), by name. */
  public static Map<String, Map<String, String>> all() {
    Map<String, Map<String, String>> samples = new LinkedHashMap<>();
    try (Stream<Path> folders = Files.list(Path.of("..", "rules"))) {
      for (Path folder : folders.filter(f -> !f.getFileName().toString().equals("src"))
          .filter(Files::isDirectory).sorted().toList()) {
        RulesetSources ruleset = RuleLanguage.load(folder);
        Map<String, String> files = new LinkedHashMap<>();
        for (Source source : ruleset.sources()) {
          files.put(source.name(), source.text());
        }
        samples.put(ruleset.name(), files);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return samples;
  }
}
