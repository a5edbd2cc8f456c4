package io.relais.dsl.language;

import io.relais.dsl.source.SourceSpan;
import java.util.Arrays;

/** Offsets to spans and back for one text, by a table of line starts (built once). */
final class Lines {

  private final String file;
  private final String text;
  private final int[] starts;

  Lines(String file, String text) {
    this.file = file;
    this.text = text;
    int count = 1;
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      count++;
    }
    starts = new int[count];
    int line = 1;
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      starts[line++] = i + 1;
    }
  }

  /** The 1-based position of an offset. */
  Position position(int offset) {
    int at = Math.max(0, Math.min(offset, text.length()));
    int index = Arrays.binarySearch(starts, at);
    int line = index >= 0 ? index : -index - 2;
    return new Position(line + 1, at - starts[line] + 1);
  }

  /** The span from one offset to another. */
  SourceSpan span(int start, int end) {
    Position a = position(start);
    Position b = position(end);
    return new SourceSpan(file, a.line(), a.column(), b.line(), b.column());
  }

  /** The offset of a position, clamped to its line and to the text. */
  int offset(Position position) {
    if (position.line() > starts.length) {
      return text.length();
    }
    int start = starts[position.line() - 1];
    int end = position.line() < starts.length ? starts[position.line()] - 1 : text.length();
    if (end > start && text.charAt(end - 1) == '\r') {
      end--;
    }
    return Math.min(start + position.column() - 1, end);
  }

  /** The span of the whole text. */
  SourceSpan whole() {
    return span(0, text.length());
  }
}
