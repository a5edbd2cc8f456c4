package io.relais.engine.evaluation;

import static org.drools.model.DSL.on;
import static org.drools.model.PatternDSL.alphaIndexedBy;
import static org.drools.model.PatternDSL.declarationOf;
import static org.drools.model.PatternDSL.pattern;
import static org.drools.model.PatternDSL.rule;

import io.relais.engine.compile.Trace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.drools.model.Index;
import org.drools.model.Model;
import org.drools.model.PatternDSL;
import org.drools.model.Rule;
import org.drools.model.Variable;
import org.drools.model.functions.Function1;
import org.drools.model.functions.Predicate1;
import org.drools.model.impl.ModelImpl;
import org.drools.modelcompiler.KieBaseBuilder;
import org.kie.api.KieBase;

/**
 * The Drools side of a ruleset, built by construction with the executable model: the facts
 * rules match and one Drools rule per DSL rule. The network does the dispatching: a snapshot
 * reaches only the rules of the phases of its group (an alpha node hashed on the group, shared
 * by every rule of those phases; a group is one phase or several, see PhaseGroups), and a rule guarded by {@code event is T} also needs the snapshot's event
 * type to be T (an alpha node hashed on the type, shared by every rule with that guard); only
 * rules past both run their remaining condition. Every rule is a chain of alpha nodes: no join.
 */
final class DroolsModel {

  /** The Drools package of generated rules; rule names there are indices, never user text. */
  static final String PACKAGE = "io.relais.generated";

  private static final int GROUP_INDEX = 1;
  private static final int TYPE_INDEX = 2;
  /** The hash index of field {@code n} of the equality tests is {@code FIELD_INDEX + n}. */
  private static final int FIELD_INDEX = 3;

  private DroolsModel() {}

  /** One cycle per phase: a snapshot reaches the rules of its phase only. */
  static KieBase build(List<CompiledRuleset.CompiledRule> rules) {
    return build(rules, phase -> phase);
  }

  /**
   * {@code groupOf} gives each phase its group (PhaseGroups): a snapshot carries a group and
   * reaches the rules of every phase of that group.
   */
  static KieBase build(List<CompiledRuleset.CompiledRule> rules,
      java.util.function.IntUnaryOperator groupOf) {
    Variable<CompiledRuleset.PhaseSnapshot> snapshot =
        declarationOf(CompiledRuleset.PhaseSnapshot.class);
    // Constraint ids name what they test, so equal tests are one shared node; event types are
    // numbered so that no user text becomes part of an id.
    Map<String, Integer> typeIds = new HashMap<>();
    // One predicate (and index) object per alpha test: a shared node whatever Drools compares.
    Map<String, Predicate1<CompiledRuleset.PhaseSnapshot>> predicates = new HashMap<>();
    Map<String, Function1<CompiledRuleset.PhaseSnapshot, String>> keys = new HashMap<>();
    List<Rule> drools = new ArrayList<>();
    for (CompiledRuleset.CompiledRule rule : rules) {
      int index = rule.index();
      int group = groupOf.applyAsInt(rule.phase());
      PatternDSL.PatternDef<CompiledRuleset.PhaseSnapshot> phasePattern = pattern(snapshot)
          .expr("group-" + group, s -> s.group == group,
              alphaIndexedBy(int.class, Index.ConstraintType.EQUAL, GROUP_INDEX,
                  s -> s.group, group));
      Optional<String> guard = rule.eventGuard();
      if (guard.isPresent()) {
        // The event type is a field of the snapshot, not a fact of its own: a second hashed
        // alpha test on the same fact, so a rule is a chain of alpha nodes and no join.
        String type = guard.get();
        int typeId = typeIds.computeIfAbsent(type, t -> typeIds.size());
        phasePattern = phasePattern.expr("event-type-" + typeId, s -> type.equals(s.eventType),
            alphaIndexedBy(String.class, Index.ConstraintType.EQUAL, TYPE_INDEX,
                s -> s.eventType, type));
      }
      // Equality, first-segment and presence tests of the condition: shared, hashed on a field.
      for (AlphaTests.Test test : rule.alphaTests()) {
        Predicate1<CompiledRuleset.PhaseSnapshot> predicate =
            predicates.computeIfAbsent(test.id(), id -> s -> test.test(s.facts));
        if (test.field() >= 0) {
          Function1<CompiledRuleset.PhaseSnapshot, String> key =
              keys.computeIfAbsent(test.id(), id -> s -> test.key(s.facts));
          phasePattern = phasePattern.expr(test.id(), predicate, alphaIndexedBy(String.class,
              Index.ConstraintType.EQUAL, FIELD_INDEX + test.field(), key, test.indexKey()));
        } else {
          phasePattern = phasePattern.expr(test.id(), predicate);
        }
      }
      // The rest of the condition; its id holds the rule's index, so it is the rule's own.
      phasePattern = phasePattern.expr("relais-rule-" + index, s -> matches(rule, s));
      drools.add(rule(PACKAGE, "rule-" + index)
          .metadata("rule", rule.ref().name())
          .metadata("source", rule.ref().source())
          .build(phasePattern, on(snapshot).execute(s -> s.fired.set(index))));
    }
    Model model = new ModelImpl().withRules(drools);
    return KieBaseBuilder.createKieBaseFromModel(model);
  }

  /**
   * The rule's condition, recording what it compares into the evaluation's trace (the values,
   * not their text: see Trace) in this same pass; the entry is written out only if read.
   */
  private static boolean matches(CompiledRuleset.CompiledRule rule,
      CompiledRuleset.PhaseSnapshot snapshot) {
    int index = rule.index();
    if (!rule.activeOn(snapshot.today)) {
      snapshot.notes.write(index, "not active on " + snapshot.today);
      return false;
    }
    Trace trace = snapshot.trace;
    int from = trace.start();
    try {
      // The whole condition, its event guard included, so that the entry shows every term as
      // the rule reads (`event is T = T`): a second test of a string the network just hashed.
      return rule.condition().test(snapshot.facts, null, trace);
    } catch (RuntimeException e) {
      // Valid means runs: a condition that fails on this contact's data is false for it, and
      // the evaluation says so (the rule is named in the warnings).
      snapshot.notes.write(index, "could not be evaluated: " + Failures.describe(rule.ref().name(), e));
      snapshot.failed.set(rule.index());
      return false;
    } finally {
      snapshot.notes.span(index, from, trace.end());
    }
  }
}
