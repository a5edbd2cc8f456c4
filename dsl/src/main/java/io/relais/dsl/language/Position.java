package io.relais.dsl.language;

/**
 * A position in a file: 1-based line, 1-based column counted in UTF-16 code units, as
 * {@link io.relais.dsl.source.SourceSpan} counts. Lines end at {@code \n} (a {@code \r}
 * before it belongs to no column anyone types at).
 */
public record Position(int line, int column) {

  public Position {
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("positions are 1-based: " + line + ":" + column);
    }
  }

  /**
   * The offset of this position in {@code text}: a column past the end of its line is the
   * line's end, a line past the last one is the end of the text.
   */
  public int offset(String text) {
    return new Lines("", text).offset(this);
  }

  /** The position of {@code offset} (clamped to the text) in {@code text}. */
  public static Position of(String text, int offset) {
    return new Lines("", text).position(offset);
  }
}
