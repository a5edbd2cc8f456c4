package io.relais.dsl;

import io.relais.dsl.ast.RuleFile;
import io.relais.dsl.check.Analysis;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.check.Checker;
import io.relais.dsl.check.Codes;
import io.relais.dsl.check.DecisionModels;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.parser.ParseResult;
import io.relais.dsl.parser.RulesParser;
import io.relais.dsl.source.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** The rule language in one call: load a ruleset's files, parse them and check them. */
public final class RuleLanguage {

  /** The extension of rule files. */
  public static final String EXTENSION = ".rules";

  /** The extension of DMN files, read by {@code table} declarations (docs/language.md ("Decision tables")). */
  public static final String DMN_EXTENSION = ".dmn";

  /**
   * Warnings about the ruleset as a whole ("never set", "never enrolled", "unreachable"):
   * an item that failed to parse is missing from the tree, so with syntax errors these
   * could be false alarms and are left out.
   */
  private static final Set<String> WHOLE_RULESET_WARNINGS = Set.of(
      Codes.TAG_NEVER_SET, Codes.CAMPAIGN_NEVER_ENROLLED, Codes.TIER_UNREACHABLE);

  private static final Comparator<Diagnostic> BY_POSITION = Comparator
      .comparing((Diagnostic d) -> d.span().file())
      .thenComparingInt(d -> d.span().line())
      .thenComparingInt(d -> d.span().column());

  private RuleLanguage() {}

  /**
   * Parses every source and checks them together, even when some have syntax errors, so that
   * authors see every problem at once; the diagnostics are sorted by file, line and column.
   * The ruleset is present iff there is no error. DMN files are read by the engine's
   * {@link DecisionModels} when it is on the class path.
   */
  public static CheckResult check(String defaultName, List<Source> sources) {
    List<ParseResult> parsed = new ArrayList<>();
    List<Source> dmnFiles = new ArrayList<>();
    for (Source source : sources) {
      if (isDmn(source.name())) {
        dmnFiles.add(source);
      } else {
        parsed.add(RulesParser.parse(source));
      }
    }
    return analyze(defaultName, parsed, dmnFiles, DecisionModels.installed()).result();
  }

  /**
   * {@link #check(String, List)} of files already parsed (an editor parses again only the file
   * that changed), reading DMN files with {@code models}, and keeping what an editor needs
   * besides the diagnostics.
   */
  public static Analysis analyze(String defaultName, List<ParseResult> parsed,
      List<Source> dmnFiles, Optional<DecisionModels> models) {
    List<RuleFile> files = new ArrayList<>();
    List<Diagnostic> diagnostics = new ArrayList<>();
    for (ParseResult p : parsed) {
      files.add(p.file());
      diagnostics.addAll(p.diagnostics());
    }
    boolean syntaxErrors = diagnostics.stream().anyMatch(Diagnostic::isError);
    Analysis analysis = Checker.analyze(defaultName, files, dmnFiles, models);
    CheckResult checked = analysis.result();
    for (Diagnostic d : checked.diagnostics()) {
      if (!(syntaxErrors && WHOLE_RULESET_WARNINGS.contains(d.code()))) {
        diagnostics.add(d);
      }
    }
    diagnostics.sort(BY_POSITION);
    return analysis.withResult(
        new CheckResult(syntaxErrors ? Optional.empty() : checked.ruleset(), diagnostics));
  }

  /** Whether a ruleset file is a DMN model rather than rule text. */
  public static boolean isDmn(String fileName) {
    return fileName.endsWith(DMN_EXTENSION);
  }

  /** {@link #check(String, List)} of what {@link #load(Path)} returned. */
  public static CheckResult check(RulesetSources ruleset) {
    return check(ruleset.name(), ruleset.sources());
  }

  /**
   * The {@code .rules} and {@code .dmn} files of a folder, sorted by file name, named after the folder; or one
   * file, named after the file without {@code .rules}. Sources are named by file name alone,
   * as diagnostics show them.
   */
  public static RulesetSources load(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      List<Path> files;
      try (Stream<Path> list = Files.list(path)) {
        files = list.filter(p -> p.getFileName().toString().endsWith(EXTENSION)
                || isDmn(p.getFileName().toString()))
            .filter(Files::isRegularFile)
            .sorted(Comparator.comparing(p -> p.getFileName().toString()))
            .toList();
      }
      List<Source> sources = new ArrayList<>();
      for (Path file : files) {
        sources.add(read(file));
      }
      return new RulesetSources(folderName(path), sources);
    }
    String name = path.getFileName().toString();
    String base = name.endsWith(EXTENSION) ? name.substring(0, name.length() - EXTENSION.length())
        : name;
    return new RulesetSources(base, List.of(read(path)));
  }

  private static String folderName(Path folder) {
    Path name = folder.toAbsolutePath().normalize().getFileName();
    return name == null ? "ruleset" : name.toString();
  }

  private static Source read(Path file) throws IOException {
    return new Source(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
  }
}
