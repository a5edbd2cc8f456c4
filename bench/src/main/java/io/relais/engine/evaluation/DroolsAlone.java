package io.relais.engine.evaluation;

import io.relais.dsl.ast.RuleKind;
import io.relais.engine.compile.Condition;
import io.relais.engine.compile.LocalTimes;
import io.relais.engine.compile.Trace;
import io.relais.engine.contact.ContactFacts;
import java.lang.reflect.Field;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import org.kie.api.KieBase;
import org.kie.api.runtime.rule.FactHandle;

/**
 * Drools' share of one decision, measured alone: the network the engine builds for a ruleset
 * ({@link DroolsModel#build}: the same groups, alpha tests and member facts) and the engine's own
 * cycle ({@link CompiledRuleset#cycle}: kept snapshots updated on pooled sessions, member facts
 * inserted and deleted), on the snapshots one real evaluation made, with each rule's own
 * function replaced by its answer in that evaluation and no action applied. It includes the
 * engine's glue around Drools (the own function's wrapper, the member facts, the snapshot
 * objects and the per-decision trace, notes and bit sets), so it is the floor of the network
 * as the engine builds it: no evaluation on this network costs less, whatever its conditions,
 * actions or trace cost.
 *
 * <p>Three shapes: {@link Shape#ACTIVATIONS}, as Relais runs (a rule whose condition holds is a
 * match, queued and fired by the agenda, whose consequence sets its bit); {@link
 * Shape#DISPATCH}, where the own function sets the bit itself and answers false (Drools only
 * dispatches through its hashed alpha nodes: no match, agenda or firing); and {@link
 * Shape#ONE_CYCLE}, {@link Shape#ACTIVATIONS} with every phase in one group, one cycle per
 * decision on the last phase's snapshot: what fewer cycles could at most save (Relais cannot
 * group phases whose conditions read what earlier phases write).
 *
 * <p>The set-up refuses to run unless every shape makes the rules the evaluation fired fire, and
 * the first two also run exactly as many rules' own functions as it did: a network reaching
 * fewer rules would flatter Drools. One thread at a time ({@link Shape#DISPATCH}'s functions
 * set the bits of the decision in progress).
 *
 * <p>In the engine's package (from the bench module) to use its package-private builders
 * unchanged, and the sample's snapshots are read from its trace by reflection: the figure is of
 * the very network and cycle the engine runs, not of a copy. {@code DecisionBenchmarkSetUpTest}
 * builds every shape in the default build, so a change of those internals fails there.
 */
public final class DroolsAlone {

  /** What the network does when a rule's condition holds. */
  public enum Shape { ACTIVATIONS, DISPATCH, ONE_CYCLE }

  private static final RuleKind[] KINDS = RuleKind.values();

  private final IntUnaryOperator groupOf;
  private final IntPredicate first;
  /** The facts each group's snapshot carries, by the group's first phase. */
  private final ContactFacts[] snapshotFacts;
  private final DroolsModel.Anchors anchors;
  private final SessionPool sessions;
  private final LocalDate today;
  private final String eventType;
  private final BitSet expected;
  /** The rules' own functions the last decision ran (RuleNotes.count). */
  private int ran;
  /** Where {@link Shape#DISPATCH}'s own functions set their bits (one thread only). */
  private final BitSet[] dispatched = new BitSet[1];

  /** From the evaluation {@code sample} of {@code ruleset}, whose snapshots it keeps. */
  public DroolsAlone(CompiledRuleset ruleset, Evaluation sample, Shape shape) {
    PhaseGroups groups = ruleset.groups();
    List<CompiledRuleset.CompiledRule> rules = ruleset.rules();
    LazyTrace trace = (LazyTrace) sample.trace();
    this.expected = (BitSet) read(trace, "fired");
    ContactFacts[] phaseFacts = (ContactFacts[]) read(trace, "phaseFacts");
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
    int sampleRan = ((RuleNotes) read(trace, "notes")).count();
    for (int round = 0; round < 2; round++) { // twice: the second on a reused session
      if (!decide().equals(expected)) {
        throw new IllegalStateException("Drools alone did not fire the rules the evaluation fired");
      }
      if (shape != Shape.ONE_CYCLE && ran != sampleRan) {
        throw new IllegalStateException("Drools alone ran " + ran + " rules' functions, the evaluation "
            + sampleRan);
      }
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
    ran = notes.count();
    return fired;
  }
}
