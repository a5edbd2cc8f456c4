package io.relais.dsl.check;

import io.relais.dsl.ast.Stage;
import io.relais.dsl.ast.ValueType;
import java.util.Set;

/** What a name in the rule text stands for, decided once by the checker. */
public sealed interface Resolution {

  /** The value's type. */
  ValueType type();

  /** Calls the visitor's method for this record. */
  <R> R accept(Visitor<R> visitor);

  /** One method per record: a new sort of name is a compile error in every visitor. */
  interface Visitor<R> {
    R contactField(ContactField r);

    R triggeringEventAttribute(TriggeringEventAttribute r);

    R countedEventAttribute(CountedEventAttribute r);

    R constantRef(ConstantRef r);

    R stageRef(StageRef r);

    R eventTypeRef(EventTypeRef r);

    R decisionValue(DecisionValue r);
  }

  /** {@code contact.X}: a built-in, derived or declared contact field. */
  record ContactField(Vocabulary.Field field) implements Resolution {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.contactField(this);
    }

    @Override
    public ValueType type() {
      return field.type();
    }
  }

  /**
   * {@code event.X}: an attribute of the triggering event. {@code eventTypes} are the types the
   * guard ({@code event is T}) allows; empty for {@code id}, {@code type} and {@code at}, which
   * every event has and need no guard.
   */
  record TriggeringEventAttribute(Set<String> eventTypes, String attribute, ValueType type)
      implements Resolution {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.triggeringEventAttribute(this);
    }

    public TriggeringEventAttribute {
      eventTypes = Set.copyOf(eventTypes);
    }
  }

  /** A bare name inside {@code count/sum(... where ...)}: an attribute of the counted event. */
  record CountedEventAttribute(String eventType, String attribute, ValueType type)
      implements Resolution {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.countedEventAttribute(this);
    }
  }

  /** A bare name that is a {@code define}d constant. */
  record ConstantRef(Vocabulary.Constant constant) implements Resolution {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.constantRef(this);
    }

    @Override
    public ValueType type() {
      return constant.type();
    }
  }

  /** A bare name that is a stage ({@code MQL}). */
  record StageRef(Stage stage) implements Resolution {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.stageRef(this);
    }

    @Override
    public ValueType type() {
      return ValueType.STAGE;
    }
  }

  /**
   * The event type named by {@code event is T}, {@code count(T ...)}, {@code sum(T.A ...)} or
   * {@code days since last T}; {@code type} is the type of the whole expression.
   */
  record EventTypeRef(Vocabulary.EventType eventType, ValueType type) implements Resolution {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.eventTypeRef(this);
    }
  }

  /** {@code decision "D" of "T"}: a decision of a declared table, of the decision's DMN type. */
  record DecisionValue(String table, String decision, ValueType type) implements Resolution {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.decisionValue(this);
    }
  }
}
