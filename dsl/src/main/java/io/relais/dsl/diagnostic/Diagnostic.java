package io.relais.dsl.diagnostic;

import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import java.util.Objects;
import java.util.Optional;

/**
 * One problem found in rule text.
 *
 * @param code a stable identifier (for example {@code unknown-field}) that tests, tools and
 *     documentation can rely on while the wording of {@code message} improves
 * @param suggestion the replacement the author most likely meant, if any
 */
public record Diagnostic(
    Severity severity, String code, String message, SourceSpan span, Optional<String> suggestion) {

  public Diagnostic {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(span, "span");
    suggestion = suggestion == null ? Optional.empty() : suggestion;
  }

  public static Diagnostic error(String code, SourceSpan span, String message) {
    return new Diagnostic(Severity.ERROR, code, message, span, Optional.empty());
  }

  public static Diagnostic warning(String code, SourceSpan span, String message) {
    return new Diagnostic(Severity.WARNING, code, message, span, Optional.empty());
  }

  /** The same diagnostic with a "did you mean" suggestion. */
  public Diagnostic withSuggestion(String suggested) {
    return new Diagnostic(severity, code, message, span, Optional.ofNullable(suggested));
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code file:line:column: error: message — did you mean X?} on one line. */
  public String render() {
    String text = span.position() + ": " + severity.label() + ": " + message;
    return suggestion.map(s -> text + " — did you mean " + s + "?").orElse(text);
  }

  /** {@link #render()} followed by the source line and a caret under the column. */
  public String renderWithSource(Source source) {
    String line = source.line(span.line());
    if (line.isEmpty() || span.column() < 1) {
      return render();
    }
    StringBuilder caret = new StringBuilder();
    for (int i = 1; i < span.column() && i <= line.length(); i++) {
      caret.append(line.charAt(i - 1) == '\t' ? '\t' : ' ');
    }
    caret.append('^');
    return render() + "\n  " + line + "\n  " + caret;
  }

  @Override
  public String toString() {
    return render();
  }
}
