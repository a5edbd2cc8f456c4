package io.relais.dsl.language;

import io.relais.dsl.check.Analysis;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.parser.ParseResult;
import io.relais.dsl.source.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of one ruleset at one moment and what the checker made of them, together: every
 * answer of the language service is computed from one snapshot. Immutable.
 */
public final class Snapshot {

  private final String name;
  private final Map<String, FileState> files;
  private final Analysis analysis;
  private final Map<String, List<Diagnostic>> byFile;
  private Declarations declarations;

  Snapshot(String name, Map<String, FileState> files, Analysis analysis) {
    this.name = name;
    this.files = files;
    this.analysis = analysis;
    Map<String, List<Diagnostic>> grouped = new LinkedHashMap<>();
    files.keySet().forEach(f -> grouped.put(f, new ArrayList<>()));
    for (Diagnostic d : analysis.result().diagnostics()) {
      grouped.computeIfAbsent(d.span().file(), f -> new ArrayList<>()).add(d);
    }
    grouped.replaceAll((f, list) -> List.copyOf(list));
    this.byFile = grouped;
  }

  /** The ruleset's name unless a file says {@code ruleset "name"}. */
  public String name() {
    return name;
  }

  /** What the checker found: the result with every diagnostic, the vocabulary, the tables. */
  public Analysis analysis() {
    return analysis;
  }

  /** Every diagnostic, sorted by file, line and column (as {@code ./relais check} prints them). */
  public List<Diagnostic> diagnostics() {
    return analysis.result().diagnostics();
  }

  /** The diagnostics of each file, every file of the ruleset a key (an empty list if clean). */
  public Map<String, List<Diagnostic>> diagnosticsByFile() {
    return byFile;
  }

  /** The diagnostics of one file. */
  public List<Diagnostic> diagnostics(String file) {
    return byFile.getOrDefault(file, List.of());
  }

  /** The files, sorted by name. */
  public List<Source> sources() {
    return files.values().stream().map(FileState::source).toList();
  }

  public Optional<Source> source(String file) {
    return Optional.ofNullable(files.get(file)).map(FileState::source);
  }

  /** The parse of a rule file. */
  public Optional<ParseResult> parsed(String file) {
    return Optional.ofNullable(files.get(file)).map(FileState::parsed);
  }

  Optional<FileState> file(String file) {
    return Optional.ofNullable(files.get(file));
  }

  /** The names the files declare and use. */
  synchronized Declarations declarations() {
    if (declarations == null) {
      declarations = Declarations.of(files.values());
    }
    return declarations;
  }
}
