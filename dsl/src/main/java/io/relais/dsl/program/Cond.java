package io.relais.dsl.program;

import io.relais.dsl.ast.Expr;
import java.util.List;

/**
 * A condition of the checked program. {@code label}s are the compared value as the author
 * wrote it, in canonical form, for the trace.
 */
public sealed interface Cond {

  /** Calls the visitor's method for this record. */
  <R> R accept(Visitor<R> visitor);

  /** One method per record: a new kind of condition is a compile error in every visitor. */
  interface Visitor<R> {
    R all(All c);

    R any(Any c);

    R not(Not c);

    R compare(Compare c);

    R between(Between c);

    R inList(InList c);

    R contains(Contains c);

    R matches(Matches c);

    R isEmpty(IsEmpty c);

    R hasTag(HasTag c);

    R inSegment(InSegment c);

    R eventIs(EventIs c);

    R isTrue(IsTrue c);
  }

  /** {@code a and b and c}: one node, its terms in order (at least two). */
  record All(List<Cond> terms) implements Cond {
    public All {
      terms = List.copyOf(terms);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.all(this);
    }
  }

  /** {@code a or b or c}: one node, its terms in order (at least two). */
  record Any(List<Cond> terms) implements Cond {
    public Any {
      terms = List.copyOf(terms);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.any(this);
    }
  }

  /** {@code not c}. */
  record Not(Cond operand) implements Cond {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.not(this);
    }
  }

  /** {@code = != < <= > >= is} and {@code is not}; {@code op} keeps the author's spelling. */
  record Compare(Expr.CompareOp op, Value left, Value right, String label) implements Cond {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.compare(this);
    }
  }

  /** {@code value between low and high}, inclusive. */
  record Between(Value value, Value low, Value high, String label) implements Cond {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.between(this);
    }
  }

  /** {@code value [not] in [items]}. */
  record InList(Value value, List<Value> items, boolean negated, String label) implements Cond {
    public InList {
      items = List.copyOf(items);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.inList(this);
    }
  }

  /** {@code value contains needle}: text, ignoring case. */
  record Contains(Value value, Value needle, String label) implements Cond {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.contains(this);
    }
  }

  /** {@code value matches "glob"}: the whole text must match. */
  record Matches(Value value, String glob, String label) implements Cond {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.matches(this);
    }
  }

  /** {@code value is [not] empty}. */
  record IsEmpty(Value value, boolean negated, String label) implements Cond {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.isEmpty(this);
    }
  }

  /** {@code has tag "X"}. */
  record HasTag(String tag) implements Cond {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.hasTag(this);
    }
  }

  /** {@code in segment "S"}. */
  record InSegment(String segment) implements Cond {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.inSegment(this);
    }
  }

  /** {@code event is T}: the triggering event's type. */
  record EventIs(String eventType) implements Cond {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.eventIs(this);
    }
  }

  /** A true-or-false value used as a condition: a define, {@code contact.isBirthday}... */
  record IsTrue(Value value, String label) implements Cond {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.isTrue(this);
    }
  }
}
