package io.relais.dsl.program;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Every value of a program, found by one exhaustive visitor per sealed type: a new kind of
 * condition, value, operation or message piece is a compile error here until the walk knows
 * where its values are. It recurses as deep as the program nests, which the parser bounds.
 */
final class ValueWalk implements Cond.Visitor<Void>, Value.Visitor<Void>,
    Operation.Visitor<Void>, Message.Visitor<Void> {

  private final Consumer<Value> action;

  ValueWalk(Consumer<Value> action) {
    this.action = action;
  }

  void program(Program program) {
    for (Program.Rule rule : program.rules()) {
      rule.when().ifPresent(this::cond);
      rule.operations().forEach(o -> o.accept(this));
    }
    program.exits().forEach(exit -> cond(exit.condition()));
    program.tables().forEach(table -> table.inputs().values().forEach(this::value));
  }

  private Void cond(Cond c) {
    return c.accept(this);
  }

  private Void value(Value v) {
    action.accept(v);
    return v.accept(this);
  }

  private Void values(List<Value> values) {
    values.forEach(this::value);
    return null;
  }

  private Void conds(List<Cond> conds) {
    conds.forEach(this::cond);
    return null;
  }

  private Void message(Message message) {
    message.pieces().forEach(p -> p.accept(this));
    return null;
  }

  // ---- conditions: the values they compare, and their terms ----

  @Override
  public Void all(Cond.All c) {
    return conds(c.terms());
  }

  @Override
  public Void any(Cond.Any c) {
    return conds(c.terms());
  }

  @Override
  public Void not(Cond.Not c) {
    return cond(c.operand());
  }

  @Override
  public Void compare(Cond.Compare c) {
    return values(List.of(c.left(), c.right()));
  }

  @Override
  public Void between(Cond.Between c) {
    return values(List.of(c.value(), c.low(), c.high()));
  }

  @Override
  public Void inList(Cond.InList c) {
    value(c.value());
    return values(c.items());
  }

  @Override
  public Void contains(Cond.Contains c) {
    return values(List.of(c.value(), c.needle()));
  }

  @Override
  public Void matches(Cond.Matches c) {
    return value(c.value());
  }

  @Override
  public Void isEmpty(Cond.IsEmpty c) {
    return value(c.value());
  }

  @Override
  public Void hasTag(Cond.HasTag c) {
    return null;
  }

  @Override
  public Void inSegment(Cond.InSegment c) {
    return null;
  }

  @Override
  public Void eventIs(Cond.EventIs c) {
    return null;
  }

  @Override
  public Void isTrue(Cond.IsTrue c) {
    return value(c.value());
  }

  // ---- values: the values and conditions inside them ----

  @Override
  public Void literal(Value.Literal v) {
    return null;
  }

  @Override
  public Void constant(Value.Constant v) {
    return null;
  }

  @Override
  public Void contactField(Value.ContactField v) {
    return null;
  }

  @Override
  public Void eventAttribute(Value.EventAttribute v) {
    return null;
  }

  @Override
  public Void countedAttribute(Value.CountedAttribute v) {
    return null;
  }

  @Override
  public Void tagCount(Value.TagCount v) {
    return null;
  }

  @Override
  public Void count(Value.Count v) {
    v.where().ifPresent(this::cond);
    return null;
  }

  @Override
  public Void sum(Value.Sum v) {
    v.where().ifPresent(this::cond);
    return null;
  }

  @Override
  public Void daysSinceLast(Value.DaysSinceLast v) {
    return null;
  }

  @Override
  public Void decision(Value.Decision v) {
    return null;
  }

  @Override
  public Void arithmetic(Value.Arithmetic v) {
    return values(List.of(v.left(), v.right()));
  }

  @Override
  public Void test(Value.Test v) {
    return cond(v.condition());
  }

  // ---- operations: their amounts and messages ----

  private Void amount(Optional<Value> amount) {
    amount.ifPresent(this::value);
    return null;
  }

  @Override
  public Void tag(Operation.Tag o) {
    return amount(o.by());
  }

  @Override
  public Void untag(Operation.Untag o) {
    return null;
  }

  @Override
  public Void addToSegment(Operation.AddToSegment o) {
    return null;
  }

  @Override
  public Void removeFromSegment(Operation.RemoveFromSegment o) {
    return null;
  }

  @Override
  public Void addScore(Operation.AddScore o) {
    return value(o.amount());
  }

  @Override
  public Void subtractScore(Operation.SubtractScore o) {
    return value(o.amount());
  }

  @Override
  public Void setScore(Operation.SetScore o) {
    return value(o.value());
  }

  @Override
  public Void setStage(Operation.SetStage o) {
    return null;
  }

  @Override
  public Void advanceStage(Operation.AdvanceStage o) {
    return null;
  }

  @Override
  public Void disqualify(Operation.Disqualify o) {
    return null;
  }

  @Override
  public Void enroll(Operation.Enroll o) {
    return null;
  }

  @Override
  public Void stop(Operation.Stop o) {
    return null;
  }

  @Override
  public Void send(Operation.Send o) {
    return message(o.message());
  }

  @Override
  public Void award(Operation.Award o) {
    return value(o.points());
  }

  @Override
  public Void deduct(Operation.Deduct o) {
    return value(o.points());
  }

  @Override
  public Void grantReward(Operation.GrantReward o) {
    return null;
  }

  @Override
  public Void notify(Operation.Notify o) {
    return message(o.message());
  }

  // ---- message pieces ----

  @Override
  public Void text(Message.Text p) {
    return null;
  }

  @Override
  public Void placeholder(Message.Placeholder p) {
    return value(p.value());
  }
}
