package io.relais.engine.compile;

import static io.relais.engine.compile.StepText.Value.SHOWN;

import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.ValueType;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.program.Cond;
import io.relais.dsl.program.Origins;
import io.relais.dsl.program.Period;
import io.relais.dsl.program.Value;
import io.relais.dsl.source.SourceSpan;
import io.relais.engine.dmn.Tables;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns the checked program's conditions ({@link Cond}) and values ({@link Value}) into
 * {@link Condition}s and {@link ValueFunction}s. Every name was resolved by the checker to
 * what it reads (a JSON path and a type, an event attribute, a constant): nothing is looked
 * up or switched on at run time. Both walks are exhaustive visitors, so a new node of the
 * program is a compile error here until it is compiled.
 */
public final class ExpressionCompiler {


  /** Decision tables (docs/language.md ("Decision tables")). */
  private final Tables tables;
  private final FieldRead.Binder fields;
  private final Conditions conditions = new Conditions();
  private final ValueFunctions values = new ValueFunctions();
  /** One instance per aggregate key: a phase's memory then finds it by identity. */
  private final Map<String, String> keys = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A compiler for {@code ruleset} whose contact field reads are bound by {@code fields} as they
   * are compiled (a field without an accessor fails the compilation, not an evaluation).
   */
  public ExpressionCompiler(CheckedRuleset ruleset, FieldRead.Binder fields) {
    this.fields = fields;
    this.tables = new Tables(ruleset, this::value);
    this.origins = ruleset.program().origins();
  }

  /** Where each condition is written, for the trace's false part. */
  private final Origins origins;

  /** Where {@code cond} is written in its file; null for a condition built without syntax. */
  private SourceSpan at(Cond cond) {
    return origins.of(cond).map(Expr::span).orElse(null);
  }

  /** The ruleset's decision tables, for templates and the trace. */
  public Tables tables() {
    return tables;
  }

  /** The rule's condition, or {@link Condition#ALWAYS} when it has none. */
  public Condition condition(Optional<Cond> when) {
    return when.map(this::condition).orElse(Condition.ALWAYS);
  }

  public Condition condition(Cond cond) {
    return cond.accept(conditions);
  }

  private String key(String text) {
    return keys.computeIfAbsent(text, k -> k);
  }

  /** A value expression. */
  public ValueFunction value(Value value) {
    return value.accept(values);
  }

  /** Conditions. An {@code and} / {@code or} is one loop over its terms, in constant stack. */
  private final class Conditions implements Cond.Visitor<Condition> {

    @Override
    public Condition all(Cond.All all) {
      Condition[] terms = terms(all.terms());
      return (f, c, t) -> {
        for (Condition term : terms) {
          if (!term.test(f, c, t)) {
            return false;
          }
        }
        return true;
      };
    }

    @Override
    public Condition any(Cond.Any any) {
      Condition[] terms = terms(any.terms());
      SourceSpan at = at(any);
      return (f, c, t) -> {
        for (Condition term : terms) {
          if (term.test(f, c, t)) {
            return true;
          }
        }
        t.located(at); // every term was false: the whole `or` is the false part
        return false;
      };
    }

    /** The value of a literal or a define, as its value function returns it; else null. */
    private Object constant(Value value) {
      if (value instanceof Value.Literal literal) {
        return literal.value();
      }
      if (value instanceof Value.Constant constant) {
        return Values.normalize(constant.value());
      }
      return null;
    }

    private Condition[] terms(List<Cond> terms) {
      Condition[] compiled = new Condition[terms.size()];
      for (int i = 0; i < compiled.length; i++) {
        compiled[i] = condition(terms.get(i));
      }
      return compiled;
    }

    @Override
    public Condition not(Cond.Not not) {
      Condition operand = condition(not.operand());
      SourceSpan at = at(not);
      return (f, c, t) -> {
        boolean result = !operand.test(f, c, t);
        t.located(at); // the operand's comparison was true: the `not` is what decided
        return result;
      };
    }

    @Override
    public Condition compare(Cond.Compare cmp) {
      SourceSpan at = at(cmp);
      ValueFunction left = value(cmp.left());
      ValueFunction right = value(cmp.right());
      String label = cmp.label();
      String op = cmp.op().symbol();
      Expr.CompareOp operator = cmp.op();
      Object constant = constant(cmp.right());
      // The trace keeps the values compared; its text is written only if it is read.
      String named = label + " = ";
      String between = " " + op + " ";
      Trace.Step step = StepText.of(named, SHOWN, between, SHOWN);
      if (constant != null) {
        // `x >= 3`, `contact.stage < SQL`: nearly every comparison. The right side is read
        // once, here, instead of through a call per test (the same value as right.apply).
        return (f, c, t) -> {
          Object a = left.apply(f, c);
          t.add(step, a, constant, null, at);
          return Values.compare(a, operator, constant, f.zone());
        };
      }
      return (f, c, t) -> {
        Object a = left.apply(f, c);
        Object b = right.apply(f, c);
        t.add(step, a, b, null, at);
        return Values.compare(a, operator, b, f.zone());
      };
    }

    @Override
    public Condition between(Cond.Between b) {
      SourceSpan at = at(b);
      ValueFunction value = value(b.value());
      ValueFunction low = value(b.low());
      ValueFunction high = value(b.high());
      String label = b.label();
      String named = label + " = ";
      Trace.Step step = StepText.of(named, SHOWN, " between ", SHOWN, " and ", SHOWN);
      return (f, c, t) -> {
        Object v = value.apply(f, c);
        Object lo = low.apply(f, c);
        Object hi = high.apply(f, c);
        t.add(step, v, lo, hi, at);
        return Values.compare(v, Expr.CompareOp.GE, lo, f.zone())
            && Values.compare(v, Expr.CompareOp.LE, hi, f.zone());
      };
    }

    @Override
    public Condition inList(Cond.InList in) {
      SourceSpan at = at(in);
      ValueFunction value = value(in.value());
      ValueFunction[] items = in.items().stream().map(ExpressionCompiler.this::value)
          .toArray(ValueFunction[]::new);
      String label = in.label();
      boolean negated = in.negated();
      String named = label + " = ";
      String listed = negated ? " not in list" : " in list";
      Trace.Step step = StepText.of(named, SHOWN, listed);
      return (f, c, t) -> {
        Object v = value.apply(f, c);
        t.add(step, v, null, null, at);
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

    @Override
    public Condition contains(Cond.Contains cs) {
      SourceSpan at = at(cs);
      ValueFunction value = value(cs.value());
      ValueFunction needle = value(cs.needle());
      String label = cs.label();
      String named = label + " = ";
      Trace.Step step = StepText.of(named, SHOWN, " contains ", SHOWN);
      return (f, c, t) -> {
        Object v = value.apply(f, c);
        Object n = needle.apply(f, c);
        t.add(step, v, n, null, at);
        return Values.contains(v, n);
      };
    }

    @Override
    public Condition matches(Cond.Matches m) {
      SourceSpan at = at(m);
      ValueFunction value = value(m.value());
      Glob glob = Glob.compile(m.glob());
      String label = m.label();
      String named = label + " = ";
      String matched = " matches \"" + glob + "\"";
      Trace.Step step = StepText.of(named, SHOWN, matched);
      return (f, c, t) -> {
        Object v = value.apply(f, c);
        t.add(step, v, null, null, at);
        return v instanceof String text && glob.matches(text);
      };
    }

    @Override
    public Condition isEmpty(Cond.IsEmpty e) {
      SourceSpan at = at(e);
      ValueFunction value = value(e.value());
      String label = e.label();
      boolean negated = e.negated();
      String named = label + " = ";
      String emptiness = negated ? " is not empty" : " is empty";
      Trace.Step step = StepText.of(named, SHOWN, emptiness);
      return (f, c, t) -> {
        Object v = value.apply(f, c);
        t.add(step, v, null, null, at);
        return Values.isEmpty(v) != negated;
      };
    }

    @Override
    public Condition hasTag(Cond.HasTag h) {
      SourceSpan at = at(h);
      String tag = h.tag();
      String named = "tag " + tag + " = ";
      Trace.Step step = StepText.of(named, StepText.Value.AS_IS, " >= 1");
      return (f, c, t) -> {
        int count = f.tagCount(tag);
        t.add(step, count, null, null, at);
        return count >= 1;
      };
    }

    @Override
    public Condition inSegment(Cond.InSegment s) {
      SourceSpan at = at(s);
      String segment = s.segment();
      String named = "in segment \"" + segment + "\" = ";
      Trace.Step step = StepText.of(named, StepText.Value.AS_IS);
      return (f, c, t) -> {
        boolean member = f.inSegment(segment);
        t.add(step, member, null, null, at);
        return member;
      };
    }

    @Override
    public Condition eventIs(Cond.EventIs e) {
      SourceSpan at = at(e);
      String type = e.eventType();
      String named = "event is " + type + " = ";
      Trace.Step step = StepText.of(named, StepText.Value.EVENT);
      return (f, c, t) -> {
        Facts.EventFact event = f.event().orElse(null);
        String actual = event == null ? null : event.type();
        t.add(step, actual, null, null, at);
        return type.equals(actual);
      };
    }

    // A true-or-false value: a define, a field such as contact.isBirthday...
    @Override
    public Condition isTrue(Cond.IsTrue is) {
      SourceSpan at = at(is);
      ValueFunction value = value(is.value());
      String label = is.label();
      String named = label + " = ";
      Trace.Step step = StepText.of(named, SHOWN);
      return (f, c, t) -> {
        Object v = value.apply(f, c);
        t.add(step, v, null, null, at);
        return Boolean.TRUE.equals(v);
      };
    }
  }

  /** Values: each resolved name is its accessor. */
  private final class ValueFunctions implements Value.Visitor<ValueFunction> {

    @Override
    public ValueFunction literal(Value.Literal literal) {
      Object value = literal.value();
      return (f, c) -> value;
    }

    @Override
    public ValueFunction constant(Value.Constant constant) {
      Object value = Values.normalize(constant.value());
      return (f, c) -> value;
    }

    @Override
    public ValueFunction contactField(Value.ContactField field) {
      FieldRead accessor = fields.bind(field.jsonPath());
      ValueType type = field.type();
      String label = field.label();
      // Built-in fields were typed when the contact's JSON was read; custom attributes are
      // typed by the ruleset's declarations, so they are read as their type here.
      return field.declared()
          ? (f, c) -> read(f, accessor.read(f), type, label)
          : (f, c) -> Values.normalize(accessor.read(f));
    }

    @Override
    public ValueFunction eventAttribute(Value.EventAttribute attribute) {
      Function<Facts.EventFact, Object> accessor = Facts.EventFact.attribute(attribute.attribute());
      ValueType type = attribute.type();
      String label = "event." + attribute.attribute();
      return (f, c) -> {
        Facts.EventFact event = f.event().orElse(null);
        return event == null ? null : read(f, accessor.apply(event), type, label);
      };
    }

    @Override
    public ValueFunction countedAttribute(Value.CountedAttribute attribute) {
      Function<Facts.EventFact, Object> accessor = Facts.EventFact.attribute(attribute.attribute());
      ValueType type = attribute.type();
      String label = attribute.eventType() + "." + attribute.attribute();
      return (f, c) -> c == null ? null : read(f, accessor.apply(c), type, label);
    }

    @Override
    public ValueFunction tagCount(Value.TagCount tc) {
      String tag = tc.tag();
      return (f, c) -> BigDecimal.valueOf(f.tagCount(tag));
    }

    @Override
    public ValueFunction count(Value.Count count) {
      String type = count.eventType();
      Condition where = count.where().map(ExpressionCompiler.this::condition).orElse(null);
      Period within = count.within().orElse(null);
      String key = key(count.key());
      // Made once here, not per read: a read that finds the value allocates nothing.
      Function<Facts, Object> compute = f -> {
        Instant since = within == null ? null : within.before(f.now());
        long n = 0;
        for (Facts.EventFact event : f.history()) {
          if (counts(f, event, type, where, since)) {
            n++;
          }
        }
        return BigDecimal.valueOf(n);
      };
      return (f, c) -> f.remember(key, compute);
    }

    @Override
    public ValueFunction sum(Value.Sum sum) {
      String type = sum.eventType();
      String attribute = sum.attribute();
      Function<Facts.EventFact, Object> accessor = Facts.EventFact.attribute(attribute);
      Condition where = sum.where().map(ExpressionCompiler.this::condition).orElse(null);
      Period within = sum.within().orElse(null);
      String key = key(sum.key());
      String label = type + "." + attribute;
      Function<Facts, Object> compute = f -> {
        Instant since = within == null ? null : within.before(f.now());
        BigDecimal total = BigDecimal.ZERO;
        for (Facts.EventFact event : f.history()) {
          if (counts(f, event, type, where, since)
              && read(f, accessor.apply(event), ValueType.NUMBER, label)
                  instanceof BigDecimal amount) {
            total = total.add(amount);
          }
        }
        return total;
      };
      return (f, c) -> f.remember(key, compute);
    }

    @Override
    public ValueFunction daysSinceLast(Value.DaysSinceLast d) {
      String type = d.eventType();
      String key = key(d.key());
      Function<Facts, Object> compute = f -> {
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
      };
      return (f, c) -> f.remember(key, compute);
    }

    @Override
    public ValueFunction decision(Value.Decision decision) { // docs/language.md ("Decision tables")
      return tables.value(decision);
    }

    @Override
    public ValueFunction arithmetic(Value.Arithmetic a) {
      ValueFunction left = value(a.left());
      ValueFunction right = value(a.right());
      Expr.ArithmeticOp op = a.op();
      return (f, c) -> {
        if (!(Values.normalize(left.apply(f, c)) instanceof BigDecimal x)
            || !(Values.normalize(right.apply(f, c)) instanceof BigDecimal y)) {
          return null;
        }
        return Values.arithmetic(op, x, y);
      };
    }

    @Override
    public ValueFunction test(Value.Test test) {
      Condition condition = condition(test.condition());
      return (f, c) -> condition.test(f, c, Trace.NONE);
    }
  }

  // Whole days elapsed in the ruleset's zone, rounded down (docs/language.md ("Rules, kinds and phases")).
  private static long daysBetween(Instant then, Facts facts) {
    return LocalTimes.daysBetween(then, facts.now(), facts.zone());
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

  /** A JSON value as {@code type}; a value of the wrong type is empty and reported. */
  static Object read(Facts facts, Object raw, ValueType type, String field) {
    Object value = Coercion.read(raw, type, facts.zone());
    if (value == Coercion.INVALID) {
      facts.invalid(field, raw, type);
      return null;
    }
    return value;
  }
}
