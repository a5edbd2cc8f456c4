package io.relais.engine.evaluation;

import io.relais.dsl.ast.RuleKind;
import io.relais.dsl.program.Cond;
import io.relais.dsl.program.Operation;
import io.relais.dsl.program.Program;
import io.relais.dsl.program.Value;
import io.relais.dsl.schema.Schema;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which phases share one Drools insert/fire/delete cycle, decided when a ruleset is compiled
 * (docs/engine.md, "One evaluation"). A phase joins the group of the phases before it when its
 * rules' conditions read no part of the contact's state that those phases' actions, or the
 * lifecycle steps between them (campaign exits, point expiry, the tier), can write: its
 * conditions then give on the group's first snapshot what they give on its own. Its actions
 * still run in phase order, each on its own phase's snapshot.
 *
 * <p>The analysis is conservative: a read it does not know (a decision table, a contact field
 * it has no entry for) reads everything, and such a phase runs alone.
 */
final class PhaseGroups {

  // The parts of the contact's state that an evaluation can change, one bit each. Everything
  // else a condition reads (profile fields, attributes, consent, the event, the history) is
  // the same in every phase of an evaluation.
  static final int SCORE = bit(Schema.StatePart.SCORE);
  static final int STAGE = bit(Schema.StatePart.STAGE);
  static final int TIER = bit(Schema.StatePart.TIER);
  static final int TAGS = bit(Schema.StatePart.TAGS);
  static final int SEGMENTS = bit(Schema.StatePart.SEGMENTS);
  static final int LEDGER = bit(Schema.StatePart.LEDGER);
  static final int ENROLLMENTS = bit(Schema.StatePart.ENROLLMENTS);
  static final int ALERTS = bit(Schema.StatePart.ALERTS);
  /** Reads that the analysis cannot bound: the phase is never grouped with another. */
  static final int EVERYTHING = -1;

  private static final int PHASES = RuleKind.values().length;

  /** The group of each phase (indexed by phase number): the number of its group's first phase. */
  private final int[] groupOfPhase = new int[PHASES + 1];
  /** The last phase of each phase's group (indexed by phase number). */
  private final int[] lastOfGroup = new int[PHASES + 1];

  private PhaseGroups(int[] reads, int[] writes) {
    int written = 0;
    int group = 0;
    boolean open = false;
    for (int phase = 1; phase <= PHASES; phase++) {
      boolean join = open && reads[phase] != EVERYTHING && (reads[phase] & written) == 0;
      if (!join) {
        group = phase;
        written = 0;
      }
      groupOfPhase[phase] = group;
      written |= writes[phase];
      // A phase whose reads are not bounded (a decision table among them) runs alone: the
      // order in which Drools evaluates its rules then stays the one it has today.
      open = reads[phase] != EVERYTHING;
    }
    lasts();
  }

  /**
   * Phases grouped as {@code groupOfPhase} says (indexed by phase number, each the number of
   * its group's first phase), whatever they read: for tests that compare groupings.
   */
  PhaseGroups(int... groupOfPhase) {
    System.arraycopy(groupOfPhase, 0, this.groupOfPhase, 0, this.groupOfPhase.length);
    lasts();
  }

  /** One cycle per phase, as if no phase could share: the reference the tests compare with. */
  static PhaseGroups separate() {
    int[] groups = new int[PHASES + 1];
    for (int phase = 1; phase <= PHASES; phase++) {
      groups[phase] = phase;
    }
    return new PhaseGroups(groups);
  }

  private void lasts() {
    for (int phase = PHASES; phase >= 1; phase--) {
      lastOfGroup[phase] = phase < PHASES && groupOfPhase[phase + 1] == groupOfPhase[phase]
          ? lastOfGroup[phase + 1] : phase;
    }
  }

  /** Groups the phases of {@code program}: they share a cycle when the analysis allows it. */
  static PhaseGroups of(Program program) {
    int[] reads = new int[PHASES + 1];
    int[] writes = new int[PHASES + 1];
    for (Program.Rule rule : program.rules()) {
      int phase = rule.phase();
      // A rule that reads a decision table evaluates it while matching (Tables.traced).
      reads[phase] |= rule.reads().isEmpty() ? reads(rule.when()) : EVERYTHING;
      for (Operation operation : rule.operations()) {
        writes[phase] |= writes(operation);
      }
    }
    // What happens between phases counts as written by the phase it belongs to: campaign
    // exits at the start of nurture and expired points at the start of loyalty (both after
    // the phase's snapshot was taken), the tier at the end of loyalty.
    writes[RuleKind.NURTURE.phase()] |= ENROLLMENTS;
    writes[RuleKind.LOYALTY.phase()] |= LEDGER | TIER;
    return new PhaseGroups(reads, writes);
  }

  /** The group of {@code phase}: the number of the group's first phase. */
  int group(int phase) {
    return groupOfPhase[phase];
  }

  /** Whether {@code phase} starts its group (its Drools cycle runs for the whole group). */
  boolean first(int phase) {
    return groupOfPhase[phase] == phase;
  }

  /** The last phase of the group {@code phase} belongs to. */
  int last(int phase) {
    return lastOfGroup[phase];
  }

  /** Whether {@code phase} shares its cycle with no other phase. */
  boolean alone(int phase) {
    return first(phase) && lastOfGroup[phase] == phase;
  }

  @Override
  public String toString() {
    return Arrays.toString(Arrays.copyOfRange(groupOfPhase, 1, PHASES + 1));
  }

  /** The state parts a rule's condition reads. */
  static int reads(Optional<Cond> when) {
    return when.map(c -> c.accept(READS)).orElse(0);
  }

  /**
   * The state part a contact field reads, as the schema declares it (docs/engine.md, "The
   * schema"); a field the schema does not know reads everything.
   */
  static int field(String jsonPath) {
    if (jsonPath.startsWith("attributes.")) {
      return 0; // custom attributes: no action writes them
    }
    // The profile, consent and what is derived from the history or the birth date: no action
    // or lifecycle step writes them.
    return Schema.field(jsonPath).map(f -> f.state().map(PhaseGroups::bit).orElse(0))
        .orElse(EVERYTHING);
  }

  /** A state part's bit. */
  static int bit(Schema.StatePart part) {
    return 1 << part.ordinal();
  }

  private static final Reads READS = new Reads();

  /** What conditions and values read, as state bits; exhaustive, so new nodes must say. */
  private static final class Reads implements Cond.Visitor<Integer>, Value.Visitor<Integer> {

    private int conds(List<Cond> terms) {
      int read = 0;
      for (Cond term : terms) {
        read |= term.accept(this);
      }
      return read;
    }

    private int values(Value... values) {
      int read = 0;
      for (Value value : values) {
        read |= value.accept(this);
      }
      return read;
    }

    @Override
    public Integer all(Cond.All c) {
      return conds(c.terms());
    }

    @Override
    public Integer any(Cond.Any c) {
      return conds(c.terms());
    }

    @Override
    public Integer not(Cond.Not c) {
      return c.operand().accept(this);
    }

    @Override
    public Integer compare(Cond.Compare c) {
      return values(c.left(), c.right());
    }

    @Override
    public Integer between(Cond.Between c) {
      return values(c.value(), c.low(), c.high());
    }

    @Override
    public Integer inList(Cond.InList c) {
      return values(c.value()) | values(c.items().toArray(Value[]::new));
    }

    @Override
    public Integer contains(Cond.Contains c) {
      return values(c.value(), c.needle());
    }

    @Override
    public Integer matches(Cond.Matches c) {
      return values(c.value());
    }

    @Override
    public Integer isEmpty(Cond.IsEmpty c) {
      return values(c.value());
    }

    @Override
    public Integer hasTag(Cond.HasTag c) {
      return TAGS;
    }

    @Override
    public Integer inSegment(Cond.InSegment c) {
      return SEGMENTS;
    }

    @Override
    public Integer eventIs(Cond.EventIs c) {
      return 0;
    }

    @Override
    public Integer isTrue(Cond.IsTrue c) {
      return values(c.value());
    }

    @Override
    public Integer literal(Value.Literal v) {
      return 0;
    }

    @Override
    public Integer constant(Value.Constant v) {
      return 0;
    }

    @Override
    public Integer contactField(Value.ContactField v) {
      return field(v.jsonPath());
    }

    @Override
    public Integer eventAttribute(Value.EventAttribute v) {
      return 0;
    }

    @Override
    public Integer countedAttribute(Value.CountedAttribute v) {
      return 0;
    }

    @Override
    public Integer tagCount(Value.TagCount v) {
      return TAGS;
    }

    @Override
    public Integer count(Value.Count v) {
      return v.where().map(c -> c.accept(this)).orElse(0);
    }

    @Override
    public Integer sum(Value.Sum v) {
      return v.where().map(c -> c.accept(this)).orElse(0);
    }

    @Override
    public Integer daysSinceLast(Value.DaysSinceLast v) {
      return 0;
    }

    @Override
    public Integer decision(Value.Decision v) {
      return EVERYTHING; // a table's inputs may read anything; its evaluation is memoised
    }

    @Override
    public Integer arithmetic(Value.Arithmetic v) {
      return values(v.left(), v.right());
    }

    @Override
    public Integer test(Value.Test v) {
      return v.condition().accept(this);
    }
  }

  /** What {@code operation} writes, as state bits: the state parts the schema says it writes. */
  static int writes(Operation operation) {
    int bits = 0;
    for (Schema.StatePart part : Schema.StatePart.writtenBy(operation)) {
      bits |= bit(part);
    }
    return bits;
  }
}
