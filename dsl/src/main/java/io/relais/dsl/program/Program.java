package io.relais.dsl.program;

import io.relais.dsl.ast.RuleKind;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The checked program of one ruleset: what the engine compiles, built by the checker once a
 * ruleset has no error ({@link io.relais.dsl.check.CheckedRuleset#program()}).
 *
 * @param rules in evaluation order: phase, priority descending, position in its file, file name
 * @param exits the campaigns' exit conditions, in declaration order
 * @param tables every decision table's inputs, each bound to a value
 * @param defaultOwner who {@code notify owner} reaches when the contact has no owner
 * @param origins the syntax each condition and value was lowered from, for positions
 */
public record Program(List<Rule> rules, List<Exit> exits, List<Table> tables,
    Optional<String> defaultOwner, Origins origins) {

  public Program {
    rules = List.copyOf(rules);
    exits = List.copyOf(exits);
    tables = List.copyOf(tables);
  }

  /** The table named {@code name}, if declared. */
  public Optional<Table> table(String name) {
    return tables.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /**
   * Calls {@code action} on every value the program reads, wherever it stands: in rule
   * conditions and operations, message placeholders, campaign exits and table inputs, and
   * inside other values and conditions ({@code where}, arithmetic, a condition used as a value).
   */
  public void eachValue(Consumer<Value> action) {
    new ValueWalk(action).program(this);
  }

  /**
   * One rule.
   *
   * @param source {@code file:line}, the {@code source} of the decisions it makes
   * @param when empty when the rule always applies
   * @param eventGuard the event type its condition requires of the triggering event
   *     ({@code event is T} alone or in its top-level {@code and}), if any
   * @param reads the table decisions its condition and operations read, once each
   */
  public record Rule(
      String name,
      String source,
      RuleKind kind,
      int priority,
      Optional<LocalDate> activeFrom,
      Optional<LocalDate> activeUntil,
      Optional<Cond> when,
      Optional<String> eventGuard,
      List<Operation> operations,
      List<Value.Decision> reads) {

    public Rule {
      operations = List.copyOf(operations);
      reads = List.copyOf(reads);
    }

    public int phase() {
      return kind.phase();
    }
  }

  /** A campaign's {@code exit when}; {@code source} is the condition's {@code file:line}. */
  public record Exit(String campaign, Cond condition, String source) {}

  /** A decision table's inputs, by input name, each bound to a value. */
  public record Table(String name, Map<String, Value> inputs) {
    public Table {
      inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
    }
  }
}
