package io.relais.engine.evaluation;

import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.ValueType;
import io.relais.dsl.program.Cond;
import io.relais.dsl.program.Value;
import io.relais.engine.compile.ExpressionCompiler;
import io.relais.engine.compile.ValueFunction;
import io.relais.engine.compile.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tests of rules' conditions that the Drools network runs itself, as alpha nodes shared by
 * every rule with the same test (docs/engine.md, "The network"): equality of an event
 * attribute or a contact field with a literal (hashed on the value read, so a thousand rules
 * testing {@code event.title} against a thousand titles cost one lookup), and the presence of
 * a tag or a segment. They are taken from the front of the condition's top-level {@code and}
 * chain only, in order, up to the first term of another kind: when one of them is false, the
 * condition would have stopped there too, having read only what the network read, so its
 * result, the values it read (and their warnings) are the same. The rule's own function then
 * runs the whole condition, these terms included, so that its trace shows them.
 */
final class AlphaTests {

  /** One test; {@code id} names it (numbers only: no user text), equal tests have equal ids. */
  sealed interface Test {
    String id();
  }

  /**
   * {@code field = constant}: {@code read} reads the field, {@code field} numbers it (one hash
   * index per field), {@code key} is {@link #key} of the constant.
   */
  record Equal(String id, int field, ValueFunction read, Object constant, Object key) implements Test {}

  /** {@code has tag "X"} (or {@code in segment "X"} when {@code segment}). */
  record Present(String id, String name, boolean segment) implements Test {}

  private final ExpressionCompiler expressions;
  private final Map<String, Integer> fields = new HashMap<>();
  private final Map<String, ValueFunction> reads = new HashMap<>();
  private final Map<List<Object>, Integer> values = new HashMap<>();
  private final Map<String, Integer> names = new HashMap<>();
  /** One test object per id: equal tests are the same object, so Drools shares their node. */
  private final Map<String, Test> tests = new HashMap<>();

  AlphaTests(ExpressionCompiler expressions) {
    this.expressions = expressions;
  }

  /** The value an equality is hashed on: numbers by value ({@code 1.0} is {@code 1}). */
  static Object key(Object value) {
    Object normal = Values.normalize(value);
    return normal instanceof BigDecimal number ? number.stripTrailingZeros() : normal;
  }

  /** The alpha tests of a condition whose event guard (tested by the network) is {@code guard}. */
  List<Test> of(Optional<Cond> when, Optional<String> guard) {
    if (when.isEmpty()) {
      return List.of();
    }
    List<Cond> terms = when.get() instanceof Cond.All all ? all.terms() : List.of(when.get());
    List<Test> out = new ArrayList<>();
    for (Cond term : terms) {
      if (term instanceof Cond.EventIs is && guard.isPresent() && is.eventType().equals(guard.get())) {
        continue; // the network's event-type test
      }
      Test test = test(term);
      if (test == null) {
        break;
      }
      out.add(test);
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
    if (term instanceof Cond.Compare cmp && cmp.op().meaning() == Expr.CompareOp.EQ
        && cmp.right() instanceof Value.Literal literal && hashable(literal.type())) {
      String field = null;
      if (cmp.left() instanceof Value.EventAttribute a && hashable(a.type())) {
        field = "event " + a.attribute() + " " + a.type();
      } else if (cmp.left() instanceof Value.ContactField c && hashable(c.type())) {
        field = "contact " + c.jsonPath() + " " + c.type();
      }
      if (field == null) {
        return null;
      }
      int fieldId = fields.computeIfAbsent(field, f -> fields.size());
      ValueFunction read = reads.computeIfAbsent(field, f -> expressions.value(cmp.left()));
      Object constant = Values.normalize(literal.value());
      Object key = key(constant);
      int valueId = values.computeIfAbsent(List.of(fieldId, key), k -> values.size());
      String id = "eq-" + fieldId + "-" + valueId;
      return tests.computeIfAbsent(id, i -> new Equal(i, fieldId, read, constant, key));
    }
    return null;
  }

  private Test present(String name, boolean segment) {
    int nameId = names.computeIfAbsent(name, n -> names.size());
    String id = (segment ? "segment-" : "tag-") + nameId;
    return tests.computeIfAbsent(id, i -> new Present(i, name, segment));
  }

  /** Types whose equality is equality of {@link #key}s (dates compare across zones: not these). */
  private static boolean hashable(ValueType type) {
    return type == ValueType.TEXT || type == ValueType.NUMBER || type == ValueType.STAGE
        || type == ValueType.BOOLEAN;
  }
}
