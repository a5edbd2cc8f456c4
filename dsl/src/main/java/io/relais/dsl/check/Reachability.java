package io.relais.dsl.check;

import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.source.SourceSpan;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Finds conditions that can never hold, for the never-fires warning: constants folded
 * (defines included), comparisons that a field's known range rules out, empty ranges and
 * lists, ordered comparisons with DISQUALIFIED, and two different {@code event is} in one
 * {@code and} chain. It runs on a typed tree without errors, so it trusts the types.
 */
final class Reachability {

  /**
   * TRUE and FALSE are constants; NEVER cannot hold on any contact but is no constant: its
   * negation may still be false (a comparison with an empty value is false either way).
   */
  enum Truth { TRUE, FALSE, NEVER, MAYBE }

  /** A truth and, when it is FALSE or NEVER, where and why. */
  record Verdict(Truth truth, SourceSpan span, String reason) {
    static final Verdict MAYBE = new Verdict(Truth.MAYBE, SourceSpan.NONE, "");
    static final Verdict TRUE = new Verdict(Truth.TRUE, SourceSpan.NONE, "");

    boolean cannotHold() {
      return truth == Truth.FALSE || truth == Truth.NEVER;
    }
  }

  /** The values a number can take, as far as the language guarantees; null is unbounded. */
  private record Range(BigDecimal low, BigDecimal high, String what) {}

  private static final String ALWAYS_FALSE = "its condition is always false";

  private final Resolutions resolutions;

  Reachability(Resolutions resolutions) {
    this.resolutions = resolutions;
  }

  Verdict of(Expr e) {
    return e.accept(verdicts);
  }

  /** TRUE or FALSE when {@code e} is a constant true-or-false value, else empty. */
  private Optional<Verdict> folded(Expr e) {
    return constant(e).filter(Boolean.class::isInstance).map(b -> (Boolean) b
        ? Verdict.TRUE : new Verdict(Truth.FALSE, e.span(), ALWAYS_FALSE));
  }

  /** Each node's verdict: a constant first, then what its kind rules out. */
  private final Expr.Visitor<Verdict> verdicts = new Expr.Visitor<>() {
    @Override
    public Verdict numberLit(Expr.NumberLit e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict textLit(Expr.TextLit e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict boolLit(Expr.BoolLit e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict dateLit(Expr.DateLit e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict nameRef(Expr.NameRef e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict path(Expr.Path e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict tagCount(Expr.TagCount e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict hasTag(Expr.HasTag e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict inSegment(Expr.InSegment e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict eventIs(Expr.EventIs e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict count(Expr.Count e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict sum(Expr.Sum e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict daysSinceLast(Expr.DaysSinceLast e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict decisionRef(Expr.DecisionRef e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict arithmetic(Expr.Arithmetic e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict compare(Expr.Compare e) {
      return folded(e).orElseGet(() -> Reachability.this.compare(e));
    }

    @Override
    public Verdict between(Expr.Between e) {
      return folded(e).orElseGet(() -> Reachability.this.between(e));
    }

    @Override
    public Verdict inList(Expr.InList e) {
      return folded(e).orElseGet(() -> e.items().isEmpty() && !e.negated()
          ? new Verdict(Truth.NEVER, e.span(), "the list after `in` is empty")
          : Verdict.MAYBE);
    }

    @Override
    public Verdict contains(Expr.Contains e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict matches(Expr.Matches e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict isEmpty(Expr.IsEmpty e) {
      return folded(e).orElse(Verdict.MAYBE);
    }

    @Override
    public Verdict not(Expr.Not e) {
      Verdict inner = of(e.operand());
      return switch (inner.truth()) {
        case TRUE -> new Verdict(Truth.FALSE, e.span(), ALWAYS_FALSE);
        case FALSE -> Verdict.TRUE;
        default -> Verdict.MAYBE;
      };
    }

    @Override
    public Verdict logical(Expr.Logical e) {
      return e.op() == Expr.LogicalOp.AND ? and(e) : or(e);
    }
  };

  private Verdict and(Expr.Logical l) {
    boolean allTrue = true;
    Set<String> event = null;
    for (Expr term : ExprChecker.flatten(l)) {
      Verdict v = of(term);
      if (v.cannotHold()) {
        return v;
      }
      allTrue &= v.truth() == Truth.TRUE;
      Set<String> guard = ExprChecker.established(term);
      if (guard != null) {
        if (event != null) {
          Set<String> meet = new LinkedHashSet<>(event);
          meet.retainAll(guard);
          if (meet.isEmpty()) {
            return new Verdict(Truth.NEVER, term.span(), "the triggering event cannot be both "
                + String.join(" or ", event) + " and " + String.join(" or ", guard));
          }
          event = meet;
        } else {
          event = guard;
        }
      }
    }
    return allTrue ? Verdict.TRUE : Verdict.MAYBE;
  }

  private Verdict or(Expr.Logical l) {
    boolean allFalse = true;
    boolean noneHolds = true;
    for (Expr term : ExprChecker.flatten(l)) {
      Verdict v = of(term);
      if (v.truth() == Truth.TRUE) {
        return Verdict.TRUE;
      }
      allFalse &= v.truth() == Truth.FALSE;
      noneHolds &= v.cannotHold();
    }
    if (allFalse) {
      return new Verdict(Truth.FALSE, l.span(), ALWAYS_FALSE);
    }
    return noneHolds
        ? new Verdict(Truth.NEVER, l.span(), "no alternative of this `or` can hold")
        : Verdict.MAYBE;
  }

  private Verdict compare(Expr.Compare c) {
    Expr.CompareOp op = c.op().meaning();
    Optional<Object> left = constant(c.left());
    Optional<Object> right = constant(c.right());
    if (ExprChecker.isOrdered(op)
        && (left.orElse(null) == Stage.DISQUALIFIED || right.orElse(null) == Stage.DISQUALIFIED)) {
      return new Verdict(Truth.NEVER, c.span(), "DISQUALIFIED is outside the funnel order, so"
          + " `" + c.op().symbol() + "` with it is always false");
    }
    if (right.isPresent() && right.get() instanceof BigDecimal n) {
      return range(c.left()).map(r -> fits(r, op, n, c.span())).orElse(Verdict.MAYBE);
    }
    if (left.isPresent() && left.get() instanceof BigDecimal n) {
      return range(c.right()).map(r -> fits(r, flip(op), n, c.span())).orElse(Verdict.MAYBE);
    }
    return Verdict.MAYBE;
  }

  private Verdict between(Expr.Between b) {
    Optional<Object> low = constant(b.low());
    Optional<Object> high = constant(b.high());
    if (low.orElse(null) == Stage.DISQUALIFIED || high.orElse(null) == Stage.DISQUALIFIED) {
      return new Verdict(Truth.NEVER, b.span(),
          "DISQUALIFIED is outside the funnel order, so between with it is always false");
    }
    if (low.isPresent() && high.isPresent()) {
      Integer order = order(low.get(), high.get());
      if (order != null && order > 0) {
        return new Verdict(Truth.NEVER, b.span(), "between " + show(low.get()) + " and "
            + show(high.get()) + " is empty: write the lower bound first");
      }
      if (low.get() instanceof BigDecimal lo && high.get() instanceof BigDecimal hi) {
        Optional<Range> r = range(b.value());
        if (r.isPresent()) {
          Verdict v = fits(r.get(), Expr.CompareOp.GE, lo, b.span());
          return v.cannotHold() ? v : fits(r.get(), Expr.CompareOp.LE, hi, b.span());
        }
      }
    }
    return Verdict.MAYBE;
  }

  /** Whether {@code value op n} can hold for some value in {@code r}. */
  private static Verdict fits(Range r, Expr.CompareOp op, BigDecimal n, SourceSpan span) {
    boolean aboveHigh = r.high() != null && switch (op) {
      case GT -> r.high().compareTo(n) <= 0;
      case GE, EQ -> r.high().compareTo(n) < 0;
      default -> false;
    };
    if (aboveHigh) {
      return new Verdict(Truth.NEVER, span, r.what() + " is at most " + show(r.high()));
    }
    boolean belowLow = r.low() != null && switch (op) {
      case LT -> r.low().compareTo(n) >= 0;
      case LE, EQ -> r.low().compareTo(n) > 0;
      default -> false;
    };
    if (belowLow) {
      return new Verdict(Truth.NEVER, span, r.what() + (r.low().signum() == 0
          ? " is never negative" : " is at least " + show(r.low())));
    }
    return Verdict.MAYBE;
  }

  private static Expr.CompareOp flip(Expr.CompareOp op) {
    return switch (op) {
      case LT -> Expr.CompareOp.GT;
      case LE -> Expr.CompareOp.GE;
      case GT -> Expr.CompareOp.LT;
      case GE -> Expr.CompareOp.LE;
      default -> op;
    };
  }

  private Optional<Range> range(Expr e) {
    return e.accept(ranges);
  }

  /** The range of a counted or derived number; empty for anything else. */
  private final Expr.Visitor<Optional<Range>> ranges = new Expr.Visitor<>() {
    @Override
    public Optional<Range> numberLit(Expr.NumberLit e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> textLit(Expr.TextLit e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> boolLit(Expr.BoolLit e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> dateLit(Expr.DateLit e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> nameRef(Expr.NameRef e) {
      return fieldRange(e);
    }

    @Override
    public Optional<Range> path(Expr.Path e) {
      return fieldRange(e);
    }

    @Override
    public Optional<Range> tagCount(Expr.TagCount e) {
      return Optional.of(new Range(BigDecimal.ZERO, null, "tag \"" + e.tag().text() + "\""));
    }

    @Override
    public Optional<Range> hasTag(Expr.HasTag e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> inSegment(Expr.InSegment e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> eventIs(Expr.EventIs e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> count(Expr.Count e) {
      return Optional.of(new Range(BigDecimal.ZERO, null, "a count"));
    }

    @Override
    public Optional<Range> sum(Expr.Sum e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> daysSinceLast(Expr.DaysSinceLast e) {
      return Optional.of(new Range(BigDecimal.ZERO, null, "days since last " + e.type().text()));
    }

    @Override
    public Optional<Range> decisionRef(Expr.DecisionRef e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> arithmetic(Expr.Arithmetic e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> compare(Expr.Compare e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> between(Expr.Between e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> inList(Expr.InList e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> contains(Expr.Contains e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> matches(Expr.Matches e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> isEmpty(Expr.IsEmpty e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> not(Expr.Not e) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> logical(Expr.Logical e) {
      return Optional.empty();
    }
  };

  private Optional<Range> fieldRange(Expr e) {
    return resolutions.resolutionOf(e).flatMap(r -> r.accept(FIELD_RANGES));
  }

  /** A built-in or derived contact field's range; empty for declared attributes and other names. */
  private static final Resolution.Visitor<Optional<Range>> FIELD_RANGES = new Resolution.Visitor<>() {
    @Override
    public Optional<Range> contactField(Resolution.ContactField f) {
      if (f.field().origin() == Vocabulary.Origin.ATTRIBUTE) {
        return Optional.empty();
      }
      // The ranges the schema declares (docs/engine.md, "The schema").
      return f.field().builtIn()
          .filter(b -> b.min() != null || b.max() != null)
          .map(b -> new Range(b.min(), b.max(), f.field().dotted()));
    }
    @Override
    public Optional<Range> triggeringEventAttribute(Resolution.TriggeringEventAttribute r) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> countedEventAttribute(Resolution.CountedEventAttribute r) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> constantRef(Resolution.ConstantRef r) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> stageRef(Resolution.StageRef r) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> eventTypeRef(Resolution.EventTypeRef r) {
      return Optional.empty();
    }

    @Override
    public Optional<Range> decisionValue(Resolution.DecisionValue r) {
      return Optional.empty();
    }

  };

  /** The value of {@code e} when it depends on nothing but literals and defines. */
  Optional<Object> constant(Expr e) {
    return e.accept(constants);
  }

  private final Expr.Visitor<Optional<Object>> constants = new Expr.Visitor<>() {
    @Override
    public Optional<Object> numberLit(Expr.NumberLit e) {
      return Optional.of(e.value());
    }

    @Override
    public Optional<Object> textLit(Expr.TextLit e) {
      return Optional.of(e.value());
    }

    @Override
    public Optional<Object> boolLit(Expr.BoolLit e) {
      return Optional.of(e.value());
    }

    @Override
    public Optional<Object> dateLit(Expr.DateLit e) {
      return Optional.of(e.value());
    }

    @Override
    public Optional<Object> nameRef(Expr.NameRef e) {
      return resolutions.resolutionOf(e).flatMap(r -> r.accept(NAMED_CONSTANTS));
    }

    @Override
    public Optional<Object> path(Expr.Path e) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> tagCount(Expr.TagCount e) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> hasTag(Expr.HasTag e) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> inSegment(Expr.InSegment e) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> eventIs(Expr.EventIs e) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> count(Expr.Count e) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> sum(Expr.Sum e) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> daysSinceLast(Expr.DaysSinceLast e) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> decisionRef(Expr.DecisionRef e) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> arithmetic(Expr.Arithmetic e) {
      Optional<Object> l = constant(e.left());
      Optional<Object> r = constant(e.right());
      if (l.isPresent() && r.isPresent() && l.get() instanceof BigDecimal x
          && r.get() instanceof BigDecimal y) {
        return switch (e.op()) {
          case ADD -> Optional.of(x.add(y));
          case SUBTRACT -> Optional.of(x.subtract(y));
          case MULTIPLY -> Optional.of(x.multiply(y));
          // Division by zero makes the comparison false at run time; no constant here.
          case DIVIDE -> y.signum() == 0 ? Optional.empty()
              : Optional.of(x.divide(y, java.math.MathContext.DECIMAL64));
        };
      }
      return Optional.empty();
    }

    @Override
    public Optional<Object> compare(Expr.Compare e) {
      Optional<Object> l = constant(e.left());
      Optional<Object> r = constant(e.right());
      if (l.isPresent() && r.isPresent()) {
        return compareConstants(e.op().meaning(), l.get(), r.get()).map(b -> b);
      }
      return Optional.empty();
    }

    @Override
    public Optional<Object> between(Expr.Between e) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> inList(Expr.InList e) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> contains(Expr.Contains e) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> matches(Expr.Matches e) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> isEmpty(Expr.IsEmpty e) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> not(Expr.Not e) {
      return constant(e.operand()).filter(Boolean.class::isInstance).map(b -> !(Boolean) b);
    }

    @Override
    public Optional<Object> logical(Expr.Logical e) {
      Boolean result = null;
      for (Expr term : ExprChecker.flatten(e)) {
        Optional<Boolean> t = constant(term).filter(Boolean.class::isInstance).map(Boolean.class::cast);
        if (t.isEmpty()) {
          return Optional.empty();
        }
        boolean b = t.get();
        result = result == null ? b : e.op() == Expr.LogicalOp.AND ? result && b : result || b;
      }
      return Optional.ofNullable(result);
    }
  };

  /** A define's value or a stage; empty for any other name. */
  private static final Resolution.Visitor<Optional<Object>> NAMED_CONSTANTS = new Resolution.Visitor<>() {
    @Override
    public Optional<Object> constantRef(Resolution.ConstantRef r) {
      return Optional.of(r.constant().value());
    }

    @Override
    public Optional<Object> stageRef(Resolution.StageRef r) {
      return Optional.of(r.stage());
    }
    @Override
    public Optional<Object> contactField(Resolution.ContactField r) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> triggeringEventAttribute(Resolution.TriggeringEventAttribute r) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> countedEventAttribute(Resolution.CountedEventAttribute r) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> eventTypeRef(Resolution.EventTypeRef r) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> decisionValue(Resolution.DecisionValue r) {
      return Optional.empty();
    }

  };

  private static Optional<Boolean> compareConstants(Expr.CompareOp op, Object a, Object b) {
    if (op == Expr.CompareOp.EQ || op == Expr.CompareOp.NE) {
      Integer order = order(a, b);
      boolean equal = order != null ? order == 0 : a.equals(b);
      return Optional.of(op == Expr.CompareOp.EQ ? equal : !equal);
    }
    Integer order = order(a, b);
    if (order == null) {
      return Optional.empty();
    }
    return Optional.of(switch (op) {
      case LT -> order < 0;
      case LE -> order <= 0;
      case GT -> order > 0;
      default -> order >= 0;
    });
  }

  /** The order of two constants of one ordered type; null when they have none. */
  private static Integer order(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y);
    }
    if (a instanceof LocalDate x && b instanceof LocalDate y) {
      return x.compareTo(y);
    }
    if (a instanceof Stage x && b instanceof Stage y && x.isOrdered() && y.isOrdered()) {
      return Integer.compare(x.ordinal(), y.ordinal());
    }
    return null;
  }

  private static String show(Object value) {
    return value instanceof BigDecimal n ? n.stripTrailingZeros().toPlainString()
        : String.valueOf(value);
  }

}
