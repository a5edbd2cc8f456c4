package io.relais.features.driver;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.RulesetSources;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A ruleset as a scenario names it: its files by name (every file of a folder that the
 * service accepts, not only {@code .rules}: decision tables travel with their rules), and the
 * result of checking them, which gives its name and time zone.
 */
public record RulesetFiles(String name, Map<String, String> files, CheckedRuleset checked) {

  /** The file kinds a ruleset folder may hold ({@code .rules}, and {@code .dmn} decision tables). */
  static final List<String> EXTENSIONS = List.of(RuleLanguage.EXTENSION, ".dmn");

  public RulesetFiles {
    files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }

  /** A folder of {@code rules/}, checked the way {@code ./relais check} checks it. */
  public static RulesetFiles folder(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new AssertionError("There is no ruleset folder " + folder.toAbsolutePath().normalize()
          + ". The sample rulesets are: " + siblings(folder.getParent()));
    }
    try {
      RulesetSources sources = RuleLanguage.load(folder);
      Map<String, String> files = new LinkedHashMap<>();
      try (Stream<Path> list = Files.list(folder)) {
        for (Path file : list.filter(Files::isRegularFile)
            .filter(f -> EXTENSIONS.stream().anyMatch(f.getFileName().toString()::endsWith))
            .sorted(Comparator.comparing(f -> f.getFileName().toString())).toList()) {
          files.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        }
      }
      return new RulesetFiles(sources.name(), files, checked(RuleLanguage.check(sources)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rule text written in the scenario, in one file named after the ruleset. */
  public static RulesetFiles inline(String text) {
    String file = "scenario.rules";
    CheckedRuleset checked = checked(RuleLanguage.check("scenario", List.of(new Source(file, text))));
    return new RulesetFiles(checked.name(), Map.of(file, text), checked);
  }

  private static CheckedRuleset checked(CheckResult result) {
    if (result.ruleset().isEmpty()) {
      throw new AssertionError("The ruleset has errors:\n" + result.diagnostics().stream()
          .map(Diagnostic::render).collect(Collectors.joining("\n")));
    }
    return result.ruleset().get();
  }

  private static String siblings(Path rules) {
    if (rules == null || !Files.isDirectory(rules)) {
      return "(none found)";
    }
    try (Stream<Path> list = Files.list(rules)) {
      return list.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("src") && !n.equals("target")).sorted().collect(Collectors.joining(", "));
    } catch (IOException e) {
      return "(unreadable)";
    }
  }
}
