package io.relais.dsl.lsp;

import io.relais.dsl.diagnostic.Severity;
import io.relais.dsl.language.Completion;
import io.relais.dsl.language.Symbol;
import io.relais.dsl.source.SourceSpan;
import java.util.List;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.SymbolKind;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/**
 * Between the language service and LSP. Positions are converted here and only here: both count
 * columns in UTF-16 code units (the encoding LSP uses unless a client negotiates another, and
 * the server offers no other); the language counts lines and columns from 1, LSP from 0.
 */
final class Convert {

  private Convert() {}

  /** An LSP position as the language counts it. */
  static io.relais.dsl.language.Position position(Position p) {
    return new io.relais.dsl.language.Position(Math.max(0, p.getLine()) + 1,
        Math.max(0, p.getCharacter()) + 1);
  }

  /** A span as an LSP range; a position-less span (a whole-ruleset remark) is the file's start. */
  static Range range(SourceSpan span) {
    return new Range(new Position(Math.max(0, span.line() - 1), Math.max(0, span.column() - 1)),
        new Position(Math.max(0, span.endLine() - 1), Math.max(0, span.endColumn() - 1)));
  }

  /** An LSP range as a span of {@code file}. */
  static SourceSpan span(String file, Range range) {
    io.relais.dsl.language.Position start = position(range.getStart());
    io.relais.dsl.language.Position end = position(range.getEnd());
    return new SourceSpan(file, start.line(), start.column(), end.line(), end.column());
  }

  /** A diagnostic: message with its "did you mean", its stable code, the suggestion as data. */
  static Diagnostic diagnostic(io.relais.dsl.diagnostic.Diagnostic d) {
    String message = d.suggestion().map(s -> d.message() + " — did you mean " + s + "?")
        .orElse(d.message());
    Diagnostic lsp = new Diagnostic(range(d.span()), message,
        d.severity() == Severity.ERROR ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
        "relais", d.code());
    d.suggestion().ifPresent(lsp::setData);
    return lsp;
  }

  static CompletionItem completion(Completion c) {
    CompletionItem item = new CompletionItem(c.label());
    item.setKind(kind(c.kind()));
    item.setDetail(c.detail());
    if (!c.documentation().isEmpty()) {
      item.setDocumentation(new MarkupContent(MarkupKind.PLAINTEXT, c.documentation()));
    }
    item.setTextEdit(Either.forLeft(new TextEdit(range(c.replace()), c.insertText())));
    // Clients filter on the replaced text; a quoted name is filtered without its quote.
    item.setFilterText(c.label());
    return item;
  }

  private static CompletionItemKind kind(Completion.Kind kind) {
    return switch (kind) {
      case KEYWORD -> CompletionItemKind.Keyword;
      case FIELD -> CompletionItemKind.Field;
      case ATTRIBUTE -> CompletionItemKind.Property;
      case EVENT_TYPE -> CompletionItemKind.Class;
      case CONSTANT -> CompletionItemKind.Constant;
      case STAGE, CHANNEL -> CompletionItemKind.EnumMember;
      case TYPE -> CompletionItemKind.TypeParameter;
      case CAMPAIGN, TIER, REWARD, TABLE -> CompletionItemKind.Reference;
      case DECISION -> CompletionItemKind.Function;
      case INPUT -> CompletionItemKind.Variable;
      case TAG, SEGMENT, TIMEZONE -> CompletionItemKind.Value;
      case MESSAGE -> CompletionItemKind.Text;
      case FILE -> CompletionItemKind.File;
    };
  }

  static DocumentSymbol symbol(Symbol s) {
    DocumentSymbol symbol = new DocumentSymbol(s.name(), kind(s.kind()), range(s.range()),
        range(s.selection()), s.detail());
    List<DocumentSymbol> children = s.children().stream().map(Convert::symbol).toList();
    symbol.setChildren(children);
    return symbol;
  }

  private static SymbolKind kind(Symbol.Kind kind) {
    return switch (kind) {
      case HEADER -> SymbolKind.Property;
      case ATTRIBUTE, FIELD -> SymbolKind.Field;
      case EVENT_TYPE -> SymbolKind.Class;
      case CONSTANT -> SymbolKind.Constant;
      case CAMPAIGN -> SymbolKind.Module;
      case STEP -> SymbolKind.Event;
      case TIER, REWARD -> SymbolKind.EnumMember;
      case TABLE -> SymbolKind.Struct;
      case INPUT -> SymbolKind.Variable;
      case RULE -> SymbolKind.Function;
    };
  }

  static TextEdit edit(io.relais.dsl.language.TextEdit e) {
    return new TextEdit(range(e.range()), e.newText());
  }

  static MarkupContent markdown(String text) {
    return new MarkupContent(MarkupKind.MARKDOWN, text);
  }
}
