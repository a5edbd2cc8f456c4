package io.relais.api.language;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.relais.api.rulesets.DiagnosticJson;
import io.relais.dsl.language.Completion;
import io.relais.dsl.language.Hover;
import io.relais.dsl.language.Symbol;
import io.relais.dsl.language.TextEdit;
import io.relais.dsl.source.SourceSpan;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bodies of {@code /api/v1/language/...} (docs/api.md, "Language service"). Positions are
 * those of diagnostics: lines and columns from 1, columns in UTF-16 code units.
 */
public final class LanguageJson {

  private LanguageJson() {}

  /** The files of the ruleset being edited, and the file and position asked about. */
  public record Request(
      @Schema(description = "file name to text: the ruleset's .rules and .dmn files") Map<String, String> files,
      @Schema(description = "the .rules file asked about (all but diagnostics)") String file,
      @Schema(description = "1-based line (completion, hover, definition)") Integer line,
      @Schema(description = "1-based column in UTF-16 code units (completion, hover, definition)") Integer column) {}

  /** A stretch of one file, ends exclusive. */
  public record Range(int line, int column, int endLine, int endColumn) {
    static Range of(SourceSpan span) {
      return new Range(span.line(), span.column(), span.endLine(), span.endColumn());
    }
  }

  /** A stretch of a named file. */
  public record Location(String file, int line, int column, int endLine, int endColumn) {
    static Location of(SourceSpan span) {
      return new Location(span.file(), span.line(), span.column(), span.endLine(), span.endColumn());
    }
  }

  /** Every diagnostic of the files, and whether none is an error. */
  public record Diagnostics(
      @Schema(description = "true when no diagnostic is an error") boolean valid,
      List<DiagnosticJson> diagnostics) {}

  /** One completion: insert {@code insertText} in place of {@code replace}. */
  public record Item(
      String label,
      @Schema(description = "keyword, field, attribute, event-type, constant, stage, type, channel, campaign,"
          + " tier, reward, table, decision, input, tag, segment, message, file or timezone") String kind,
      @Schema(description = "its type, or a keyword's form") String detail,
      @Schema(description = "one line of documentation") String documentation,
      String insertText,
      @Schema(description = "the text the completion replaces: the word being typed") Range replace) {

    static Item of(Completion c) {
      return new Item(c.label(), kindName(c.kind()), c.detail(), c.documentation(), c.insertText(),
          Range.of(c.replace()));
    }
  }

  /** What may be written at the position. */
  public record Completions(@Schema(description = "not filtered by what is typed: clients filter") List<Item> items) {}

  /** What the word at the position is; both members absent when it names nothing known. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HoverAnswer(@Schema(description = "Markdown") String contents, Range range) {
    static HoverAnswer of(Hover hover) {
      return new HoverAnswer(hover.markdown(), Range.of(hover.range()));
    }
  }

  /** Where the name at the position is declared. */
  public record Definitions(@Schema(description = "where the name is declared; empty for built-in names") List<Location> locations) {}

  /** An item of a file's outline. */
  public record SymbolJson(
      String name,
      @Schema(description = "header, attribute, event-type, field, constant, campaign, step, tier, reward,"
          + " table, input or rule") String kind,
      String detail, Range range, Range selection, List<SymbolJson> children) {

    static SymbolJson of(Symbol s) {
      return new SymbolJson(s.name(), kindName(s.kind()), s.detail(), Range.of(s.range()),
          Range.of(s.selection()), s.children().stream().map(SymbolJson::of).toList());
    }
  }

  /** The outline of the file. */
  public record Symbols(List<SymbolJson> symbols) {}

  /** Replace {@code range} with {@code newText}. */
  public record Edit(Range range, String newText) {
    static Edit of(TextEdit e) {
      return new Edit(Range.of(e.range()), e.newText());
    }
  }

  /** The edits to the canonical layout. */
  public record Formatting(
      @Schema(description = "none when the file is canonical already or has syntax errors") List<Edit> edits) {}

  private static String kindName(Enum<?> kind) {
    return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
