package io.relais.dsl.ast;

import io.relais.dsl.source.SourceSpan;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Conditions and values share one expression tree; the checker gives each node a type.
 * Parentheses leave no node: the tree's shape keeps the grouping.
 */
public sealed interface Expr extends Node {

  /** Calls the visitor's method for this node's record. */
  <R> R accept(Visitor<R> visitor);

  /**
   * One method per record of {@link Expr}: a new kind of expression is a compile error in
   * every visitor until it is handled there.
   */
  interface Visitor<R> {
    R numberLit(NumberLit e);

    R textLit(TextLit e);

    R boolLit(BoolLit e);

    R dateLit(DateLit e);

    R nameRef(NameRef e);

    R path(Path e);

    R tagCount(TagCount e);

    R hasTag(HasTag e);

    R inSegment(InSegment e);

    R eventIs(EventIs e);

    R count(Count e);

    R sum(Sum e);

    R daysSinceLast(DaysSinceLast e);

    R decisionRef(DecisionRef e);

    R arithmetic(Arithmetic e);

    R compare(Compare e);

    R between(Between e);

    R inList(InList e);

    R contains(Contains e);

    R matches(Matches e);

    R isEmpty(IsEmpty e);

    R not(Not e);

    R logical(Logical e);
  }

  // ---- literals and names ----

  /** {@code 12}, {@code -3}, {@code 12.50}. */
  record NumberLit(BigDecimal value, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.numberLit(this);
    }
  }

  /** {@code "text"}, unescaped. */
  record TextLit(String value, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.textLit(this);
    }
  }

  /** {@code true}, {@code false}. */
  record BoolLit(boolean value, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.boolLit(this);
    }
  }

  /** {@code 2026-11-27}. */
  record DateLit(LocalDate value, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.dateLit(this);
    }
  }

  /**
   * A bare identifier: a {@code define}d constant, a stage ({@code MQL}), or inside a
   * {@code where} clause an attribute of the counted event. The checker decides which.
   */
  record NameRef(String name, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.nameRef(this);
    }
  }

  /**
   * A dotted path: {@code contact.score}, {@code contact.consent.email}, {@code event.url}.
   * {@code parts} holds every segment, the root included.
   */
  record Path(List<String> parts, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.path(this);
    }

    public Path {
      parts = List.copyOf(parts);
    }

    public String dotted() {
      return String.join(".", parts);
    }
  }

  // ---- contact state ----

  /** {@code tag "X"}: the tag's count, 0 if absent. */
  record TagCount(Name tag, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.tagCount(this);
    }
  }

  /** {@code has tag "X"}: {@code tag "X" >= 1}. */
  record HasTag(Name tag, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.hasTag(this);
    }
  }

  /** {@code in segment "S"}. */
  record InSegment(Name segment, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.inSegment(this);
    }
  }

  /** {@code event is TYPE}: tests the triggering event's type. */
  record EventIs(Name type, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.eventIs(this);
    }
  }

  // ---- history ----

  /** {@code count(TYPE [where COND] [within D])}. */
  record Count(Name type, Optional<Expr> where, Optional<DurationLiteral> within, SourceSpan span)
      implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.count(this);
    }
  }

  /** {@code sum(TYPE.ATTR [where COND] [within D])}. */
  record Sum(
      Name type,
      Name attribute,
      Optional<Expr> where,
      Optional<DurationLiteral> within,
      SourceSpan span)
      implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.sum(this);
    }
  }

  /** {@code days since last TYPE}: empty if the contact has no such event. */
  record DaysSinceLast(Name type, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.daysSinceLast(this);
    }
  }

  // ---- decision tables (docs/language.md ("Decision tables")) ----

  /** {@code decision "Grade" of "Lead fit"}: a decision of a declared table's DMN model. */
  record DecisionRef(Name decision, Name table, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.decisionRef(this);
    }
  }

  // ---- operators ----

  /** {@code + - * /}. */
  record Arithmetic(ArithmeticOp op, Expr left, Expr right, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.arithmetic(this);
    }
  }

  /** {@code = != < <= > >=} and {@code is} / {@code is not} (kept apart for the formatter). */
  record Compare(CompareOp op, Expr left, Expr right, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.compare(this);
    }
  }

  /** {@code value between low and high}, inclusive. */
  record Between(Expr value, Expr low, Expr high, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.between(this);
    }
  }

  /** {@code value in [..]} or {@code value not in [..]}. */
  record InList(Expr value, List<Expr> items, boolean negated, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.inList(this);
    }

    public InList {
      items = List.copyOf(items);
    }
  }

  /** {@code value contains "x"}: text, case-insensitive. */
  record Contains(Expr value, Expr needle, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.contains(this);
    }
  }

  /** {@code value matches "glob"}: the whole text must match the glob. */
  record Matches(Expr value, TextLit glob, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.matches(this);
    }
  }

  /** {@code value is empty} or {@code value is not empty}. */
  record IsEmpty(Expr value, boolean negated, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.isEmpty(this);
    }
  }

  /** {@code not operand}. */
  record Not(Expr operand, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.not(this);
    }
  }

  /** {@code left and right}, {@code left or right}; chains nest to the left. */
  record Logical(LogicalOp op, Expr left, Expr right, SourceSpan span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.logical(this);
    }
  }

  enum ArithmeticOp {
    ADD("+"),
    SUBTRACT("-"),
    MULTIPLY("*"),
    DIVIDE("/");

    private final String symbol;

    ArithmeticOp(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  enum CompareOp {
    EQ("="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    IS("is"),
    IS_NOT("is not");

    private final String symbol;

    CompareOp(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    /** {@code is} means {@code =}, {@code is not} means {@code !=}. */
    public CompareOp meaning() {
      return switch (this) {
        case IS -> EQ;
        case IS_NOT -> NE;
        default -> this;
      };
    }
  }

  enum LogicalOp {
    AND,
    OR
  }
}
