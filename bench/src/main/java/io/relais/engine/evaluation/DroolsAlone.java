package io.relais.engine.evaluation;

import io.relais.dsl.ast.RuleKind;
import io.relais.engine.compile.Condition;
import io.relais.engine.compile.LocalTimes;
import io.relais.engine.compile.Trace;
import io.relais.engine.contact.ContactFacts;
import io.relais.engine.contact.Event;
import java.lang.reflect.Field;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.kie.api.KieBase;
import org.kie.api.runtime.rule.FactHandle;

/**
 * Drools' share of one decision, measured alone: the network Relais builds for a ruleset
 * ({@link DroolsModel#build}, the same groups, alpha tests and member facts), the same cycles
 * on the same pooled sessions with kept snapshots ({@link SessionPool}), on the snapshots one
 * real evaluation made, but each rule's own function replaced by its answer in that evaluation
 * and no action applied. What this costs, no evaluation with Drools in this shape can go below,
 * whatever is done to the conditions, the actions or the trace.
 *
 * <p>Two shapes: {@link Shape#ACTIVATIONS}, as Relais runs (a rule whose condition holds is a
 * match, queued and fired by the agenda, whose consequence sets its bit), and {@link
 * Shape#DISPATCH}, where the own function sets the bit itself and answers false (Drools only
 * dispatches through its hashed alpha nodes: no match, agenda or firing). {@link
 * Shape#ONE_CYCLE} is {@link Shape#ACTIVATIONS} with every phase in one group: one cycle per
 * decision instead of one per group, on the last phase's snapshot (a lower bound of what
 * fewer cycles could save; Relais cannot group phases whose conditions read what earlier
 * phases write).
 *
 * <p>In the engine's package (from the bench module) to reuse its package-private builders
 * unchanged: the figure is of the very network the engine builds, not of a copy.
 */
public final class DroolsAlone {

  /** What the network does when a rule's condition holds. */
  public enum Shape { ACTIVATIONS, DISPATCH, ONE_CYCLE }

  private static final RuleKind[] KINDS = RuleKind.values();

  private final java.util.function.IntUnaryOperator groupOf;
  private final java.util.function.IntPredicate first;
  /** The facts each group's snapshot carries, by the group's first phase. */
  private final ContactFacts[] snapshotFacts;
  private final DroolsModel.Anchors anchors;
  private final SessionPool sessions;
  private final ContactFacts[] phaseFacts;
  private final LocalDate today;
  private final String eventType;
  private final BitSet expected;
  /** Where {@link Shape#DISPATCH}'s own functions set their bits (one thread only). */
  private final BitSet[] dispatched = new BitSet[1];

  /** From the evaluation {@code sample} of {@code ruleset}, whose snapshots it keeps. */
  public DroolsAlone(CompiledRuleset ruleset, Evaluation sample, Shape shape) {
    PhaseGroups groups = ruleset.groups();
    List<CompiledRuleset.CompiledRule> rules = ruleset.rules();
    LazyTrace trace = (LazyTrace) sample.trace();
    this.expected = (BitSet) read(trace, "fired");
    this.phaseFacts = (ContactFacts[]) read(trace, "phaseFacts");
    this.eventType = (String) read(trace, "eventType");
    ContactFacts first = phaseFacts[KINDS[0].phase()];
    if (shape == Shape.ONE_CYCLE) {
      int last = KINDS[KINDS.length - 1].phase();
      this.groupOf = phase -> KINDS[0].phase();
      this.first = phase -> phase == KINDS[0].phase();
      this.snapshotFacts = phaseFacts.clone();
      snapshotFacts[KINDS[0].phase()] = phaseFacts[last];
    } else {
      this.groupOf = groups::group;
      this.first = groups::first;
      this.snapshotFacts = phaseFacts;
    }
    this.today = LocalTimes.date(first.now(), first.zone());
    List<CompiledRuleset.CompiledRule> answered = new ArrayList<>(rules.size());
    for (CompiledRuleset.CompiledRule rule : rules) {
      boolean fired = expected.get(rule.index());
      int index = rule.index();
      Condition condition = shape != Shape.DISPATCH
          ? (fired ? Condition.ALWAYS : (facts, counted, t) -> false)
          : (facts, counted, t) -> {
            if (fired) {
              dispatched[0].set(index);
            }
            return false;
          };
      answered.add(new CompiledRuleset.CompiledRule(index, rule.ref(), rule.phase(),
          rule.activeFrom(), rule.activeUntil(), rule.eventGuard(), rule.alphaTests(), condition,
          List.of()));
    }
    KieBase kieBase = DroolsModel.build(answered, groupOf);
    this.anchors = DroolsModel.Anchors.of(answered, groupOf);
    this.sessions = new SessionPool(kieBase, 2, KINDS.length + 1);
    if (!decide().equals(expected) || !decide().equals(expected)) {
      throw new IllegalStateException("Drools alone did not reach the rules the evaluation fired");
    }
  }

  private static Object read(LazyTrace trace, String field) {
    try {
      Field f = LazyTrace.class.getDeclaredField(field);
      f.setAccessible(true);
      return f.get(trace);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One decision's cycles: the rules that fired (the sample's, checked at construction). */
  public BitSet decide() {
    BitSet fired = new BitSet();
    dispatched[0] = fired;
    BitSet failed = new BitSet();
    RuleNotes notes = new RuleNotes();
    Trace trace = Trace.recording();
    List<FactHandle> members = new ArrayList<>(4);
    SessionPool.Lease lease = sessions.take();
    for (RuleKind kind : KINDS) {
      int phase = kind.phase();
      if (!first.test(phase)) {
        continue;
      }
      CompiledRuleset.PhaseSnapshot snapshot = new CompiledRuleset.PhaseSnapshot(
          groupOf.applyAsInt(phase), snapshotFacts[phase], today, eventType, notes, fired, failed,
          trace);
      CompiledRuleset.cycle(lease, anchors, snapshot, members);
    }
    sessions.giveBack(lease, true);
    return fired;
  }
}
