package io.relais.dsl.program;

import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.ValueType;
import java.util.Objects;
import java.util.Optional;

/** A typed value of the checked program; its names are already resolved to what they read. */
public sealed interface Value {

  /** The value's type, as the checker decided it. */
  ValueType type();

  /** Calls the visitor's method for this record. */
  <R> R accept(Visitor<R> visitor);

  /** One method per record: a new kind of value is a compile error in every visitor. */
  interface Visitor<R> {
    R literal(Literal v);

    R constant(Constant v);

    R contactField(ContactField v);

    R eventAttribute(EventAttribute v);

    R countedAttribute(CountedAttribute v);

    R tagCount(TagCount v);

    R count(Count v);

    R sum(Sum v);

    R daysSinceLast(DaysSinceLast v);

    R decision(Decision v);

    R arithmetic(Arithmetic v);

    R test(Test v);
  }

  /**
   * A literal or a stage: a {@link java.math.BigDecimal}, {@link String}, {@link Boolean},
   * {@link java.time.LocalDate} or {@link io.relais.dsl.ast.Stage}.
   */
  record Literal(Object value, ValueType type) implements Value {
    public Literal {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.literal(this);
    }
  }

  /** A {@code define}d constant: its value, and its name for the trace. */
  record Constant(String name, Object value, ValueType type) implements Value {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.constant(this);
    }
  }

  /**
   * {@code contact.X}: the field's JSON path ({@code score}, {@code consent.email},
   * {@code attributes.industry}) or derived name; {@code declared} for the ruleset's own
   * attributes, which are read as their declared type at run time.
   */
  record ContactField(String jsonPath, boolean declared, ValueType type, String label)
      implements Value {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.contactField(this);
    }
  }

  /** {@code event.X}: an attribute of the triggering event, read as {@code type}. */
  record EventAttribute(String attribute, ValueType type) implements Value {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.eventAttribute(this);
    }
  }

  /** A bare name inside {@code where}: an attribute of the counted event, read as {@code type}. */
  record CountedAttribute(String eventType, String attribute, ValueType type) implements Value {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.countedAttribute(this);
    }
  }

  /** {@code tag "X"}: the tag's count, 0 if absent. */
  record TagCount(String tag) implements Value {
    @Override
    public ValueType type() {
      return ValueType.NUMBER;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.tagCount(this);
    }
  }

  /**
   * {@code count(T where C within D)}; {@code key} is its canonical text, under which a phase
   * computes it once.
   */
  record Count(String eventType, Optional<Cond> where, Optional<Period> within, String key)
      implements Value {
    @Override
    public ValueType type() {
      return ValueType.NUMBER;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.count(this);
    }
  }

  /** {@code sum(T.A where C within D)}; {@code A} is a number attribute of {@code T}. */
  record Sum(String eventType, String attribute, Optional<Cond> where, Optional<Period> within,
      String key) implements Value {
    @Override
    public ValueType type() {
      return ValueType.NUMBER;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.sum(this);
    }
  }

  /** {@code days since last T}: empty when the contact has no such event. */
  record DaysSinceLast(String eventType, String key) implements Value {
    @Override
    public ValueType type() {
      return ValueType.NUMBER;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.daysSinceLast(this);
    }
  }

  /** {@code decision "D" of "T"}: a decision of a declared table, of the decision's type. */
  record Decision(String table, String decision, ValueType type) implements Value {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.decision(this);
    }
  }

  /** {@code + - * /} on numbers. */
  record Arithmetic(Expr.ArithmeticOp op, Value left, Value right) implements Value {
    @Override
    public ValueType type() {
      return ValueType.NUMBER;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.arithmetic(this);
    }
  }

  /** A condition used as a value, as in {@code (a and b) = true}. */
  record Test(Cond condition) implements Value {
    @Override
    public ValueType type() {
      return ValueType.BOOLEAN;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.test(this);
    }
  }
}
