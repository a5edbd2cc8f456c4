package io.relais.dsl.source;

/**
 * Where a piece of syntax sits in its file: 1-based lines and columns, end exclusive.
 *
 * <p>Columns count UTF-16 code units from the start of the line, as editors show them.
 */
public record SourceSpan(String file, int line, int column, int endLine, int endColumn) {

  /** A span that stands for generated or position-less syntax. */
  public static final SourceSpan NONE = new SourceSpan("", 0, 0, 0, 0);

  public SourceSpan {
    file = file == null ? "" : file;
  }

  /** A zero-width span at one position. */
  public static SourceSpan at(String file, int line, int column) {
    return new SourceSpan(file, line, column, line, column);
  }

  /** The span from the start of this one to the end of {@code other}. */
  public SourceSpan to(SourceSpan other) {
    return new SourceSpan(file, line, column, other.endLine, other.endColumn);
  }

  /** {@code file:line:column}, the prefix of every rendered diagnostic. */
  public String position() {
    return file + ":" + line + ":" + column;
  }

  /** {@code file:line}, the {@code source} field of a decision. */
  public String fileAndLine() {
    return file + ":" + line;
  }

  @Override
  public String toString() {
    return position();
  }
}
