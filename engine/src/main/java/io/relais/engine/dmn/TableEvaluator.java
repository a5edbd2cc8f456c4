package io.relais.engine.dmn;

import io.relais.dsl.ast.Stage;
import io.relais.dsl.ast.ValueType;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.engine.compile.Facts;
import io.relais.engine.compile.ValueFunction;
import io.relais.engine.compile.Values;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.kie.dmn.api.core.DMNContext;
import org.kie.dmn.api.core.DMNDecisionResult;
import org.kie.dmn.api.core.DMNMessage;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNResult;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.api.core.event.AfterEvaluateDecisionTableEvent;
import org.kie.dmn.api.core.event.DMNRuntimeEventListener;

/**
 * One table of one compiled ruleset (docs/language.md ("Decision tables")): binds its inputs on a phase's
 * snapshot and evaluates the DMN model at most once per phase, when a rule first reads one
 * of its decisions. An evaluation error reads as empty and becomes a warning.
 *
 * <p>A model is a function of its inputs, so results are also kept across evaluations, by input
 * values (a URL matrix sees the same few page counts again and again; Kogito's evaluation was
 * about a fifth of an event's evaluation). Not for a model that can read the clock ({@code
 * now()}, {@code today()}): it is evaluated every time.
 */
public final class TableEvaluator {

  /** Rows matched per decision table while this thread evaluates a model. */
  private static final ThreadLocal<Map<String, List<Integer>>> MATCHES = new ThreadLocal<>();

  /** One listener per runtime (runtimes are shared): it writes to the evaluating thread's map. */
  private static final DMNRuntimeEventListener LISTENER = new DMNRuntimeEventListener() {
    @Override
    public void afterEvaluateDecisionTable(AfterEvaluateDecisionTableEvent event) {
      Map<String, List<Integer>> matches = MATCHES.get();
      if (matches != null) {
        matches.put(event.getNodeName(), List.copyOf(event.getMatches()));
      }
    }
  };

  private final CheckedRuleset.Table table;
  private final DMNRuntime runtime;
  private final DMNModel model;
  private final Map<String, ValueFunction> inputs = new LinkedHashMap<>();
  /** Results by input values (in input order); null for a model that is not a pure function. */
  private final Map<List<Object>, Computed> known;
  private final int maxKnown;

  /** Input combinations remembered per table: far more than a URL matrix or a fit grid meets. */
  static final int MAX_KNOWN = 4096;

  /**
   * FEEL that depends on more than the inputs: the clock. (Functions outside FEEL, Java or PMML,
   * never get this far: docs/language.md, "Decision tables (DMN)".)
   */
  private static final Pattern IMPURE = Pattern.compile("\\b(?:now|today)\\s*\\(");

  /** A result and the warnings its evaluation gave, repeated wherever the result is reused. */
  private record Computed(Result result, List<String> warnings) {}

  /**
   * The table's result in one phase: each decision's value ({@code null} is empty) and the
   * 1-based numbers of the rows of its decision table that matched.
   */
  public record Result(Map<String, Object> values, Map<String, List<Integer>> rows) {}

  /**
   * @param inputs each input of the table, compiled from the value it is bound to
   */
  public TableEvaluator(CheckedRuleset.Table table, Map<String, ValueFunction> inputs) {
    this(table, inputs, MAX_KNOWN);
  }

  /** With at most {@code maxKnown} input combinations kept (tests). */
  TableEvaluator(CheckedRuleset.Table table, Map<String, ValueFunction> inputs, int maxKnown) {
    this(table, inputs, maxKnown, DmnModels.load(table.file()));
  }

  /** Evaluating {@code loaded} (tests: a model that never met the checker). */
  TableEvaluator(CheckedRuleset.Table table, Map<String, ValueFunction> inputs, int maxKnown,
      DmnModels.Loaded loaded) {
    this.table = table;
    this.maxKnown = maxKnown;
    if (loaded.runtime() == null) {
      // The checker refused this file; reaching here is a bug of ours.
      throw new IllegalStateException("table \"" + table.name() + "\": " + table.file().name()
          + " has errors");
    }
    this.runtime = loaded.runtime();
    this.model = loaded.dmn();
    synchronized (runtime) {
      if (!runtime.getListeners().contains(LISTENER)) {
        runtime.addListener(LISTENER);
      }
    }
    this.inputs.putAll(inputs);
    this.known = IMPURE.matcher(table.file().text()).find() ? null : new ConcurrentHashMap<>();
  }

  public String name() {
    return table.name();
  }

  /** The table's result on this snapshot: computed on the first read of the phase. */
  public Result result(Facts facts) {
    return facts.memo().computeIfAbsent(this, () -> evaluate(facts));
  }

  /** The result if a rule of this phase already read the table, else null. */
  public Result ifEvaluated(Facts facts) {
    return facts.memo().peek(this);
  }

  /** One decision's value on this snapshot. */
  public Object value(Facts facts, String decision) {
    return result(facts).values().get(decision);
  }

  private Result evaluate(Facts facts) {
    List<Object> given = new ArrayList<>(inputs.size());
    inputs.values().forEach(value -> given.add(toDmn(value.apply(facts, null))));
    Computed computed = known == null ? null : known.get(given);
    if (computed == null) {
      computed = evaluate(given);
      if (known != null) {
        if (known.size() >= maxKnown) {
          known.clear(); // bounded: a table fed ever-new values starts over rather than grow
        }
        known.put(Collections.unmodifiableList(given), computed);
      }
    }
    computed.warnings().forEach(facts.memo()::warn);
    return computed.result();
  }

  private Computed evaluate(List<Object> given) {
    DMNContext context = runtime.newContext();
    int i = 0;
    for (String name : inputs.keySet()) {
      context.set(name, given.get(i++));
    }
    Map<String, List<Integer>> rows = new LinkedHashMap<>();
    Map<String, Object> values = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    MATCHES.set(rows);
    DMNResult result;
    try {
      result = runtime.evaluateAll(model, context);
    } catch (RuntimeException | StackOverflowError e) {
      // Kogito turns a decision's own failure (a StackOverflowError included) into a failed
      // decision; what it lets through is caught here, at the one call that evaluates a model.
      // A StackOverflowError has unwound this thread's frames only: the evaluation's result and
      // context are this call's, Kogito holds no lock across it and MATCHES is cleared below,
      // so the thread goes on with the next rule (docs/engine.md, "Decision tables").
      warnings.add(where() + "evaluation failed (" + clip(e instanceof StackOverflowError
          ? "too deeply nested" : String.valueOf(e.getMessage())) + "): its decisions read"
          + " as empty");
      return new Computed(new Result(Map.of(), Map.of()), List.copyOf(warnings));
    } finally {
      MATCHES.remove();
    }
    for (DMNDecisionResult d : result.getDecisionResults()) {
      String decision = d.getDecisionName();
      ValueType type = table.decisions().get(decision);
      if (d.getEvaluationStatus() != DMNDecisionResult.DecisionEvaluationStatus.SUCCEEDED) {
        if (type != null) {
          warnings.add(where() + "decision \"" + decision + "\" failed"
              + errors(d.getMessages()) + ": read as empty");
        }
        continue;
      }
      Object value = fromDmn(d.getResult());
      if (value != null && type != null && !fits(value, type)) {
        warnings.add(where() + "decision \"" + decision + "\" gave " + clip(Values.show(value))
            + ", not " + type.keyword() + ": read as empty");
        value = null;
      }
      values.put(decision, value);
    }
    // Shared by every evaluation that meets the same inputs: read-only from here on.
    return new Computed(new Result(Collections.unmodifiableMap(values), Collections.unmodifiableMap(rows)),
        List.copyOf(warnings));
  }

  /** Input combinations whose results are kept, for tests; -1 for a model never kept. */
  int known() {
    return known == null ? -1 : known.size();
  }

  private String where() {
    return table.file().name() + ": table \"" + table.name() + "\": ";
  }

  /**
   * A failed decision's errors, at most {@link #MESSAGES_SHOWN} of them, each cut at
   * {@link #MESSAGE_LENGTH}: Kogito's messages can quote whole values, and a warning goes into
   * every answer and recorded decision.
   */
  private static String errors(List<DMNMessage> messages) {
    List<String> texts = new ArrayList<>();
    int errors = 0;
    for (DMNMessage m : messages) {
      if (m.getSeverity() == DMNMessage.Severity.ERROR && errors++ < MESSAGES_SHOWN) {
        texts.add(clip(String.valueOf(m.getMessage())));
      }
    }
    if (errors > MESSAGES_SHOWN) {
      texts.add((errors - MESSAGES_SHOWN) + " more");
    }
    return texts.isEmpty() ? "" : " (" + String.join("; ", texts) + ")";
  }

  /** Errors quoted per failed decision, and the length each is cut at. */
  static final int MESSAGES_SHOWN = 3;
  static final int MESSAGE_LENGTH = 300;

  private static String clip(String message) {
    return message.length() <= MESSAGE_LENGTH ? message
        : message.substring(0, MESSAGE_LENGTH) + "…";
  }

  private static Object toDmn(Object value) {
    Object v = Values.normalize(value);
    return v instanceof Stage stage ? stage.name() : v;
  }

  private static Object fromDmn(Object value) {
    if (value instanceof Number n && !(value instanceof BigDecimal)) {
      return new BigDecimal(n.toString());
    }
    return Values.normalize(value);
  }

  private static boolean fits(Object value, ValueType type) {
    return switch (type) {
      case TEXT -> value instanceof String;
      case NUMBER -> value instanceof BigDecimal;
      case BOOLEAN -> value instanceof Boolean;
      case DATE -> value instanceof LocalDate;
      default -> false;
    };
  }
}
