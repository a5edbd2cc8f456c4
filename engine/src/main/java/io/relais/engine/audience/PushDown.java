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
    /** A keyword indexed lower-cased (e-mail addresses): only case-insensitive tests are exact. */
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
    STAGE
  }

  record StoredField(String label, String path, Kind kind) {}

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

  private record TagRef(String name, Value value) implements Operand {}

  private final Vocabulary vocabulary;
  private final Origins origins;
  private final ZoneId zone;
  private final Conditions conditions = new Conditions();
  private final Operands operands = new Operands();

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
      return tag(c.tag(), integer("tags.count", CompareOp.GE, BigDecimal.ONE), false);
    }

    @Override
    public Query inSegment(Cond.InSegment c) {
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
        return term(f.field().path(), FieldValue.of(true));
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
    if (!(right instanceof Const c)) {
      throw notPushable(origins.of(whole), "it compares two stored values, which a store query cannot do");
    }
    if (left instanceof TagRef t) {
      BigDecimal n = (BigDecimal) c.value();
      return tag(t.name(), integer("tags.count", op, n), fold(BigDecimal.ZERO, op, n));
    }
    FieldRef f = (FieldRef) left;
    return and(List.of(exists(f.field().path()), test(f, op, c.value())));
  }

  /** {@code field op value} for a contact whose field has a value. */
  private Query test(FieldRef ref, CompareOp op, Object value) {
    StoredField field = ref.field();
    String path = field.path();
    return switch (field.kind()) {
      case FOLDED -> throw notPushable(origins.of(ref.value()), "the store keeps " + field.label()
          + " lower-cased, so only `contains` and `is empty` on it run as a store query");
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
    FieldRef f = (FieldRef) value;
    List<Query> any = new ArrayList<>();
    for (Object item : items) {
      any.add(test(f, CompareOp.EQ, item));
    }
    Query found = or(any);
    // An empty value is in no list and not in none: both are false (docs/engine.md).
    Query present = f.field().kind() == Kind.KEYWORD || f.field().kind() == Kind.FOLDED
        ? and(List.of(exists(f.field().path()), not(term(f.field().path(), FieldValue.of("")))))
        : exists(f.field().path());
    return and(List.of(present, in.negated() ? not(found) : found));
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
      return exists(path);
    }
    String pattern = "*" + escapeWildcard(text) + "*";
    return Query.of(q -> q.wildcard(w -> w.field(path).value(pattern).caseInsensitive(true)));
  }

  private Query matches(Cond.Matches m) {
    Operand value = operand(m.value());
    if (!(value instanceof FieldRef f) || f.field().kind() != Kind.KEYWORD) {
      throw notPushable(origins.of(m), value instanceof FieldRef f && f.field().kind() == Kind.FOLDED
          ? "the store keeps " + f.field().label() + " lower-cased, so only `contains` and `is empty` on it"
              + " run as a store query"
          : "`matches` runs as a store query only on a stored text field");
    }
    String regex = globToRegex(m.glob());
    String path = f.field().path();
    return Query.of(q -> q.regexp(r -> r.field(path).value(regex).flags("NONE")));
  }

  private Query isEmpty(Operand value) {
    if (value instanceof Const c) {
      return constant(isEmptyValue(c.value()));
    }
    if (value instanceof TagRef) {
      return constant(false); // a tag's count is 0, never empty
    }
    StoredField field = ((FieldRef) value).field();
    return switch (field.kind()) {
      case STAGE -> constant(false); // a contact without a stage is a LEAD
      case KEYWORD, FOLDED -> or(List.of(not(exists(field.path())), term(field.path(), FieldValue.of(""))));
      default -> not(exists(field.path()));
    };
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
      throw refused(v, "arithmetic does not run as a store query");
    }

    @Override
    public Operand test(Value.Test v) {
      throw refused(v, "a condition used as a value does not run as a store query");
    }
  }

  private StoredField stored(Value.ContactField field) {
    if (field.declared()) {
      throw notPushable(origins.of(field), "declared attributes are stored without their type, so"
          + " comparing them in the store could disagree with the engine");
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
