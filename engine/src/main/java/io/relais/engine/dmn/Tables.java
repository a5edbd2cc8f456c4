package io.relais.engine.dmn;

import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.program.Program;
import io.relais.dsl.program.Value;
import io.relais.engine.compile.Condition;
import io.relais.engine.compile.Facts;
import io.relais.engine.compile.Trace;
import io.relais.engine.compile.ValueFunction;
import io.relais.engine.compile.Values;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The decision tables of one compiled ruleset (docs/language.md ("Decision tables")): what {@code decision "D" of
 * "T"} compiles to, and the trace lines of the rules that read a decision.
 */
public final class Tables {

  private final CheckedRuleset ruleset;
  private final Function<Value, ValueFunction> compile;
  private final Map<String, TableEvaluator> evaluators = new LinkedHashMap<>();

  /**
   * @param compile the ruleset's expression compiler, for the bound inputs
   */
  public Tables(CheckedRuleset ruleset, Function<Value, ValueFunction> compile) {
    this.ruleset = ruleset;
    this.compile = compile;
  }

  /** The evaluator of a table, made on first use (a ruleset without tables loads no DMN). */
  private TableEvaluator evaluator(String table) {
    TableEvaluator known = evaluators.get(table);
    if (known != null) {
      return known;
    }
    CheckedRuleset.Table declared = ruleset.table(table)
        .orElseThrow(() -> new IllegalStateException("no table " + table));
    Program.Table bound = ruleset.program().table(table)
        .orElseThrow(() -> new IllegalStateException("no table " + table));
    Map<String, ValueFunction> inputs = new LinkedHashMap<>();
    bound.inputs().forEach((input, value) -> inputs.put(input, compile.apply(value)));
    TableEvaluator evaluator = new TableEvaluator(declared, inputs);
    evaluators.put(table, evaluator);
    return evaluator;
  }

  /** {@code decision "D" of "T"}: the decision's value on the snapshot, empty on an error. */
  public ValueFunction value(Value.Decision decision) {
    TableEvaluator evaluator = evaluator(decision.table());
    String name = decision.decision();
    return (f, c) -> evaluator.value(f, name);
  }

  /**
   * A rule's condition that, once tested, adds to the trace the value of every decision the
   * rule reads and the rows that matched. A decision read only by the actions of a rule that
   * holds is evaluated then (the actions are about to read it); one of a rule that does not
   * hold is shown only if the phase evaluated it anyway.
   */
  public Condition traced(Condition condition, List<Value.Decision> reads) {
    if (reads.isEmpty()) {
      return condition;
    }
    List<Value.Decision> read = List.copyOf(reads);
    // Looked up now: at run time the evaluators are only read, from any thread.
    List<TableEvaluator> evaluators = read.stream().map(d -> evaluator(d.table())).toList();
    return (f, c, t) -> {
      boolean holds = condition.test(f, c, t);
      for (int i = 0; i < read.size(); i++) {
        Value.Decision d = read.get(i);
        TableEvaluator evaluator = evaluators.get(i);
        TableEvaluator.Result result = holds ? evaluator.result(f) : evaluator.ifEvaluated(f);
        if (result != null) {
          t.note(SHOW, d, result);
        }
      }
      return holds;
    };
  }

  /** The trace step of a decision read: its value and the rows that matched. */
  private static final Trace.Step SHOW =
      (out, d, result, unused) -> out.append(show((Value.Decision) d, (TableEvaluator.Result) result));

  private static String show(Value.Decision d, TableEvaluator.Result result) {
    List<Integer> rows = result.rows().get(d.decision());
    String matched = rows == null ? ""
        : rows.isEmpty() ? " (no row matched)"
        : " (" + (rows.size() == 1 ? "row " : "rows ")
            + rows.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
    return "decision \"" + d.decision() + "\" of \"" + d.table() + "\" = "
        + Values.show(result.values().get(d.decision())) + matched;
  }

  /** {@code {{decision 'D' of 'T'}}} in a template: the value, or null when empty. */
  public Function<Facts, Object> placeholder(Value.Decision decision) {
    ValueFunction value = value(decision);
    return f -> value.apply(f, null);
  }
}
