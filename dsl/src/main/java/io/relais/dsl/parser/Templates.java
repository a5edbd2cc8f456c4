package io.relais.dsl.parser;

import io.relais.dsl.Names;
import io.relais.dsl.ast.Template;
import io.relais.dsl.diagnostic.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.Token;

/** Splits a message string into text and {@code {{name|fallback}}} placeholders. */
final class Templates {

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** {@code {{decision 'Grade' of 'Lead fit'|fallback}}} (docs/language.md ("Decision tables")). */
  private static final Pattern DECISION = Pattern.compile(
      "\\s*decision\\s+'([^']*)'\\s+of\\s+'([^']*)'\\s*(?:\\|(.*))?", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private Templates() {}

  /** The template of a string token; malformed placeholders are added to {@code diagnostics}. */
  static Template parse(Token token, Spans spans, List<Diagnostic> diagnostics) {
    Strings.Unescaped string =
        Strings.unescape(token.getText(), token.getType() == RelaisLexer.STRING);
    String value = string.value();
    int[] at = string.offsets();
    List<Template.Part> parts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      if (!value.startsWith("{{", i)) {
        text.append(value.charAt(i++));
        continue;
      }
      int close = value.indexOf("}}", i + 2);
      if (close < 0) {
        diagnostics.add(Diagnostic.error("bad-template", spans.inside(token, at[i], at[i + 2]),
            "unclosed placeholder: `{{` needs a matching `}}`"));
        text.append(value, i, value.length());
        break;
      }
      var span = spans.inside(token, at[i], at[close + 2]);
      String inner = value.substring(i + 2, close);
      var decision = DECISION.matcher(inner);
      if (decision.matches()) {
        if (!text.isEmpty()) {
          parts.add(new Template.Text(text.toString()));
          text.setLength(0);
        }
        parts.add(new Template.DecisionPlaceholder(decision.group(1), decision.group(2),
            Optional.ofNullable(decision.group(3)), span));
        i = close + 2;
        continue;
      }
      int bar = inner.indexOf('|');
      String name = (bar < 0 ? inner : inner.substring(0, bar)).strip();
      Optional<String> fallback = bar < 0 ? Optional.empty() : Optional.of(inner.substring(bar + 1));
      List<String> path = List.of(name.split("\\.", -1));
      if (name.isEmpty()) {
        diagnostics.add(Diagnostic.error("bad-template", span,
            "empty placeholder: write a name between `{{` and `}}`, like {{contact.firstName}}"));
      } else if (!path.stream().allMatch(s -> SEGMENT.matcher(s).matches())) {
        diagnostics.add(Diagnostic.error("bad-template", span,
            "`" + Names.shortened(name) + "` is not a name: a placeholder holds a name like"
                + " contact.firstName, then an optional `|fallback`"));
      }
      if (!text.isEmpty()) {
        parts.add(new Template.Text(text.toString()));
        text.setLength(0);
      }
      parts.add(new Template.Placeholder(path, fallback, span));
      i = close + 2;
    }
    if (!text.isEmpty()) {
      parts.add(new Template.Text(text.toString()));
    }
    return new Template(value, parts, spans.of(token));
  }
}
