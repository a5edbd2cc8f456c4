package io.relais.engine.evaluation;

import static org.drools.model.DSL.on;
import static org.drools.model.PatternDSL.declarationOf;
import static org.drools.model.PatternDSL.pattern;
import static org.drools.model.PatternDSL.rule;

import io.relais.dsl.ast.Action;
import io.relais.dsl.ast.RuleKind;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.engine.compile.Condition;
import io.relais.engine.compile.ExpressionCompiler;
import io.relais.engine.compile.Trace;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.ContactFacts;
import io.relais.engine.contact.Event;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import org.drools.model.Model;
import org.drools.model.Rule;
import org.drools.model.Variable;
import org.drools.model.impl.ModelImpl;
import org.drools.modelcompiler.KieBaseBuilder;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * One ruleset version ready to evaluate: an immutable Drools {@code KieBase} built by
 * construction with the executable model (no rule text is generated), plus the compiled
 * conditions and actions it calls. Thread-safe; every evaluation uses a fresh session.
 */
public final class CompiledRuleset {

  /** The Drools package of generated rules; rule names there are indices, never user text. */
  static final String PACKAGE = "io.relais.generated";

  private final CheckedRuleset checked;
  private final int version;
  private final List<CompiledRule> rules;
  private final int[] rulesPerPhase = new int[RuleKind.values().length + 1];
  private final List<Lifecycle.CampaignExit> exits;
  private final KieBase kieBase;

  /** One rule: where it comes from, when it applies, what it does. */
  record CompiledRule(
      int index,
      Decision.RuleRef ref,
      int phase,
      Optional<LocalDate> activeFrom,
      Optional<LocalDate> activeUntil,
      Condition condition,
      List<ActionCompiler.Step> actions) {

    boolean activeOn(LocalDate day) {
      return activeFrom.map(from -> !day.isBefore(from)).orElse(true)
          && activeUntil.map(until -> !day.isAfter(until)).orElse(true);
    }
  }

  /**
   * What one phase's rules match on: the snapshot of the phase, and where rules record that
   * they fired and why. One per phase of one evaluation; never shared between threads.
   */
  public static final class PhaseSnapshot {
    final int phase;
    final ContactFacts facts;
    final LocalDate today;
    final String[] why;
    final BitSet fired;
    final BitSet failed;

    PhaseSnapshot(int phase, ContactFacts facts, String[] why, BitSet fired, BitSet failed) {
      this.phase = phase;
      this.facts = facts;
      this.today = facts.now().atZone(facts.zone()).toLocalDate();
      this.why = why;
      this.fired = fired;
      this.failed = failed;
    }
  }

  private CompiledRuleset(CheckedRuleset checked, int version) {
    this.checked = checked;
    this.version = version;
    ExpressionCompiler expressions = new ExpressionCompiler(checked);
    ActionCompiler actions = new ActionCompiler(checked, expressions);
    List<CompiledRule> compiled = new ArrayList<>();
    List<CheckedRuleset.Rule> ordered = checked.rules();
    for (int i = 0; i < ordered.size(); i++) {
      CheckedRuleset.Rule rule = ordered.get(i);
      Decision.RuleRef ref = new Decision.RuleRef(rule.name(), rule.source());
      List<ActionCompiler.Step> steps = new ArrayList<>();
      for (Action action : rule.syntax().actions()) {
        steps.add(actions.compile(action, ref));
      }
      compiled.add(new CompiledRule(i, ref, rule.phase(), rule.syntax().activeFrom(),
          rule.syntax().activeUntil(), expressions.condition(rule.syntax().when()), List.copyOf(steps)));
      rulesPerPhase[rule.phase()]++;
    }
    this.rules = List.copyOf(compiled);
    this.exits = checked.campaigns().stream()
        .filter(c -> c.syntax().exitWhen().isPresent())
        .map(c -> new Lifecycle.CampaignExit(c.name(),
            expressions.condition(c.syntax().exitWhen().get()),
            c.syntax().exitWhen().get().span().fileAndLine()))
        .toList();
    this.kieBase = KieBaseBuilder.createKieBaseFromModel(model(rules));
  }

  /** Compiles a checked ruleset; a Drools failure here is a bug of ours and throws. */
  public static CompiledRuleset compile(CheckedRuleset checked, int version) {
    return new CompiledRuleset(checked, version);
  }

  private static Model model(List<CompiledRule> rules) {
    Variable<PhaseSnapshot> snapshot = declarationOf(PhaseSnapshot.class);
    List<Rule> drools = new ArrayList<>();
    for (CompiledRule rule : rules) {
      int index = rule.index();
      int phase = rule.phase();
      drools.add(
          rule(PACKAGE, "rule-" + index)
              .attribute(Rule.Attribute.RULEFLOW_GROUP, group(phase))
              // Firing order inside a phase does not matter (actions are applied afterwards in
              // rule order); lock-on-active keeps a rule from firing twice in its group.
              .attribute(Rule.Attribute.LOCK_ON_ACTIVE, true)
              .metadata("rule", rule.ref().name())
              .metadata("source", rule.ref().source())
              .build(
                  // The expression id encodes the rule index: every constraint is distinct, so
                  // Drools never shares one node between two rules.
                  pattern(snapshot).expr("relais-rule-" + index, s -> s.phase == phase && matches(rule, s)),
                  on(snapshot).execute(s -> s.fired.set(index))));
    }
    return new ModelImpl().withRules(drools);
  }

  private static boolean matches(CompiledRule rule, PhaseSnapshot snapshot) {
    if (!rule.activeOn(snapshot.today)) {
      snapshot.why[rule.index()] = "not active on " + snapshot.today;
      return false;
    }
    Trace trace = Trace.recording();
    try {
      boolean holds = rule.condition().test(snapshot.facts, trace);
      snapshot.why[rule.index()] = trace.why();
      return holds;
    } catch (RuntimeException e) {
      // Valid means runs: a condition that fails on this contact's data is false for it,
      // and the evaluation says so (the rule is named in the warnings).
      snapshot.why[rule.index()] = "could not be evaluated: " + e;
      snapshot.failed.set(rule.index());
      return false;
    }
  }

  private static String group(int phase) {
    return "phase-" + phase;
  }

  public String name() {
    return checked.name();
  }

  public int version() {
    return version;
  }

  public CheckedRuleset checked() {
    return checked;
  }

  KieBase kieBase() {
    return kieBase;
  }

  /**
   * Decides for one contact. Nothing outside the returned value changes.
   *
   * @param event the triggering event, if any (it belongs to the history too)
   * @param history the contact's recorded events
   */
  public Evaluation evaluate(Contact contact, Optional<Event> event, List<Event> history, Instant now) {
    // An event recorded under the triggering event's id counts once: as the triggering one.
    List<Event> events = new ArrayList<>(history.size() + 1);
    String triggeringId = event.map(Event::id).orElse(null);
    for (Event recorded : history) {
      boolean same = triggeringId != null ? triggeringId.equals(recorded.id())
          : recorded.equals(event.orElse(null));
      if (!same) {
        events.add(recorded);
      }
    }
    event.ifPresent(events::add);
    WorkingState state = new WorkingState(contact);
    Effects effects = new Effects();
    contact.invalid().forEach((field, raw) -> effects.warnings.add(ContactFacts.invalidField(field, raw)));
    // Values of the wrong type met while reading, once each, whatever the phase.
    Set<String> readWarnings = new LinkedHashSet<>();
    String[] why = new String[rules.size()];
    BitSet fired = new BitSet(rules.size());
    BitSet failed = new BitSet(rules.size());
    KieSession session = kieBase.newKieSession();
    try {
      for (RuleKind kind : RuleKind.values()) {
        int phase = kind.phase();
        ContactFacts facts =
            new ContactFacts(state.toContact(), event, events, now, checked.zone(), readWarnings);
        if (kind == RuleKind.NURTURE) {
          Lifecycle.exitCampaigns(exits, facts, state, effects);
        }
        if (kind == RuleKind.LOYALTY) {
          Lifecycle.expirePoints(checked, state, now, effects);
        }
        if (rulesPerPhase[phase] > 0) {
          FactHandle handle = session.insert(new PhaseSnapshot(phase, facts, why, fired, failed));
          session.getAgenda().getAgendaGroup(group(phase)).setFocus();
          // A firing limit as a second guard: no phase can fire more than once per rule.
          session.fireAllRules(rulesPerPhase[phase]);
          session.delete(handle);
          for (CompiledRule rule : rules) {
            if (rule.phase() == phase && failed.get(rule.index())) {
              effects.warn(rule.ref(), "not applied: " + why[rule.index()]);
            }
            if (rule.phase() == phase && fired.get(rule.index())) {
              for (ActionCompiler.Step step : rule.actions()) {
                try {
                  step.apply(facts, state, effects);
                } catch (RuntimeException e) {
                  effects.warn(rule.ref(), "an action was skipped: " + e);
                }
              }
            }
          }
        }
        if (kind == RuleKind.LOYALTY) {
          Lifecycle.recomputeTier(checked, state, now, effects);
        }
      }
    } finally {
      session.dispose();
    }
    effects.warnings.addAll(readWarnings);
    List<Evaluation.TraceEntry> trace = new ArrayList<>(rules.size());
    for (CompiledRule rule : rules) {
      trace.add(new Evaluation.TraceEntry(rule.ref().name(), fired.get(rule.index()),
          why[rule.index()] == null ? "" : why[rule.index()]));
    }
    Contact result = state.toContact();
    Evaluation.State summary = new Evaluation.State(result.score(), result.stage(), result.tags(),
        result.segments(), state.balance(now), result.tier());
    return new Evaluation(contact.id(), checked.name(), version, now, effects.decisions, summary,
        effects.warnings, trace, result);
  }
}
