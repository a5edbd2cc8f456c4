package io.relais.engine.compile;

import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.ValueType;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.check.Resolution;
import io.relais.dsl.check.Resolutions;
import io.relais.dsl.format.Formatter;
import io.relais.engine.dmn.Tables;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns checked expressions into {@link Condition}s and {@link ValueFunction}s. Every name was
 * resolved by the checker; this class only follows {@link Resolutions}. An expression the
 * checker let through but this class cannot handle is a bug of ours: it throws at compile
 * time, never at evaluation time.
 */
public final class ExpressionCompiler {

  private static final MathContext MATH = MathContext.DECIMAL64;

  private final Resolutions resolutions;
  /** Decision tables (docs/language.md ("Decision tables")); null when compiling from resolutions alone. */
  private final Tables tables;

  public ExpressionCompiler(CheckedRuleset ruleset) {
    this.resolutions = ruleset.resolutions();
    this.tables = new Tables(ruleset, this::value);
  }

  public ExpressionCompiler(Resolutions resolutions) {
    this.resolutions = resolutions;
    this.tables = null;
  }

  /** The ruleset's decision tables, for templates and the trace. */
  public Tables tables() {
    return tables;
  }

  /** The rule's condition, or {@link Condition#ALWAYS} when it has none. */
  public Condition condition(Optional<Expr> when) {
    return when.map(this::condition).orElse(Condition.ALWAYS);
  }

  public Condition condition(Expr expr) {
    if (expr instanceof Expr.Logical l) {
      return logical(l);
    }
    if (expr instanceof Expr.Not n) {
      Condition operand = condition(n.operand());
      return (f, c, t) -> !operand.test(f, c, t);
    }
    if (expr instanceof Expr.Compare cmp) {
      ValueFunction left = value(cmp.left());
      ValueFunction right = value(cmp.right());
      String label = label(cmp.left());
      String op = cmp.op().symbol();
      Expr.CompareOp operator = cmp.op();
      return (f, c, t) -> {
        Object a = left.apply(f, c);
        Object b = right.apply(f, c);
        boolean result = Values.compare(a, operator, b, f.zone());
        if (t.isRecording()) { // only a trace being read pays for its text
          t.add(label + " = " + Values.show(a) + " " + op + " " + Values.show(b));
        }
        return result;
      };
    }
    if (expr instanceof Expr.Between b) {
      ValueFunction value = value(b.value());
      ValueFunction low = value(b.low());
      ValueFunction high = value(b.high());
      String label = label(b.value());
      return (f, c, t) -> {
        Object v = value.apply(f, c);
        Object lo = low.apply(f, c);
        Object hi = high.apply(f, c);
        if (t.isRecording()) {
          t.add(label + " = " + Values.show(v) + " between " + Values.show(lo) + " and " + Values.show(hi));
        }
        return Values.compare(v, Expr.CompareOp.GE, lo, f.zone())
            && Values.compare(v, Expr.CompareOp.LE, hi, f.zone());
      };
    }
    if (expr instanceof Expr.InList in) {
      ValueFunction value = value(in.value());
      List<ValueFunction> items = in.items().stream().map(this::value).toList();
      String label = label(in.value());
      boolean negated = in.negated();
      return (f, c, t) -> {
        Object v = value.apply(f, c);
        if (t.isRecording()) {
          t.add(label + " = " + Values.show(v) + (negated ? " not in list" : " in list"));
        }
        if (Values.isEmpty(v)) {
          return false;
        }
        boolean found = false;
        for (ValueFunction item : items) {
          if (Values.compare(v, Expr.CompareOp.EQ, item.apply(f, c), f.zone())) {
            found = true;
            break;
          }
        }
        return found != negated;
      };
    }
    if (expr instanceof Expr.Contains cs) {
      ValueFunction value = value(cs.value());
      ValueFunction needle = value(cs.needle());
      String label = label(cs.value());
      return (f, c, t) -> {
        Object v = value.apply(f, c);
        Object n = needle.apply(f, c);
        if (t.isRecording()) {
          t.add(label + " = " + Values.show(v) + " contains " + Values.show(n));
        }
        return Values.contains(v, n);
      };
    }
    if (expr instanceof Expr.Matches m) {
      ValueFunction value = value(m.value());
      Glob glob = Glob.compile(m.glob().value());
      String label = label(m.value());
      return (f, c, t) -> {
        Object v = value.apply(f, c);
        if (t.isRecording()) {
          t.add(label + " = " + Values.show(v) + " matches \"" + glob + "\"");
        }
        return v instanceof String text && glob.matches(text);
      };
    }
    if (expr instanceof Expr.IsEmpty e) {
      ValueFunction value = value(e.value());
      String label = label(e.value());
      boolean negated = e.negated();
      return (f, c, t) -> {
        Object v = value.apply(f, c);
        if (t.isRecording()) {
          t.add(label + " = " + Values.show(v) + (negated ? " is not empty" : " is empty"));
        }
        return Values.isEmpty(v) != negated;
      };
    }
    if (expr instanceof Expr.HasTag h) {
      String tag = h.tag().text();
      return (f, c, t) -> {
        int count = f.tagCount(tag);
        if (t.isRecording()) {
          t.add("tag " + tag + " = " + count + " >= 1");
        }
        return count >= 1;
      };
    }
    if (expr instanceof Expr.InSegment s) {
      String segment = s.segment().text();
      return (f, c, t) -> {
        boolean member = f.inSegment(segment);
        if (t.isRecording()) {
          t.add("in segment \"" + segment + "\" = " + member);
        }
        return member;
      };
    }
    if (expr instanceof Expr.EventIs e) {
      String type = e.type().text();
      return (f, c, t) -> {
        Facts.EventFact event = f.event().orElse(null);
        String actual = event == null ? null : event.type();
        if (t.isRecording()) {
          t.add("event is " + type + " = " + (actual == null ? "no event" : actual));
        }
        return type.equals(actual);
      };
    }
    // A boolean value: a define, a field such as contact.isBirthday, (a and b) = true...
    ValueFunction value = value(expr);
    String label = label(expr);
    return (f, c, t) -> {
      Object v = value.apply(f, c);
      if (t.isRecording()) {
        t.add(label + " = " + Values.show(v));
      }
      return Boolean.TRUE.equals(v);
    };
  }

  /**
   * A chain {@code a and b and c} as one loop over its terms, built without recursion, so a
   * chain of any length compiles and runs in constant stack.
   */
  private Condition logical(Expr.Logical top) {
    List<Expr> rights = new ArrayList<>();
    Expr e = top;
    while (e instanceof Expr.Logical l && l.op() == top.op()) {
      rights.add(l.right());
      e = l.left();
    }
    Condition[] terms = new Condition[rights.size() + 1];
    terms[0] = condition(e);
    for (int i = 1; i < terms.length; i++) {
      terms[i] = condition(rights.get(rights.size() - i));
    }
    boolean and = top.op() == Expr.LogicalOp.AND;
    return (f, c, t) -> {
      for (Condition term : terms) {
        if (term.test(f, c, t) != and) {
          return !and;
        }
      }
      return and;
    };
  }

  /** A value expression. */
  public ValueFunction value(Expr expr) {
    Object literal = literal(expr);
    if (literal != null) {
      return (f, c) -> literal;
    }
    if (expr instanceof Expr.TagCount tc) {
      String tag = tc.tag().text();
      return (f, c) -> BigDecimal.valueOf(f.tagCount(tag));
    }
    if (expr instanceof Expr.Arithmetic a) {
      return arithmetic(a);
    }
    if (expr instanceof Expr.Count count) {
      String type = count.type().text();
      Condition where = count.where().map(this::condition).orElse(null);
      Duration within = count.within().map(d -> d.toDuration()).orElse(null);
      String key = Formatter.expr(expr);
      return (f, c) -> f.remember(key, () -> {
        Instant since = within == null ? null : f.now().minus(within);
        long n = 0;
        for (Facts.EventFact event : f.history()) {
          if (counts(f, event, type, where, since)) {
            n++;
          }
        }
        return BigDecimal.valueOf(n);
      });
    }
    if (expr instanceof Expr.Sum sum) {
      String type = sum.type().text();
      String attribute = sum.attribute().text();
      Condition where = sum.where().map(this::condition).orElse(null);
      Duration within = sum.within().map(d -> d.toDuration()).orElse(null);
      String key = Formatter.expr(expr);
      return (f, c) -> f.remember(key, () -> {
        Instant since = within == null ? null : f.now().minus(within);
        BigDecimal total = BigDecimal.ZERO;
        for (Facts.EventFact event : f.history()) {
          if (counts(f, event, type, where, since)
              && read(f, event.attribute(attribute), ValueType.NUMBER,
                  type + "." + attribute) instanceof BigDecimal amount) {
            total = total.add(amount);
          }
        }
        return total;
      });
    }
    if (expr instanceof Expr.DaysSinceLast d) {
      String type = d.type().text();
      String key = Formatter.expr(expr);
      return (f, c) -> f.remember(key, () -> {
        Instant last = null;
        for (Facts.EventFact event : f.history()) {
          // The triggering event counts whatever its `at`; one dated after now is today's.
          Instant at = isTriggering(f, event) && event.at().isAfter(f.now()) ? f.now() : event.at();
          if (event.type().equals(type) && !at.isAfter(f.now())
              && (last == null || at.isAfter(last))) {
            last = at;
          }
        }
        return last == null ? null : BigDecimal.valueOf(daysBetween(last, f));
      });
    }
    if (expr instanceof Expr.Path || expr instanceof Expr.NameRef) {
      return resolved(expr);
    }
    if (expr instanceof Expr.DecisionRef) { // decision tables, docs/language.md ("Decision tables")
      return tables.value((Resolution.DecisionValue) resolved(expr, resolutions));
    }
    if (expr instanceof Expr.EventIs
        || expr instanceof Expr.HasTag
        || expr instanceof Expr.InSegment
        || expr instanceof Expr.Logical
        || expr instanceof Expr.Not
        || expr instanceof Expr.Compare
        || expr instanceof Expr.Between
        || expr instanceof Expr.InList
        || expr instanceof Expr.Contains
        || expr instanceof Expr.Matches
        || expr instanceof Expr.IsEmpty) {
      Condition condition = condition(expr);
      return (f, c) -> condition.test(f, c, Trace.NONE);
    }
    throw new IllegalStateException("no compiled form for " + expr.getClass().getSimpleName());
  }

  private static Object literal(Expr expr) {
    if (expr instanceof Expr.NumberLit n) {
      return n.value();
    }
    if (expr instanceof Expr.TextLit s) {
      return s.value();
    }
    if (expr instanceof Expr.BoolLit b) {
      return b.value();
    }
    return expr instanceof Expr.DateLit d ? d.value() : null;
  }

  // Whole days elapsed in the ruleset's zone, rounded down (docs/language.md ("Rules, kinds and phases")).
  private static long daysBetween(Instant then, Facts facts) {
    return ChronoUnit.DAYS.between(
        then.atZone(facts.zone()).toLocalDateTime(), facts.now().atZone(facts.zone()).toLocalDateTime());
  }

  private static boolean counts(
      Facts facts, Facts.EventFact event, String type, Condition where, Instant since) {
    if (!event.type().equals(type)) {
      return false;
    }
    // docs/language.md ("Conditions"): the triggering event always counts, whatever its `at`; recorded
    // events count from `now` back over the window.
    if (!isTriggering(facts, event) && (event.at().isAfter(facts.now())
        || (since != null && event.at().isBefore(since)))) {
      return false;
    }
    return where == null || where.test(facts, event, Trace.NONE);
  }

  private static boolean isTriggering(Facts facts, Facts.EventFact event) {
    return facts.event().orElse(null) == event;
  }

  private ValueFunction arithmetic(Expr.Arithmetic a) {
    ValueFunction left = value(a.left());
    ValueFunction right = value(a.right());
    Expr.ArithmeticOp op = a.op();
    return (f, c) -> {
      if (!(Values.normalize(left.apply(f, c)) instanceof BigDecimal x)
          || !(Values.normalize(right.apply(f, c)) instanceof BigDecimal y)) {
        return null;
      }
      return switch (op) {
        case ADD -> x.add(y, MATH);
        case SUBTRACT -> x.subtract(y, MATH);
        case MULTIPLY -> x.multiply(y, MATH);
        // Division by zero is empty, which makes any comparison with it false.
        case DIVIDE -> y.signum() == 0 ? null : x.divide(y, MATH);
      };
    };
  }

  private static Resolution resolved(Expr expr, Resolutions resolutions) {
    return resolutions.resolutionOf(expr)
        .orElseThrow(() -> new IllegalStateException("unresolved name at " + expr.span()));
  }

  private ValueFunction resolved(Expr expr) {
    Resolution resolution =
        resolutions
            .resolutionOf(expr)
            .orElseThrow(() -> new IllegalStateException("unresolved name at " + expr.span()));
    if (resolution instanceof Resolution.ContactField field) {
      String path = field.field().jsonPath();
      ValueType type = field.type();
      String label = "contact." + path.replaceFirst("^attributes\\.", "");
      // Built-in fields were typed when the contact's JSON was read; custom attributes are
      // typed by the ruleset's declarations, so they are read as their type here.
      return path.startsWith("attributes.")
          ? (f, c) -> read(f, f.contactField(path), type, label)
          : (f, c) -> Values.normalize(f.contactField(path));
    }
    if (resolution instanceof Resolution.TriggeringEventAttribute attribute) {
      String name = attribute.attribute();
      ValueType type = attribute.type();
      String label = "event." + name;
      return (f, c) -> {
        Facts.EventFact event = f.event().orElse(null);
        return event == null ? null : read(f, event.attribute(name), type, label);
      };
    }
    if (resolution instanceof Resolution.CountedEventAttribute attribute) {
      String name = attribute.attribute();
      ValueType type = attribute.type();
      String label = attribute.eventType() + "." + name;
      return (f, c) -> c == null ? null : read(f, c.attribute(name), type, label);
    }
    if (resolution instanceof Resolution.ConstantRef constant) {
      Object value = Values.normalize(constant.constant().value());
      return (f, c) -> value;
    }
    if (resolution instanceof Resolution.StageRef stage) {
      Object value = stage.stage();
      return (f, c) -> value;
    }
    throw new IllegalStateException("no value for " + resolution + " at " + expr.span());
  }

  /** A JSON value as {@code type}; a value of the wrong type is empty and reported. */
  static Object read(Facts facts, Object raw, ValueType type, String field) {
    Object value = Coercion.read(raw, type, facts.zone());
    if (value == Coercion.INVALID) {
      facts.invalid(field, raw, type);
      return null;
    }
    return value;
  }

  // How the trace names a compared value: as the author wrote it, in canonical form.
  private static String label(Expr expr) {
    if (expr instanceof Expr.TagCount t) {
      return "tag " + t.tag().text();
    }
    return Formatter.expr(expr);
  }
}
