package io.relais.engine.audience;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Expr.CompareOp;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.check.Vocabulary;
import io.relais.dsl.format.Formatter;
import io.relais.dsl.program.Cond;
import io.relais.dsl.program.Origins;
import io.relais.dsl.program.Value;
import io.relais.dsl.schema.Schema;
import io.relais.engine.compile.Values;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Translates a checked condition into one Elasticsearch query over the contacts index that
 * matches exactly the contacts for which the engine finds the condition true (docs/audiences.md).
 * It reads the condition as the engine compiles it, lowered to a {@link Cond} of the ruleset's
 * program, and names a part it refuses with the syntax that part was lowered from.
 *
 * <p>Each comparison becomes "the field has a value and the value passes", because a
 * comparison with an empty value is false whatever the operator; {@code and}, {@code or} and
 * {@code not} then map to {@code bool} one to one, since the engine's {@code not} is the plain
 * negation of that truth value. {@code tag "X"} is 0 when the contact lacks the tag, so a test
 * that holds for 0 also matches contacts without the tag. Stages and booleans are matched by
 * listing the values for which the comparison holds, which keeps DISQUALIFIED outside the order.
 */
public final class PushDown {

  /** How a stored contact field is indexed (the schema's {@link Schema.Indexing}, ContactMapping). */
  enum Kind {
    /** A keyword as written: exact equality, order by code point. */
    KEYWORD,
    /** A keyword indexed lower-cased (e-mail addresses), with an {@code exact} sub-field as written. */
    FOLDED,
    /** An integer. */
    INTEGER,
    /** A calendar date. */
    DATE,
    /** An instant. */
    DATETIME,
    /** A boolean. */
    BOOLEAN,
    /** A stage name, always present. */
    STAGE,
    /** A declared number attribute, indexed as a double beside its name. */
    DOUBLE
  }

  /**
   * A stored field: {@code path} is where its value is indexed; {@code attribute} is the
   * declared attribute's name when the value is one entry of the nested {@code attributeValues}
   * (docs/store.md), else null.
   */
  record StoredField(String label, String path, Kind kind, String attribute) {
    StoredField(String label, String path, Kind kind) {
      this(label, path, kind, null);
    }
  }

  /** The nested list of declared attributes' typed values (ContactDocuments). */
  static final String ATTRIBUTE_VALUES = "attributeValues";

  private static final String NO_SCRIPTS = "comparing two stored numbers, texts or dates needs a"
      + " script, which the store does not run (docs/audiences.md)";

  private static final String HISTORY = "it reads the contact's event history";
  private static final String TRIGGERING_EVENT = "it reads the triggering event, and a count has none";

  /** How each stored field of the schema is indexed (docs/engine.md, "The schema"). */
  private static final Map<String, Kind> BUILT_IN = builtIn();

  private static Map<String, Kind> builtIn() {
    Map<String, Kind> kinds = new java.util.HashMap<>();
    for (Schema.Field field : Schema.storedFields()) {
      kinds.put(field.name(), switch (field.indexing().orElseThrow()) {
        case ID, KEYWORD -> Kind.KEYWORD;
        case FOLDED -> Kind.FOLDED;
        case INTEGER -> Kind.INTEGER;
        case DATE -> Kind.DATE;
        case DATETIME -> Kind.DATETIME;
        case BOOLEAN -> Kind.BOOLEAN;
        case STAGE -> Kind.STAGE;
      });
    }
    return Map.copyOf(kinds);
  }

  /** The operand of a test: a constant, a stored field or a tag's count. */
  private sealed interface Operand {}

  private record Const(Object value) implements Operand {}

  private record FieldRef(StoredField field, Value value) implements Operand {}

  /**
   * Arithmetic on one stored integer field and constants: {@code f} computes it as rules do
   * ({@link Values#arithmetic}), null when empty; {@code direction} is 1 when it never
   * decreases as the field grows, -1 when it never increases, 0 when it is constant.
   */
  private record Arith(FieldRef field, java.util.function.UnaryOperator<BigDecimal> f, int direction,
      Value value) implements Operand {}

  private record TagRef(String name, Value value) implements Operand {}

  private final Vocabulary vocabulary;
  private final Origins origins;
  private final ZoneId zone;
  private final Conditions conditions = new Conditions();
  private final Operands operands = new Operands();
  /** The stored paths the part being translated reads: what a residual scan must fetch. */
  private java.util.Set<String> reads = new java.util.TreeSet<>();

  private PushDown(CheckedRuleset ruleset) {
    this.vocabulary = ruleset.vocabulary();
    this.origins = ruleset.program().origins();
    this.zone = ruleset.zone();
  }

  /**
   * The query for {@code condition}.
   *
   * @throws NotPushableException naming the first part that cannot run in the store
   */
  public static Query translate(AudienceCondition condition) {
    return new PushDown(condition.ruleset()).condition(condition.condition());
  }

  /**
   * A condition split in two (docs/audiences.md, "Residual scans"): {@code query} matches every
   * contact that meets the condition (exactly them when there is no residual); {@code residual},
   * when present, is what Relais evaluates itself on each of those candidates, reading only the
   * stored fields in {@code reads}.
   */
  public record Plan(Query query, Optional<Cond> residual, java.util.Set<String> reads) {}

  /**
   * The condition as a store query and, for the parts that compare or compute with two stored
   * fields, a residual.
   *
   * @throws NotPushableException naming the first part that reads the event, the history or
   *     the clock, which nothing here can count
   */
  public static Plan plan(AudienceCondition condition) {
    PushDown pushDown = new PushDown(condition.ruleset());
    Part part = pushDown.split(condition.condition());
    return new Plan(part.candidates(), Optional.ofNullable(part.residual()),
        java.util.Set.copyOf(part.reads()));
  }

  /**
   * One condition split: {@code candidates} is a query every contact meeting it matches;
   * {@code residual} is null when {@code candidates} matches exactly those, else the part the
   * candidates must still pass; {@code reads} what that part reads.
   */
  private record Part(Query candidates, Cond residual, java.util.Set<String> reads) {}

  /**
   * An {@code and} keeps its exact terms in the query and only its inexact terms in the
   * residual. An {@code or} or a {@code not} with an inexact term moves whole into the residual:
   * a contact may meet an {@code or} through its residual term alone, and the negation of an
   * over-approximation is no over-approximation. Their candidates are still narrowed where that
   * is sound: an {@code or} by the disjunction of its terms' candidates.
   */
  private Part split(Cond cond) {
    java.util.Set<String> outer = reads;
    reads = new java.util.TreeSet<>();
    try {
      if (cond instanceof Cond.All all) {
        List<Query> queries = new ArrayList<>();
        List<Cond> rest = new ArrayList<>();
        java.util.Set<String> restReads = new java.util.TreeSet<>();
        for (Cond term : all.terms()) {
          Part part = split(term);
          queries.add(part.candidates());
          if (part.residual() != null) {
            rest.add(part.residual());
            restReads.addAll(part.reads());
          }
        }
        Cond residual = rest.isEmpty() ? null : rest.size() == 1 ? rest.get(0) : new Cond.All(rest);
        return new Part(and(queries), residual, restReads);
      }
      if (cond instanceof Cond.Any any) {
        List<Query> queries = new ArrayList<>();
        boolean exact = true;
        java.util.Set<String> all = new java.util.TreeSet<>();
        for (Cond term : any.terms()) {
          Part part = split(term);
          queries.add(part.candidates());
          exact &= part.residual() == null;
          all.addAll(part.reads());
        }
        return new Part(or(queries), exact ? null : any, all);
      }
      if (cond instanceof Cond.Not not) {
        Part part = split(not.operand());
        return part.residual() == null ? new Part(PushDown.not(part.candidates()), null, part.reads())
            : new Part(constant(true), not, part.reads());
      }
      try {
        return new Part(condition(cond), null, java.util.Set.copyOf(reads));
      } catch (NotPushableException e) {
        if (!e.residual()) {
          throw e;
        }
        // A comparison of two stored values is false when either is empty: only contacts
        // with both are candidates.
        return new Part(candidates(cond), cond, java.util.Set.copyOf(reads));
      }
    } finally {
      outer.addAll(reads);
      reads = outer;
    }
  }

  /** Candidates for a residual comparison: the compared stored fields exist (an empty side is false). */
  private Query candidates(Cond cond) {
    if (!(cond instanceof Cond.Compare c)) {
      return constant(true);
    }
    List<Query> present = new ArrayList<>();
    for (Value side : List.of(c.left(), c.right())) {
      if (side instanceof Value.ContactField f && !f.declared() && BUILT_IN.containsKey(f.jsonPath())) {
        StoredField field = stored(f);
        present.add(exists(field.kind() == Kind.FOLDED ? exact(field).path() : field.path()));
      }
    }
    return present.isEmpty() ? constant(true) : and(present);
  }

  // ---- conditions ----

  private Query condition(Cond condition) {
    return condition.accept(conditions);
  }

  private List<Query> conditions(List<Cond> terms) {
    List<Query> parts = new ArrayList<>(terms.size());
    for (Cond term : terms) {
      parts.add(condition(term));
    }
    return parts;
  }

  /** Each condition as a query; the first part that cannot run in the store throws. */
  private final class Conditions implements Cond.Visitor<Query> {

    @Override
    public Query all(Cond.All c) {
      return and(conditions(c.terms()));
    }

    @Override
    public Query any(Cond.Any c) {
      return or(conditions(c.terms()));
    }

    @Override
    public Query not(Cond.Not c) {
      return PushDown.not(condition(c.operand()));
    }

    @Override
    public Query compare(Cond.Compare c) {
      return PushDown.this.compare(operand(c.left()), c.op().meaning(), operand(c.right()), c);
    }

    @Override
    public Query between(Cond.Between c) {
      Operand value = operand(c.value());
      return and(List.of(PushDown.this.compare(value, CompareOp.GE, operand(c.low()), c),
          PushDown.this.compare(value, CompareOp.LE, operand(c.high()), c)));
    }

    @Override
    public Query inList(Cond.InList c) {
      return PushDown.this.inList(c);
    }

    @Override
    public Query contains(Cond.Contains c) {
      return PushDown.this.contains(c);
    }

    @Override
    public Query matches(Cond.Matches c) {
      return PushDown.this.matches(c);
    }

    @Override
    public Query isEmpty(Cond.IsEmpty c) {
      Query empty = PushDown.this.isEmpty(operand(c.value()));
      return c.negated() ? PushDown.not(empty) : empty;
    }

    @Override
    public Query hasTag(Cond.HasTag c) {
      reads.add("tags");
      return tag(c.tag(), integer("tags.count", CompareOp.GE, BigDecimal.ONE), false);
    }

    @Override
    public Query inSegment(Cond.InSegment c) {
      reads.add("segments");
      return term("segments", FieldValue.of(c.segment()));
    }

    @Override
    public Query eventIs(Cond.EventIs c) {
      throw notPushable(origins.of(c), TRIGGERING_EVENT);
    }

    /** A value used as a condition: true only when it is the boolean true. */
    @Override
    public Query isTrue(Cond.IsTrue c) {
      Operand value = operand(c.value());
      if (value instanceof Const constant) {
        return constant(Boolean.TRUE.equals(constant.value()));
      }
      if (value instanceof FieldRef f && f.field().kind() == Kind.BOOLEAN) {
        return valueIs(f.field(), Boolean.TRUE);
      }
      throw notPushable(origins.of(c), "it is not a condition on stored fields");
    }
  }

  private Query compare(Operand left, CompareOp op, Operand right, Cond whole) {
    if (left instanceof Const a && right instanceof Const b) {
      return constant(fold(a.value(), op, b.value()));
    }
    if (left instanceof Const) {
      return compare(right, flip(op), left, whole);
    }
    if (left instanceof FieldRef a && right instanceof FieldRef b) {
      return fields(a, op, b, whole);
    }
    if (!(right instanceof Const c)) {
      throw residual(origins.of(whole), left instanceof Arith || right instanceof Arith
          ? "it compares arithmetic with another stored value: " + NO_SCRIPTS : NO_SCRIPTS);
    }
    if (left instanceof Arith a) {
      BigDecimal k = (BigDecimal) c.value();
      if (op == CompareOp.NE) {
        // Has a value (the arithmetic is not empty) and is not equal.
        return and(List.of(nonEmpty(a), not(integerSet(a.field(), solve(a, CompareOp.EQ, k)))));
      }
      return integerSet(a.field(), solve(a, op, k));
    }
    if (left instanceof TagRef t) {
      BigDecimal n = (BigDecimal) c.value();
      return tag(t.name(), integer("tags.count", op, n), fold(BigDecimal.ZERO, op, n));
    }
    FieldRef f = (FieldRef) left;
    return at(f.field(), and(List.of(exists(f.field().path()), test(f, op, c.value()))));
  }

  /**
   * Two stored fields compared: the same field (its value against itself), or two fields of
   * few values (booleans, stages), which are matched pair of values by pair of values. Other
   * pairs would need a script per document.
   */
  private Query fields(FieldRef a, CompareOp op, FieldRef b, Cond whole) {
    StoredField x = a.field();
    StoredField y = b.field();
    boolean enumerable = (x.kind() == Kind.BOOLEAN || x.kind() == Kind.STAGE) && x.kind() == y.kind();
    if (enumerable) {
      Object[] all = x.kind() == Kind.BOOLEAN ? new Object[] {Boolean.FALSE, Boolean.TRUE} : Stage.values();
      List<Query> pairs = new ArrayList<>();
      for (Object u : all) {
        for (Object v : all) {
          if (fold(u, op, v)) {
            pairs.add(and(List.of(valueIs(x, u), valueIs(y, v))));
          }
        }
      }
      return or(pairs);
    }
    if (x.equals(y)) {
      // A value compared with itself: equal, so true when the field has a value.
      return op == CompareOp.EQ || op == CompareOp.LE || op == CompareOp.GE
          ? at(x, exists(x.path())) : constant(false);
    }
    throw residual(origins.of(whole), NO_SCRIPTS);
  }

  /** The field holds {@code value} (a boolean or a stage). */
  private static Query valueIs(StoredField field, Object value) {
    return at(field, term(field.path(), value instanceof Boolean b ? FieldValue.of(b) : FieldValue.of(value.toString())));
  }

  /** {@code inner} on the field's own value: inside its nested entry for a declared attribute. */
  private static Query at(StoredField field, Query inner) {
    if (field.attribute() == null) {
      return inner;
    }
    Query named = term(ATTRIBUTE_VALUES + ".name", FieldValue.of(field.attribute()));
    return Query.of(q -> q.nested(n -> n.path(ATTRIBUTE_VALUES).query(and(List.of(named, inner)))));
  }

  /** The integers in {@code [low, high]} (null: unbounded; {@code empty}: none). */
  private record Interval(Long low, Long high, boolean empty) {
    static final Interval NONE = new Interval(null, null, true);
    static final Interval ALL = new Interval(null, null, false);

    Interval and(Interval o) {
      if (empty || o.empty) {
        return NONE;
      }
      Long lo = low == null ? o.low : o.low == null ? low : Long.valueOf(Math.max(low, o.low));
      Long hi = high == null ? o.high : o.high == null ? high : Long.valueOf(Math.min(high, o.high));
      return lo != null && hi != null && lo > hi ? NONE : new Interval(lo, hi, false);
    }
  }

  /**
   * The integers {@code x} of the field's range for which {@code f(x) op k} holds: since
   * {@code f} is monotone, they are one interval (its complement for {@code !=}), found by
   * bisection with the rules' own arithmetic, so the store and the engine agree on every
   * integer, roundings included.
   */
  private static Interval solve(Arith a, CompareOp op, BigDecimal k) {
    return switch (op) {
      case EQ -> solve(a, CompareOp.GE, k).and(solve(a, CompareOp.LE, k));
      case NE -> throw new IllegalStateException("!= is the negation of =");
      default -> {
        long lo = Integer.MIN_VALUE;
        long hi = Integer.MAX_VALUE;
        boolean atLo = holds(a, lo, op, k);
        boolean atHi = holds(a, hi, op, k);
        if (atLo == atHi) {
          // Monotone: true at both ends is true everywhere between (and false likewise).
          yield atLo ? Interval.ALL : Interval.NONE;
        }
        // One boundary between lo and hi: bisect for the last x with the value at lo.
        long from = lo;
        long to = hi;
        while (to - from > 1) {
          long mid = from + (to - from) / 2;
          if (holds(a, mid, op, k) == atLo) {
            from = mid;
          } else {
            to = mid;
          }
        }
        yield atLo ? new Interval(null, from, false) : new Interval(to, null, false);
      }
    };
  }

  /** The contacts for which the arithmetic has a value: its field has one, and no division by zero. */
  private static Query nonEmpty(Arith a) {
    return a.f().apply(BigDecimal.ZERO) == null ? constant(false)
        : integerSet(a.field(), Interval.ALL);
  }

  private static boolean holds(Arith a, long x, CompareOp op, BigDecimal k) {
    BigDecimal value = a.f().apply(BigDecimal.valueOf(x));
    return value != null && fold(value, op, k);
  }

  /** The contacts whose integer field lies in {@code interval}. */
  private static Query integerSet(FieldRef ref, Interval interval) {
    String path = ref.field().path();
    if (interval.empty()) {
      return constant(false);
    }
    if (interval.low() == null && interval.high() == null) {
      return at(ref.field(), exists(path));
    }
    return at(ref.field(), Query.of(q -> q.range(r -> r.number(x -> {
      x.field(path);
      if (interval.low() != null) {
        x.gte(interval.low().doubleValue());
      }
      if (interval.high() != null) {
        x.lte(interval.high().doubleValue());
      }
      return x;
    }))));
  }

  /** {@code field op value} for a contact whose field has a value. */
  private Query test(FieldRef ref, CompareOp op, Object value) {
    StoredField field = ref.field();
    String path = field.path();
    return switch (field.kind()) {
      // Indexed lower-cased for look-ups, and as written in its `exact` sub-field.
      case FOLDED -> test(new FieldRef(exact(field), ref.value()), op, value);
      case DOUBLE -> {
        double n = ((BigDecimal) value).doubleValue();
        yield switch (op) {
          case EQ -> Query.of(q -> q.range(r -> r.number(x -> x.field(path).gte(n).lte(n))));
          case NE -> not(Query.of(q -> q.range(r -> r.number(x -> x.field(path).gte(n).lte(n)))));
          case LT -> Query.of(q -> q.range(r -> r.number(x -> x.field(path).lt(n))));
          case LE -> Query.of(q -> q.range(r -> r.number(x -> x.field(path).lte(n))));
          case GT -> Query.of(q -> q.range(r -> r.number(x -> x.field(path).gt(n))));
          case GE -> Query.of(q -> q.range(r -> r.number(x -> x.field(path).gte(n))));
          default -> throw new IllegalStateException(op.name());
        };
      }
      case KEYWORD -> {
        String text = (String) value;
        yield switch (op) {
          case EQ -> term(path, FieldValue.of(text));
          case NE -> not(term(path, FieldValue.of(text)));
          case LT -> Query.of(q -> q.range(r -> r.term(t -> t.field(path).lt(text))));
          case LE -> Query.of(q -> q.range(r -> r.term(t -> t.field(path).lte(text))));
          case GT -> Query.of(q -> q.range(r -> r.term(t -> t.field(path).gt(text))));
          case GE -> Query.of(q -> q.range(r -> r.term(t -> t.field(path).gte(text))));
          default -> throw new IllegalStateException(op.name());
        };
      }
      case INTEGER -> integer(path, op, (BigDecimal) value);
      case DATE -> dates(path, op, ((LocalDate) value).toString(), "strict_date");
      case DATETIME -> {
        // A date against a date-time stands for its first instant in the ruleset's zone.
        Instant instant = value instanceof LocalDate d ? d.atStartOfDay(zone).toInstant() : (Instant) value;
        yield dates(path, op, instant.toString(), "strict_date_optional_time");
      }
      case BOOLEAN -> enumerated(path, new Object[] {Boolean.FALSE, Boolean.TRUE}, op, value);
      case STAGE -> enumerated(path, Stage.values(), op, value);
    };
  }

  /** A lower-cased field's sub-field holding the value as written (ContactMapping). */
  private static StoredField exact(StoredField folded) {
    return new StoredField(folded.label(), folded.path() + ".exact", Kind.KEYWORD, folded.attribute());
  }

  /** The values among {@code all} for which {@code v op value} holds. */
  private static Query enumerated(String path, Object[] all, CompareOp op, Object value) {
    List<FieldValue> passing = new ArrayList<>();
    for (Object v : all) {
      if (fold(v, op, value)) {
        passing.add(v instanceof Boolean b ? FieldValue.of(b) : FieldValue.of(v.toString()));
      }
    }
    return terms(path, passing);
  }

  private static Query dates(String path, CompareOp op, String value, String format) {
    return switch (op) {
      case EQ -> Query.of(q -> q.range(r -> r.date(d -> d.field(path).gte(value).lte(value).format(format))));
      case NE -> not(dates(path, CompareOp.EQ, value, format));
      case LT -> Query.of(q -> q.range(r -> r.date(d -> d.field(path).lt(value).format(format))));
      case LE -> Query.of(q -> q.range(r -> r.date(d -> d.field(path).lte(value).format(format))));
      case GT -> Query.of(q -> q.range(r -> r.date(d -> d.field(path).gt(value).format(format))));
      case GE -> Query.of(q -> q.range(r -> r.date(d -> d.field(path).gte(value).format(format))));
      default -> throw new IllegalStateException(op.name());
    };
  }

  /**
   * {@code field op n} on an integer field, with {@code n} any decimal: the bounds are rounded
   * to the integers that pass and clamped to the field's range, so nothing is left to the store's
   * own rounding.
   */
  static Query integer(String path, CompareOp op, BigDecimal n) {
    boolean whole = n.stripTrailingZeros().scale() <= 0;
    BigDecimal low;
    BigDecimal high;
    switch (op) {
      case EQ, NE -> {
        if (!whole) {
          return constant(op == CompareOp.NE);
        }
        low = n;
        high = n;
      }
      case GT -> {
        low = n.setScale(0, RoundingMode.FLOOR).add(BigDecimal.ONE);
        high = null;
      }
      case GE -> {
        low = n.setScale(0, RoundingMode.CEILING);
        high = null;
      }
      case LT -> {
        low = null;
        high = n.setScale(0, RoundingMode.CEILING).subtract(BigDecimal.ONE);
      }
      case LE -> {
        low = null;
        high = n.setScale(0, RoundingMode.FLOOR);
      }
      default -> throw new IllegalStateException(op.name());
    }
    BigDecimal min = BigDecimal.valueOf(Integer.MIN_VALUE);
    BigDecimal max = BigDecimal.valueOf(Integer.MAX_VALUE);
    boolean empty = (low != null && low.compareTo(max) > 0) || (high != null && high.compareTo(min) < 0);
    Query range;
    if (empty) {
      range = constant(false);
    } else {
      Double gte = low == null || low.compareTo(min) <= 0 ? null : low.doubleValue();
      Double lte = high == null || high.compareTo(max) >= 0 ? null : high.doubleValue();
      range = gte == null && lte == null ? constant(true)
          : Query.of(q -> q.range(r -> r.number(x -> {
            x.field(path);
            if (gte != null) {
              x.gte(gte);
            }
            if (lte != null) {
              x.lte(lte);
            }
            return x;
          })));
    }
    return op == CompareOp.NE ? not(range) : range;
  }

  /**
   * {@code tag "name"} passes {@code countTest}: a stored tag whose count passes, or, when the
   * test holds for 0, no stored tag of that name.
   */
  private static Query tag(String name, Query countTest, boolean zeroPasses) {
    Query named = term("tags.name", FieldValue.of(name));
    Query passing = Query.of(q -> q.nested(n -> n.path("tags").query(and(List.of(named, countTest)))));
    if (!zeroPasses) {
      return passing;
    }
    Query tagged = Query.of(q -> q.nested(n -> n.path("tags").query(named)));
    return or(List.of(passing, not(tagged)));
  }

  private Query inList(Cond.InList in) {
    Operand value = operand(in.value());
    List<Object> items = new ArrayList<>();
    for (Value item : in.items()) {
      if (!(operand(item) instanceof Const c)) {
        throw notPushable(origins.of(item), "a list item must be a constant to run as a store query");
      }
      items.add(c.value());
    }
    if (value instanceof Const c) {
      boolean found = items.stream().anyMatch(i -> fold(c.value(), CompareOp.EQ, i));
      return constant(!isEmptyValue(c.value()) && found != in.negated());
    }
    if (value instanceof TagRef t) {
      List<Query> any = new ArrayList<>();
      boolean zero = false;
      for (Object item : items) {
        any.add(integer("tags.count", CompareOp.EQ, (BigDecimal) item));
        zero |= fold(BigDecimal.ZERO, CompareOp.EQ, item);
      }
      Query test = or(any);
      return in.negated() ? tag(t.name(), not(test), !zero) : tag(t.name(), test, zero);
    }
    if (value instanceof Arith a) {
      List<Query> any = new ArrayList<>();
      for (Object item : items) {
        any.add(integerSet(a.field(), solve(a, CompareOp.EQ, (BigDecimal) item)));
      }
      return in.negated() ? and(List.of(nonEmpty(a), not(or(any)))) : or(any);
    }
    FieldRef f = (FieldRef) value;
    List<Query> any = new ArrayList<>();
    for (Object item : items) {
      any.add(test(f, CompareOp.EQ, item));
    }
    Query found = or(any);
    // An empty value is in no list and not in none: both are false (docs/engine.md).
    return at(f.field(), and(List.of(present(f.field()), in.negated() ? not(found) : found)));
  }

  /** The field has a value that is not empty ({@code ""} is empty text). */
  private static Query present(StoredField field) {
    return field.kind() == Kind.KEYWORD || field.kind() == Kind.FOLDED
        ? and(List.of(exists(field.path()), not(term(field.path(), FieldValue.of("")))))
        : exists(field.path());
  }

  private Query contains(Cond.Contains c) {
    Operand value = operand(c.value());
    Operand needle = operand(c.needle());
    if (!(needle instanceof Const n) || !(n.value() instanceof String text)) {
      throw notPushable(origins.of(c.needle()), "`contains` runs as a store query only with a text constant");
    }
    if (value instanceof Const v) {
      return constant(v.value() instanceof String s
          && s.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT)));
    }
    if (!(value instanceof FieldRef f)
        || (f.field().kind() != Kind.KEYWORD && f.field().kind() != Kind.FOLDED)) {
      throw notPushable(origins.of(c.value()), "`contains` reads text");
    }
    String path = f.field().path();
    if (text.isEmpty()) {
      return at(f.field(), exists(path));
    }
    String pattern = "*" + escapeWildcard(text) + "*";
    return at(f.field(), Query.of(q -> q.wildcard(w -> w.field(path).value(pattern).caseInsensitive(true))));
  }

  private Query matches(Cond.Matches m) {
    Operand value = operand(m.value());
    if (!(value instanceof FieldRef f)
        || (f.field().kind() != Kind.KEYWORD && f.field().kind() != Kind.FOLDED)) {
      throw notPushable(origins.of(m), "`matches` runs as a store query only on a stored text field");
    }
    StoredField field = f.field().kind() == Kind.FOLDED ? exact(f.field()) : f.field();
    String regex = globToRegex(m.glob());
    return at(field, Query.of(q -> q.regexp(r -> r.field(field.path()).value(regex).flags("NONE"))));
  }

  private Query isEmpty(Operand value) {
    if (value instanceof Const c) {
      return constant(isEmptyValue(c.value()));
    }
    if (value instanceof TagRef) {
      return constant(false); // a tag's count is 0, never empty
    }
    if (value instanceof Arith a) {
      return not(nonEmpty(a));
    }
    StoredField field = ((FieldRef) value).field();
    return field.kind() == Kind.STAGE
        ? constant(false) // a contact without a stage is a LEAD
        : not(at(field, present(field)));
  }

  // ---- operands ----

  private Operand operand(Value value) {
    return value.accept(operands);
  }

  /** Each value as a constant, a stored field or a tag's count; any other value throws. */
  private final class Operands implements Value.Visitor<Operand> {

    private NotPushableException refused(Value v, String reason) {
      return notPushable(origins.of(v), reason);
    }

    @Override
    public Operand literal(Value.Literal v) {
      return new Const(v.value());
    }

    @Override
    public Operand constant(Value.Constant v) {
      return new Const(normalize(v.value()));
    }

    @Override
    public Operand contactField(Value.ContactField v) {
      return new FieldRef(stored(v), v);
    }

    @Override
    public Operand tagCount(Value.TagCount v) {
      reads.add("tags");
      return new TagRef(v.tag(), v);
    }

    @Override
    public Operand eventAttribute(Value.EventAttribute v) {
      throw refused(v, TRIGGERING_EVENT);
    }

    @Override
    public Operand countedAttribute(Value.CountedAttribute v) {
      throw refused(v, TRIGGERING_EVENT);
    }

    @Override
    public Operand count(Value.Count v) {
      throw refused(v, HISTORY);
    }

    @Override
    public Operand sum(Value.Sum v) {
      throw refused(v, HISTORY);
    }

    @Override
    public Operand daysSinceLast(Value.DaysSinceLast v) {
      throw refused(v, HISTORY);
    }

    @Override
    public Operand decision(Value.Decision v) {
      throw refused(v, "it reads a decision table, which runs at evaluation time");
    }

    @Override
    public Operand arithmetic(Value.Arithmetic v) {
      Operand left = operand(v.left());
      Operand right = operand(v.right());
      Expr.ArithmeticOp op = v.op();
      if (left instanceof Const a && right instanceof Const b) {
        return new Const(a.value() instanceof BigDecimal x && b.value() instanceof BigDecimal y
            ? Values.arithmetic(op, x, y) : null);
      }
      // One side is a stored integer field (or arithmetic on one), the other a constant.
      Operand varying = left instanceof Const ? right : left;
      Operand fixed = left instanceof Const ? left : right;
      if (!(fixed instanceof Const c)) {
        throw residual(origins.of(v), "arithmetic on two stored values: " + NO_SCRIPTS);
      }
      Arith inner = varying instanceof Arith a ? a
          : varying instanceof FieldRef f && f.field().kind() == Kind.INTEGER
              ? new Arith(f, x -> x, 1, f.value()) : null;
      if (inner == null) {
        throw residual(origins.of(v), "arithmetic runs as a store query only on a stored whole number"
            + " (contact.score, contact.companySize)");
      }
      BigDecimal k = c.value() instanceof BigDecimal n ? n : null;
      java.util.function.UnaryOperator<BigDecimal> g = inner.f();
      boolean fieldLeft = fixed == right;
      if (k == null) {
        return new Arith(inner.field(), x -> null, 0, v);
      }
      if (!fieldLeft && op == Expr.ArithmeticOp.DIVIDE) {
        // k / f(x) is not monotone across zero.
        throw residual(origins.of(v), "dividing by a stored value does not run as a store query");
      }
      java.util.function.UnaryOperator<BigDecimal> f = x -> {
        BigDecimal y = g.apply(x);
        return y == null ? null : fieldLeft ? Values.arithmetic(op, y, k) : Values.arithmetic(op, k, y);
      };
      int direction = switch (op) {
        case ADD -> inner.direction();
        case SUBTRACT -> fieldLeft ? inner.direction() : -inner.direction();
        case MULTIPLY, DIVIDE -> inner.direction() * k.signum();
      };
      return new Arith(inner.field(), f, direction, v);
    }

    @Override
    public Operand test(Value.Test v) {
      throw refused(v, "a condition used as a value does not run as a store query");
    }
  }

  private StoredField stored(Value.ContactField field) {
    reads.add(field.jsonPath());
    if (field.declared()) {
      String name = field.jsonPath().substring("attributes.".length());
      // Each declared attribute's value is indexed read as each type the engine can read it as.
      return switch (field.type()) {
        case TEXT -> new StoredField(field.label(), ATTRIBUTE_VALUES + ".text", Kind.KEYWORD, name);
        case NUMBER -> new StoredField(field.label(), ATTRIBUTE_VALUES + ".number", Kind.DOUBLE, name);
        case BOOLEAN -> new StoredField(field.label(), ATTRIBUTE_VALUES + ".boolean", Kind.BOOLEAN, name);
        default -> throw residual(origins.of(field), "a declared " + field.type().keyword()
            + " is read in the ruleset's zone, which the stored value does not know");
      };
    }
    if (vocabulary.field(field.jsonPath()).map(Vocabulary.Field::derived).orElse(false)) {
      throw notPushable(origins.of(field), field.label() + " is computed at evaluation time, not stored");
    }
    Kind kind = BUILT_IN.get(field.jsonPath());
    if (kind == null) {
      throw notPushable(origins.of(field), field.label() + " is not indexed");
    }
    return new StoredField(field.label(), field.jsonPath(), kind);
  }

  // ---- the language's semantics on constants (docs/engine.md "Choices") ----

  static boolean fold(Object left, CompareOp op, Object right) {
    if (left == null || right == null) {
      return false;
    }
    if (op == CompareOp.EQ || op == CompareOp.NE) {
      boolean equal = left instanceof BigDecimal a && right instanceof BigDecimal b
          ? a.compareTo(b) == 0 : left.equals(right);
      return equal == (op == CompareOp.EQ);
    }
    if (left instanceof Stage a && right instanceof Stage b && (!a.isOrdered() || !b.isOrdered())) {
      return false;
    }
    if (!(left instanceof Comparable<?>) || left.getClass() != right.getClass()) {
      return false;
    }
    @SuppressWarnings("unchecked")
    int order = ((Comparable<Object>) left).compareTo(right);
    return switch (op) {
      case LT -> order < 0;
      case LE -> order <= 0;
      case GT -> order > 0;
      case GE -> order >= 0;
      default -> throw new IllegalStateException(op.name());
    };
  }

  private static boolean isEmptyValue(Object value) {
    return value == null || (value instanceof String s && s.isEmpty());
  }

  private static Object normalize(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    if (value instanceof Double || value instanceof Float) {
      return new BigDecimal(value.toString());
    }
    return value;
  }

  private static CompareOp flip(CompareOp op) {
    return switch (op) {
      case LT -> CompareOp.GT;
      case LE -> CompareOp.GE;
      case GT -> CompareOp.LT;
      case GE -> CompareOp.LE;
      default -> op;
    };
  }

  // ---- query building ----

  /** {@code part} is the syntax of the refused node, which every lowered condition has. */
  private static NotPushableException notPushable(Optional<Expr> part, String reason) {
    Expr syntax = part.orElseThrow(() -> new IllegalStateException("a condition part without syntax"));
    return new NotPushableException(Formatter.expr(syntax), syntax.span(), reason);
  }

  /** A part that only reads stored fields but has no store query: a residual scan evaluates it. */
  private static NotPushableException residual(Optional<Expr> part, String reason) {
    Expr syntax = part.orElseThrow(() -> new IllegalStateException("a condition part without syntax"));
    return new NotPushableException(Formatter.expr(syntax), syntax.span(), reason, true);
  }

  static Query constant(boolean all) {
    return all ? Query.of(q -> q.matchAll(m -> m)) : Query.of(q -> q.matchNone(m -> m));
  }

  private static Query exists(String path) {
    return Query.of(q -> q.exists(e -> e.field(path)));
  }

  private static Query term(String path, FieldValue value) {
    return Query.of(q -> q.term(t -> t.field(path).value(value)));
  }

  private static Query terms(String path, List<FieldValue> values) {
    if (values.isEmpty()) {
      return constant(false);
    }
    return Query.of(q -> q.terms(t -> t.field(path).terms(v -> v.value(values))));
  }

  private static Query and(List<Query> parts) {
    return parts.size() == 1 ? parts.get(0) : Query.of(q -> q.bool(b -> b.filter(parts)));
  }

  private static Query or(List<Query> parts) {
    if (parts.isEmpty()) {
      return constant(false);
    }
    return parts.size() == 1 ? parts.get(0)
        : Query.of(q -> q.bool(b -> b.should(parts).minimumShouldMatch("1")));
  }

  private static Query not(Query operand) {
    return Query.of(q -> q.bool(b -> b.mustNot(operand)));
  }

  /** Wildcard syntax: {@code *}, {@code ?} and the escape {@code \} are the only special characters. */
  static String escapeWildcard(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '*' || c == '?' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /**
   * The language's glob as a Lucene regular expression (flags NONE): {@code **} any run,
   * {@code *} any run without {@code /}, {@code ?} one character; every other ASCII character
   * that is not a letter or digit is escaped, so it stands for itself.
   */
  static String globToRegex(String glob) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '?') {
        out.append('.');
      } else if (c == '*') {
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          out.append(".*");
          i++;
        } else {
          out.append("[^/]*");
        }
      } else if (c < 0x80 && !Character.isLetterOrDigit(c)) {
        out.append('\\').append(c);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
