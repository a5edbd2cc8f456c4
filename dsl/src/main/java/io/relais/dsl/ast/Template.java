package io.relais.dsl.ast;

import io.relais.dsl.source.SourceSpan;
import java.util.List;
import java.util.Optional;

/**
 * A message template: text with {@code {{name|fallback}}} placeholders. {@code raw} is the
 * unescaped string as written; {@code parts} is its parse.
 */
public record Template(String raw, List<Part> parts, SourceSpan span) implements Node {

  public Template {
    parts = List.copyOf(parts);
  }

  /** A piece of a template. */
  public sealed interface Part {

    /** Calls the visitor's method for this record. */
    <R> R accept(Visitor<R> visitor);
  }

  /** One method per part: a new kind of part is a compile error in every visitor. */
  public interface Visitor<R> {
    R text(Text p);

    R placeholder(Placeholder p);

    R decisionPlaceholder(DecisionPlaceholder p);
  }

  /** Literal text. */
  public record Text(String text) implements Part {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.text(this);
    }
  }

  /**
   * {@code {{contact.firstName|Salut}}}: {@code path} is the dotted name, split; the span
   * points inside the string literal so an unknown name is reported where it is.
   */
  public record Placeholder(List<String> path, Optional<String> fallback, SourceSpan span)
      implements Part, Node {
    public Placeholder {
      path = List.copyOf(path);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.placeholder(this);
    }

    public String dotted() {
      return String.join(".", path);
    }
  }

  /**
   * {@code {{decision 'Grade' of 'Lead fit'|?}}}: a decision of a table (docs/language.md ("Decision tables")),
   * single-quoted inside the template so that the rule text needs no escapes.
   */
  public record DecisionPlaceholder(
      String decision, String table, Optional<String> fallback, SourceSpan span)
      implements Part, Node {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.decisionPlaceholder(this);
    }
  }
}
