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
    if (e instanceof Expr.Logical l) {
      return l.op() == Expr.LogicalOp.AND ? and(l) : or(l);
    }
    if (e instanceof Expr.Not n) {
      Verdict inner = of(n.operand());
      return switch (inner.truth()) {
        case TRUE -> new Verdict(Truth.FALSE, n.span(), ALWAYS_FALSE);
        case FALSE -> Verdict.TRUE;
        default -> Verdict.MAYBE;
      };
    }
    Optional<Object> constant = constant(e);
    if (constant.isPresent() && constant.get() instanceof Boolean b) {
      return b ? Verdict.TRUE : new Verdict(Truth.FALSE, e.span(), ALWAYS_FALSE);
    }
    if (e instanceof Expr.Compare c) {
      return compare(c);
    }
    if (e instanceof Expr.Between b) {
      return between(b);
    }
    if (e instanceof Expr.InList in && in.items().isEmpty() && !in.negated()) {
      return new Verdict(Truth.NEVER, in.span(), "the list after `in` is empty");
    }
    return Verdict.MAYBE;
  }

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
    if (e instanceof Expr.Count) {
      return Optional.of(new Range(BigDecimal.ZERO, null, "a count"));
    }
    if (e instanceof Expr.TagCount t) {
      return Optional.of(new Range(BigDecimal.ZERO, null, "tag \"" + t.tag().text() + "\""));
    }
    if (e instanceof Expr.DaysSinceLast d) {
      return Optional.of(new Range(BigDecimal.ZERO, null, "days since last " + d.type().text()));
    }
    if (resolutions.resolutionOf(e).orElse(null) instanceof Resolution.ContactField f
        && f.field().origin() != Vocabulary.Origin.ATTRIBUTE) {
      String what = f.field().dotted();
      return switch (f.field().name()) {
        // Nobody on record lived past 122; 150 leaves room for typos in birth dates.
        case "age" -> Optional.of(new Range(BigDecimal.ZERO, BigDecimal.valueOf(150), what));
        case "companySize", "points", "recency", "frequency" ->
            Optional.of(new Range(BigDecimal.ZERO, null, what));
        default -> Optional.empty();
      };
    }
    return Optional.empty();
  }

  /** The value of {@code e} when it depends on nothing but literals and defines. */
  Optional<Object> constant(Expr e) {
    if (e instanceof Expr.NumberLit n) {
      return Optional.of(n.value());
    } else if (e instanceof Expr.TextLit t) {
      return Optional.of(t.value());
    } else if (e instanceof Expr.BoolLit b) {
      return Optional.of(b.value());
    } else if (e instanceof Expr.DateLit d) {
      return Optional.of(d.value());
    } else if (e instanceof Expr.NameRef) {
      Resolution r = resolutions.resolutionOf(e).orElse(null);
      if (r instanceof Resolution.ConstantRef c) {
        return Optional.of(c.constant().value());
      } else if (r instanceof Resolution.StageRef s) {
        return Optional.of(s.stage());
      }
    } else if (e instanceof Expr.Arithmetic a) {
      Optional<Object> l = constant(a.left());
      Optional<Object> r = constant(a.right());
      if (l.isPresent() && r.isPresent() && l.get() instanceof BigDecimal x
          && r.get() instanceof BigDecimal y) {
        return switch (a.op()) {
          case ADD -> Optional.of(x.add(y));
          case SUBTRACT -> Optional.of(x.subtract(y));
          case MULTIPLY -> Optional.of(x.multiply(y));
          // Division by zero makes the comparison false at run time; no constant here.
          case DIVIDE -> y.signum() == 0 ? Optional.empty()
              : Optional.of(x.divide(y, java.math.MathContext.DECIMAL64));
        };
      }
    } else if (e instanceof Expr.Compare c) {
      Optional<Object> l = constant(c.left());
      Optional<Object> r = constant(c.right());
      if (l.isPresent() && r.isPresent()) {
        return compareConstants(c.op().meaning(), l.get(), r.get()).map(b -> b);
      }
    } else if (e instanceof Expr.Logical l) {
      Boolean result = null;
      for (Expr term : ExprChecker.flatten(l)) {
        Optional<Object> t = constant(term);
        if (t.isEmpty() || !(t.get() instanceof Boolean b)) {
          return Optional.empty();
        }
        result = result == null ? b : l.op() == Expr.LogicalOp.AND ? result && b : result || b;
      }
      return Optional.ofNullable(result);
    } else if (e instanceof Expr.Not n) {
      return constant(n.operand()).filter(Boolean.class::isInstance).map(b -> !(Boolean) b);
    }
    return Optional.empty();
  }

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
