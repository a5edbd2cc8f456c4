package io.relais.engine.dmn;

import io.relais.dsl.ast.Action;
import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Template;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.check.Resolution;
import io.relais.engine.compile.Condition;
import io.relais.engine.compile.Facts;
import io.relais.engine.compile.ValueFunction;
import io.relais.engine.compile.Values;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The decision tables of one compiled ruleset (docs/language.md ("Decision tables")): what {@code decision "D" of
 * "T"} compiles to, and the trace lines of the rules that read a decision.
 */
public final class Tables {

  private final CheckedRuleset ruleset;
  private final Function<Expr, ValueFunction> compile;
  private final Map<String, TableEvaluator> evaluators = new LinkedHashMap<>();

  /**
   * @param compile the ruleset's expression compiler, for the bound inputs
   */
  public Tables(CheckedRuleset ruleset, Function<Expr, ValueFunction> compile) {
    this.ruleset = ruleset;
    this.compile = compile;
  }

  /** The evaluator of a table, made on first use (a ruleset without tables loads no DMN). */
  private TableEvaluator evaluator(String table) {
    return evaluators.computeIfAbsent(table, name -> new TableEvaluator(
        ruleset.table(name).orElseThrow(() -> new IllegalStateException("no table " + name)),
        compile));
  }

  /** {@code decision "D" of "T"}: the decision's value on the snapshot, empty on an error. */
  public ValueFunction value(Resolution.DecisionValue decision) {
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
  public Condition traced(Condition condition, Optional<Expr> when, List<Action> actions) {
    Set<Resolution.DecisionValue> reads = new LinkedHashSet<>();
    when.ifPresent(w -> collect(w, reads));
    for (Action action : actions) {
      collect(action, reads);
    }
    if (reads.isEmpty()) {
      return condition;
    }
    List<Resolution.DecisionValue> read = List.copyOf(reads);
    // Looked up now: at run time the evaluators are only read, from any thread.
    List<TableEvaluator> evaluators = read.stream().map(d -> evaluator(d.table())).toList();
    return (f, c, t) -> {
      boolean holds = condition.test(f, c, t);
      for (int i = 0; i < read.size(); i++) {
        Resolution.DecisionValue d = read.get(i);
        TableEvaluator evaluator = evaluators.get(i);
        TableEvaluator.Result result = holds ? evaluator.result(f) : evaluator.ifEvaluated(f);
        if (result != null) {
          t.note(show(d, result));
        }
      }
      return holds;
    };
  }

  private static String show(Resolution.DecisionValue d, TableEvaluator.Result result) {
    List<Integer> rows = result.rows().get(d.decision());
    String matched = rows == null ? ""
        : rows.isEmpty() ? " (no row matched)"
        : " (" + (rows.size() == 1 ? "row " : "rows ")
            + rows.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
    return "decision \"" + d.decision() + "\" of \"" + d.table() + "\" = "
        + Values.show(result.values().get(d.decision())) + matched;
  }

  /** {@code {{decision 'D' of 'T'}}} in a template: the value, or null when empty. */
  public Function<Facts, Object> placeholder(Resolution.DecisionValue decision) {
    ValueFunction value = value(decision);
    return f -> value.apply(f, null);
  }

  // ---- which decisions a rule reads ----

  private void collect(Action action, Set<Resolution.DecisionValue> reads) {
    if (action instanceof Action.Tag a) {
      a.by().ifPresent(e -> collect(e, reads));
    } else if (action instanceof Action.AddScore a) {
      collect(a.amount(), reads);
    } else if (action instanceof Action.SubtractScore a) {
      collect(a.amount(), reads);
    } else if (action instanceof Action.SetScore a) {
      collect(a.value(), reads);
    } else if (action instanceof Action.Award a) {
      collect(a.points(), reads);
    } else if (action instanceof Action.Deduct a) {
      collect(a.points(), reads);
    } else if (action instanceof Action.Send a) {
      collect(a.message(), reads);
    } else if (action instanceof Action.Notify a) {
      collect(a.message(), reads);
    }
  }

  private void collect(Template template, Set<Resolution.DecisionValue> reads) {
    for (Template.Part part : template.parts()) {
      if (part instanceof Template.DecisionPlaceholder p) {
        reads.add(ruleset.resolutions().resolutionOf(p));
      }
    }
  }

  // Iterative: conditions may be long chains.
  private void collect(Expr root, Set<Resolution.DecisionValue> reads) {
    Deque<Expr> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      Expr e = todo.pop();
      if (e instanceof Expr.DecisionRef) {
        ruleset.resolutions().resolutionOf(e)
            .filter(Resolution.DecisionValue.class::isInstance)
            .map(Resolution.DecisionValue.class::cast)
            .ifPresent(reads::add);
      } else if (e instanceof Expr.Logical l) {
        todo.push(l.right());
        todo.push(l.left());
      } else if (e instanceof Expr.Not n) {
        todo.push(n.operand());
      } else if (e instanceof Expr.Arithmetic a) {
        todo.push(a.right());
        todo.push(a.left());
      } else if (e instanceof Expr.Compare c) {
        todo.push(c.right());
        todo.push(c.left());
      } else if (e instanceof Expr.Between b) {
        todo.push(b.high());
        todo.push(b.low());
        todo.push(b.value());
      } else if (e instanceof Expr.InList in) {
        in.items().forEach(todo::push);
        todo.push(in.value());
      } else if (e instanceof Expr.Contains c) {
        todo.push(c.needle());
        todo.push(c.value());
      } else if (e instanceof Expr.Matches m) {
        todo.push(m.value());
      } else if (e instanceof Expr.IsEmpty i) {
        todo.push(i.value());
      } else if (e instanceof Expr.Count c) {
        c.where().ifPresent(todo::push);
      } else if (e instanceof Expr.Sum s) {
        s.where().ifPresent(todo::push);
      }
    }
  }
}
