package io.relais.dsl.parser;

import io.relais.dsl.Names;
import io.relais.dsl.diagnostic.Diagnostic;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.BitSet;
import java.util.List;
import org.antlr.v4.runtime.Token;

/**
 * Problems inside single tokens (strings, dates, numbers), found once after lexing so they are
 * reported wherever the token sits, even in an item that fails to parse.
 */
final class TokenChecks {

  /** Longer numbers mean nothing to a marketer and cost quadratic time to convert. */
  static final int MAX_NUMBER_LENGTH = 30;

  private final Spans spans;
  private final List<Diagnostic> diagnostics;
  /** Indexes of tokens with a problem: an item holding one is left out of the tree. */
  private final BitSet bad = new BitSet();

  TokenChecks(Spans spans, List<Diagnostic> diagnostics) {
    this.spans = spans;
    this.diagnostics = diagnostics;
  }

  BitSet bad() {
    return bad;
  }

  void check(List<Token> tokens) {
    for (Token token : tokens) {
      switch (token.getType()) {
        case RelaisLexer.STRING -> checkEscapes(token, token.getText().length() - 1);
        case RelaisLexer.UNTERMINATED_STRING -> {
          report(token, Diagnostic.error("unterminated-string", spans.of(token),
              "unterminated string: a string ends on its own line"));
          checkEscapes(token, token.getText().length());
        }
        case RelaisLexer.DATE -> checkDate(token);
        case RelaisLexer.NUMBER -> {
          if (token.getText().length() > MAX_NUMBER_LENGTH) {
            report(token, Diagnostic.error("bad-number", spans.of(token),
                "`" + Names.shortened(token.getText()) + "` is too long for a number (at most "
                    + MAX_NUMBER_LENGTH + " characters)"));
          }
        }
        case RelaisLexer.BAD_NUMBER -> report(token, Diagnostic.error("bad-number",
            spans.of(token), "`" + Names.shortened(token.getText()) + "` is not a number"
                + unitHint(token.getText())));
        default -> { }
      }
    }
  }

  /** {@code 7days}: the author forgot the space before the unit. */
  private static String unitHint(String text) {
    String letters = text.replaceFirst("^[0-9.]+", "").toLowerCase(java.util.Locale.ROOT);
    return switch (letters) {
      case "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "points" ->
          ": put a space before `" + letters + "`";
      default -> "";
    };
  }

  private void checkEscapes(Token token, int end) {
    String text = token.getText();
    int i = 1;
    while (i < end) {
      if (text.charAt(i) != '\\' || i + 1 >= end) {
        i++;
        continue;
      }
      char next = text.charAt(i + 1);
      switch (next) {
        case 'n', 't', '"', '\\' -> i += 2;
        case 'u' -> {
          if (Strings.isUnicodeEscape(text, i, end)) {
            i += 6;
          } else {
            String written = text.substring(i, Math.min(end, i + 6));
            report(token, Diagnostic.error("bad-escape", spans.inside(token, i, i + 2),
                "bad escape " + written + " in string: \\u needs four hex digits, like \\u00e9"));
            i += 2;
          }
        }
        default -> {
          String written = text.substring(i, i + 1 + Character.charCount(text.codePointAt(i + 1)));
          report(token, Diagnostic.error("bad-escape",
              spans.inside(token, i, i + written.length()),
              "unknown escape " + written + " in string: use \\\", \\\\, \\n, \\t or \\uXXXX"));
          i += written.length();
        }
      }
    }
  }

  private void checkDate(Token token) {
    if (parseDate(token.getText()) == null) {
      report(token, Diagnostic.error("bad-date", spans.of(token),
          token.getText() + " is not a date"));
    }
  }

  /** The date a {@code DATE} token spells, or null when there is no such day. */
  static LocalDate parseDate(String text) {
    try {
      return LocalDate.of(
          Integer.parseInt(text.substring(0, 4)),
          Integer.parseInt(text.substring(5, 7)),
          Integer.parseInt(text.substring(8, 10)));
    } catch (DateTimeException | NumberFormatException | IndexOutOfBoundsException e) {
      return null;
    }
  }

  private void report(Token token, Diagnostic diagnostic) {
    bad.set(token.getTokenIndex());
    diagnostics.add(diagnostic);
  }
}
