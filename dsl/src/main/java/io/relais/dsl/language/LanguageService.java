package io.relais.dsl.language;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.Analysis;
import io.relais.dsl.check.DecisionModels;
import io.relais.dsl.parser.CursorContext;
import io.relais.dsl.parser.ParseResult;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rule language's answers for editors (docs/editors.md), each from a {@link Snapshot} of a
 * ruleset's files: diagnostics (those of {@code ./relais check}), completion, hover, go to
 * definition, document symbols, formatting and quick fixes. Thread-safe and without protocol
 * types: the LSP server and the REST API translate.
 */
public final class LanguageService {

  private final Optional<DecisionModels> models;

  /**
   * A service that reads DMN files with {@code models}: the engine's, or none (a ruleset with
   * tables then reports that they need the engine, as the checker does without it).
   */
  public LanguageService(Optional<DecisionModels> models) {
    this.models = models.map(DecisionModelCache::new);
  }

  /** An empty ruleset to edit, named {@code name} unless a file says otherwise. */
  public RulesetFiles ruleset(String name) {
    return new RulesetFiles(name, this);
  }

  /** A snapshot of files given whole (file name to text), as the REST API receives them. */
  public Snapshot snapshot(String name, Map<String, String> files) {
    List<FileState> states = new ArrayList<>();
    new TreeMap<>(files).forEach((file, text) -> states.add(new FileState(new Source(file, text))));
    return analyse(name, states);
  }

  Snapshot analyse(String name, Collection<FileState> files) {
    Map<String, FileState> byName = new LinkedHashMap<>();
    List<ParseResult> parsed = new ArrayList<>();
    List<Source> dmn = new ArrayList<>();
    for (FileState file : files) {
      byName.put(file.source().name(), file);
      if (file.isDmn()) {
        dmn.add(file.source());
      } else {
        parsed.add(file.parsed());
      }
    }
    Analysis analysis = RuleLanguage.analyze(name, parsed, dmn, models);
    return new Snapshot(name, byName, analysis);
  }

  /** What may be written at {@code position} of {@code file}; empty for an unknown file. */
  public List<Completion> completion(Snapshot snapshot, String file, Position position) {
    return at(snapshot, file, position).map(c -> new Completions(snapshot, c).all())
        .orElse(List.of());
  }

  /** What the word at {@code position} is, if anything. */
  public Optional<Hover> hover(Snapshot snapshot, String file, Position position) {
    return word(snapshot, file, position).flatMap(c -> new Hovers(snapshot, c).hover());
  }

  /** Where the name at {@code position} is declared (a campaign, a define, a DMN decision...). */
  public List<SourceSpan> definition(Snapshot snapshot, String file, Position position) {
    return word(snapshot, file, position).map(c -> new Definitions(snapshot, c).find())
        .orElse(List.of());
  }

  /** The outline of a rule file: its items, with campaign steps, table inputs, event fields. */
  public List<Symbol> symbols(Snapshot snapshot, String file) {
    return snapshot.parsed(file).map(Symbols::of).orElse(List.of());
  }

  /**
   * The edits that put a rule file in canonical layout (docs/language.md, "The command line"):
   * none when it already is, or when it has syntax errors (the formatter needs the whole tree).
   */
  public List<TextEdit> format(Snapshot snapshot, String file) {
    return snapshot.file(file).map(Formatting::edits).orElse(List.of());
  }

  /** The "did you mean" fixes of the diagnostics of {@code file} that touch {@code range}. */
  public List<QuickFix> fixes(Snapshot snapshot, String file, SourceSpan range) {
    return QuickFixes.of(snapshot.diagnostics(file), range);
  }

  private static Optional<Cursor> at(Snapshot snapshot, String file, Position position) {
    return snapshot.file(file).filter(f -> !f.isDmn()).map(f -> {
      int offset = f.lines().offset(position);
      return new Cursor(f, offset, CursorContext.at(f.source(), offset));
    });
  }

  /**
   * The context of the word at {@code position}: the token the position is on, seen from
   * just after the position (the context is the same anywhere inside a word).
   */
  private static Optional<Cursor> word(Snapshot snapshot, String file, Position position) {
    return snapshot.file(file).filter(f -> !f.isDmn()).flatMap(f -> {
      int offset = f.lines().offset(position);
      int after = Math.min(offset + 1, f.source().text().length());
      CursorContext context = CursorContext.at(f.source(), after);
      return context.word().filter(w -> w.start() <= offset && offset < w.end())
          .map(w -> new Cursor(f, after, context));
    });
  }

  /** A position in a file and what the grammar says there. */
  record Cursor(FileState file, int offset, CursorContext context) {

    /** The span of the word being typed, or the empty span at the position. */
    SourceSpan wordSpan() {
      return context.word().map(w -> file.lines().span(w.start(), w.end()))
          .orElse(file.lines().span(offset, offset));
    }
  }
}
