package io.relais.engine.evaluation;

import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.ValueType;
import io.relais.dsl.program.Cond;
import io.relais.dsl.program.Value;
import io.relais.engine.compile.ExpressionCompiler;
import io.relais.engine.compile.Facts;
import io.relais.engine.compile.ValueFunction;
import io.relais.engine.compile.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tests of rules' conditions that the Drools network runs itself, as alpha nodes shared by
 * every rule with the same test (docs/engine.md, "The network"): equality of an event
 * attribute or a contact field with a literal, and the first path segment a URL glob requires
 * ({@code "/pricing/**"}: {@code /pricing/}), both hashed on the value read, so that a thousand
 * rules testing {@code event.title} against a thousand titles cost one lookup; and the
 * presence of a tag or a segment ({@code has tag}, {@code tag "X" >= 2}, {@code in segment}).
 * Each is a condition the rule's condition implies: the rule's own function still runs the
 * whole condition, these terms included, for its result and its trace.
 *
 * <p>They are taken from the condition's top-level {@code and} chain, from its front up to the
 * first term that could fail or report a value of the wrong type, passing over quiet terms
 * (comparisons of stored contact fields, tag counts and literals, event types): a term the
 * network tests is then reached by the condition only after terms that cannot fail, so a rule
 * the network stops would have been false, with no failure. The warnings about values of the
 * wrong type do not depend on which rules the network stops: they are collected in rule order
 * from the whole conditions (CompiledRuleset.reportWarnings).
 */
final class AlphaTests {

  /** One test; equal tests have equal ids (numbers only: no user text) and are one object. */
  sealed interface Test {
    String id();

    /** The hash index of a test on a field, else -1. */
    int field();

    /** The text the test is hashed on (a field's value for an equality); null when not hashed. */
    String indexKey();

    /** What the snapshot gives for the index: the text {@link #indexKey()} must equal. */
    String key(Facts facts);

    boolean test(Facts facts);
  }

  /** {@code field = constant}: hashed on {@link #key(Object)} of the value read. */
  record Equal(String id, int field, ValueFunction read, Object constant, String indexKey)
      implements Test {
    @Override
    public String key(Facts facts) {
      return AlphaTests.key(read.apply(facts, null));
    }

    @Override
    public boolean test(Facts facts) {
      // The comparison the condition makes: numbers by value, text exactly.
      return Values.compare(read.apply(facts, null), Expr.CompareOp.EQ, constant, facts.zone());
    }
  }

  /** {@code field matches "/first/..."}: the text's first path segment is {@code indexKey}. */
  record FirstSegment(String id, int field, ValueFunction read, String indexKey) implements Test {
    @Override
    public String key(Facts facts) {
      return firstSegment(read.apply(facts, null));
    }

    @Override
    public boolean test(Facts facts) {
      return Objects.equals(key(facts), indexKey);
    }
  }

  /** The contact has the tag (or is in the segment, when {@code segment}). */
  record Present(String id, String name, boolean segment) implements Test {
    @Override
    public int field() {
      return -1;
    }

    @Override
    public String indexKey() {
      return null;
    }

    @Override
    public String key(Facts facts) {
      return null;
    }

    @Override
    public boolean test(Facts facts) {
      return segment ? facts.inSegment(name) : facts.tagCount(name) >= 1;
    }
  }

  private final ExpressionCompiler expressions;
  private final Map<String, Integer> fields = new HashMap<>();
  private final Map<String, ValueFunction> reads = new HashMap<>();
  private final Map<List<Object>, Integer> values = new HashMap<>();
  private final Map<String, Integer> names = new HashMap<>();
  private final Map<String, Test> tests = new HashMap<>();

  AlphaTests(ExpressionCompiler expressions) {
    this.expressions = expressions;
  }

  /**
   * The text an equality is hashed on: numbers by value ({@code 1.0} is {@code 1}), stages and
   * booleans by name. A field has one type, so texts of two types never meet; Drools hashes
   * alpha nodes on a {@code String} index (not on {@code Object}).
   */
  static String key(Object value) {
    Object normal = Values.normalize(value);
    if (normal == null) {
      return null;
    }
    return normal instanceof BigDecimal number ? number.stripTrailingZeros().toPlainString()
        : normal instanceof Enum<?> e ? e.name() : normal.toString();
  }

  /** {@code "/pricing/"} of {@code "/pricing/leasing"}: up to the second {@code /}; else null. */
  static String firstSegment(Object value) {
    if (!(value instanceof String text) || !text.startsWith("/")) {
      return null;
    }
    int end = text.indexOf('/', 1);
    return end < 0 ? null : text.substring(0, end + 1);
  }

  /** The network's tests of a condition, in the order of its terms. */
  List<Test> of(Optional<Cond> when) {
    if (when.isEmpty()) {
      return List.of();
    }
    List<Cond> terms = when.get() instanceof Cond.All all ? all.terms() : List.of(when.get());
    List<Test> out = new ArrayList<>();
    for (Cond term : terms) {
      Test test = test(term);
      if (test != null) {
        out.add(test);
      } else if (!quiet(term)) {
        break;
      }
    }
    return List.copyOf(out);
  }

  private Test test(Cond term) {
    if (term instanceof Cond.HasTag tag) {
      return present(tag.tag(), false);
    }
    if (term instanceof Cond.InSegment in) {
      return present(in.segment(), true);
    }
    if (term instanceof Cond.Compare cmp && cmp.left() instanceof Value.TagCount count
        && cmp.right() instanceof Value.Literal literal
        && Values.normalize(literal.value()) instanceof BigDecimal n && requiresTag(cmp.op(), n)) {
      return present(count.tag(), false);
    }
    if (term instanceof Cond.Compare cmp && cmp.op().meaning() == Expr.CompareOp.EQ
        && cmp.right() instanceof Value.Literal literal && hashable(literal.type())) {
      String field = field(cmp.left(), true);
      if (field == null) {
        return null;
      }
      int fieldId = fields.computeIfAbsent(field, f -> fields.size());
      ValueFunction read = reads.computeIfAbsent(field, f -> expressions.value(cmp.left()));
      Object constant = Values.normalize(literal.value());
      String key = key(constant);
      int valueId = values.computeIfAbsent(List.of(fieldId, key), k -> values.size());
      return tests.computeIfAbsent("eq-" + fieldId + "-" + valueId,
          id -> new Equal(id, fieldId, read, constant, key));
    }
    if (term instanceof Cond.Matches m) {
      String segment = firstSegment(literalPrefix(m.glob()));
      String field = field(m.value(), false);
      if (segment == null || field == null) {
        return null;
      }
      String segmentField = "first segment of " + field;
      int fieldId = fields.computeIfAbsent(segmentField, f -> fields.size());
      ValueFunction read = reads.computeIfAbsent(field, f -> expressions.value(m.value()));
      int valueId = values.computeIfAbsent(List.of(fieldId, segment), k -> values.size());
      return tests.computeIfAbsent("eq-" + fieldId + "-" + valueId,
          id -> new FirstSegment(id, fieldId, read, segment));
    }
    return null;
  }

  /** Whether {@code tag "X" op n} can hold only when the contact has the tag. */
  private static boolean requiresTag(Expr.CompareOp op, BigDecimal n) {
    return switch (op.meaning()) {
      case GE, EQ -> n.signum() > 0;
      case GT -> n.signum() >= 0;
      default -> false;
    };
  }

  /** A field the network may read for a test: an event attribute or a contact field. */
  private static String field(Value value, boolean anyType) {
    if (value instanceof Value.EventAttribute a && (anyType ? hashable(a.type()) : a.type() == ValueType.TEXT)) {
      return "event " + a.attribute() + " " + a.type();
    }
    if (value instanceof Value.ContactField c && (anyType ? hashable(c.type()) : c.type() == ValueType.TEXT)) {
      return "contact " + c.jsonPath() + " " + c.type();
    }
    return null;
  }

  /** A glob's text up to its first wildcard: every text it matches begins with it. */
  private static String literalPrefix(String glob) {
    int star = glob.indexOf('*');
    int any = glob.indexOf('?');
    int end = star < 0 ? any : any < 0 ? star : Math.min(star, any);
    return end < 0 ? glob : glob.substring(0, end);
  }

  /**
   * A term that can neither fail nor report a value of the wrong type: an event type, or a
   * comparison of stored contact fields (typed when the contact was read), tag counts and
   * literals.
   */
  private static boolean quiet(Cond term) {
    if (term instanceof Cond.EventIs || term instanceof Cond.HasTag || term instanceof Cond.InSegment) {
      return true;
    }
    if (term instanceof Cond.Not not) {
      return quiet(not.operand());
    }
    return term instanceof Cond.Compare cmp && quiet(cmp.left()) && quiet(cmp.right());
  }

  private static boolean quiet(Value value) {
    return value instanceof Value.Literal || value instanceof Value.TagCount
        || value instanceof Value.ContactField c && !c.declared() && !DERIVED.contains(c.jsonPath());
  }

  /** Contact fields computed from the history or the clock when read. */
  private static final java.util.Set<String> DERIVED =
      java.util.Set.of("age", "isBirthday", "points", "recency", "frequency", "monetary");

  private Test present(String name, boolean segment) {
    int nameId = names.computeIfAbsent((segment ? "segment " : "tag ") + name, n -> names.size());
    String id = (segment ? "segment-" : "tag-") + nameId;
    return tests.computeIfAbsent(id, i -> new Present(i, name, segment));
  }

  /** Types whose equality is equality of {@link #key}s (dates compare across zones: not these). */
  private static boolean hashable(ValueType type) {
    return type == ValueType.TEXT || type == ValueType.NUMBER || type == ValueType.STAGE
        || type == ValueType.BOOLEAN;
  }
}
