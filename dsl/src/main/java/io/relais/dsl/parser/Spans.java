package io.relais.dsl.parser;

import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Turns ANTLR positions into {@link SourceSpan}s, once: ANTLR counts code points from 0, spans
 * count UTF-16 units from 1 (as editors do).
 */
final class Spans {

  private final String file;
  private final String text;
  /** UTF-16 index of each line start; line {@code n} starts at {@code lineStarts[n - 1]}. */
  private final int[] lineStarts;
  /** Code point index to UTF-16 index, or null when the text has no surrogate pairs. */
  private final int[] utf16;

  Spans(Source source) {
    this.file = source.name();
    this.text = source.text();
    int lines = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines++;
      }
    }
    lineStarts = new int[lines];
    int line = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lineStarts[line++] = i + 1;
      }
    }
    int codePoints = text.codePointCount(0, text.length());
    if (codePoints == text.length()) {
      utf16 = null;
    } else {
      utf16 = new int[codePoints + 1];
      int u = 0;
      for (int cp = 0; cp < codePoints; cp++) {
        utf16[cp] = u;
        u += Character.charCount(text.codePointAt(u));
      }
      utf16[codePoints] = u;
    }
  }

  String file() {
    return file;
  }

  private int toUtf16(int codePointIndex) {
    if (utf16 == null) {
      return Math.min(codePointIndex, text.length());
    }
    return utf16[Math.max(0, Math.min(codePointIndex, utf16.length - 1))];
  }

  /** The line of the last lookup: spans are asked for in text order, mostly on one line. */
  private int lastLine;

  private int lineOf(int utf16Index) {
    int last = lastLine;
    if (lineStarts[last] <= utf16Index
        && (last + 1 == lineStarts.length || utf16Index < lineStarts[last + 1])) {
      return last + 1;
    }
    int low = 0;
    int high = lineStarts.length - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (lineStarts[mid] <= utf16Index) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    lastLine = low;
    return low + 1;
  }

  private SourceSpan between(int startUtf16, int endUtf16) {
    int line = lineOf(startUtf16);
    int endLine = lineOf(endUtf16);
    return new SourceSpan(
        file,
        line,
        startUtf16 - lineStarts[line - 1] + 1,
        endLine,
        endUtf16 - lineStarts[endLine - 1] + 1);
  }

  /** UTF-16 index where {@code token} starts. */
  int startOf(Token token) {
    return toUtf16(token.getStartIndex());
  }

  /** UTF-16 index just past {@code token}; tokens with no text (EOF) end where they start. */
  int endOf(Token token) {
    if (token.getType() == Token.EOF || token.getStopIndex() < token.getStartIndex()) {
      return startOf(token);
    }
    return toUtf16(token.getStopIndex() + 1);
  }

  SourceSpan of(Token token) {
    return between(startOf(token), endOf(token));
  }

  SourceSpan of(Token start, Token stop) {
    if (stop == null || stop.getTokenIndex() < start.getTokenIndex()) {
      return between(startOf(start), startOf(start));
    }
    return between(startOf(start), endOf(stop));
  }

  SourceSpan of(ParserRuleContext ctx) {
    return of(ctx.getStart(), ctx.getStop());
  }

  /** The zero-width span just past {@code token}. */
  SourceSpan after(Token token) {
    return between(endOf(token), endOf(token));
  }

  /** A span inside a one-line token, {@code from}/{@code to} being UTF-16 offsets in its text. */
  SourceSpan inside(Token token, int from, int to) {
    int start = startOf(token);
    return between(start + from, start + to);
  }

  /** The span of the whole text. */
  SourceSpan whole() {
    return between(0, text.length());
  }
}
