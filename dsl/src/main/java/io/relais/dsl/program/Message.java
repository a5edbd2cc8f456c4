package io.relais.dsl.program;

import java.util.List;

/** A resolved message template: literal text and the values its placeholders read. */
public record Message(List<Piece> pieces) {

  public Message {
    pieces = List.copyOf(pieces);
  }

  /** A piece of a message. */
  public sealed interface Piece {

    /** Calls the visitor's method for this record. */
    <R> R accept(Visitor<R> visitor);
  }

  /** One method per piece: a new kind of piece is a compile error in every visitor. */
  public interface Visitor<R> {
    R text(Text p);

    R placeholder(Placeholder p);
  }

  /** Literal text. */
  public record Text(String text) implements Piece {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.text(this);
    }
  }

  /**
   * {@code {{name|fallback}}}: a contact field, a triggering event attribute, a define, a stage
   * or a table's decision, shown as it is stored; {@code fallback} when it is empty.
   */
  public record Placeholder(Value value, String fallback) implements Piece {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.placeholder(this);
    }
  }
}
