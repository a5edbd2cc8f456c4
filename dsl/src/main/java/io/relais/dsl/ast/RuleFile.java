package io.relais.dsl.ast;

import io.relais.dsl.source.SourceSpan;
import java.util.List;

/**
 * One parsed {@code .rules} file: its items in file order and its comments (kept for the
 * formatter, ignored by everything else).
 */
public record RuleFile(String fileName, List<Item> items, List<Comment> comments, SourceSpan span)
    implements Node {

  public RuleFile {
    items = List.copyOf(items);
    comments = List.copyOf(comments);
  }

  /** A {@code # comment}; {@code text} excludes the {@code #} and the line end. */
  public record Comment(String text, SourceSpan span) implements Node {}
}
