package io.relais.engine.evaluation;


import io.relais.dsl.ast.RuleKind;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.program.Operation;
import io.relais.dsl.program.Program;
import io.relais.engine.compile.Condition;
import io.relais.engine.compile.ExpressionCompiler;
import io.relais.engine.compile.LocalTimes;
import io.relais.engine.compile.Trace;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.ContactFacts;
import io.relais.engine.contact.ContactFields;
import io.relais.engine.contact.Event;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * One ruleset version ready to evaluate: an immutable Drools {@code KieBase} built by
 * construction with the executable model (no rule text is generated), plus the compiled
 * conditions and actions it calls. Thread-safe; evaluations take sessions from a pool.
 */
public final class CompiledRuleset {

  /** Idle sessions kept per ruleset version: enough for every core to evaluate at once. */
  private static final int POOLED_SESSIONS = Runtime.getRuntime().availableProcessors() * 2;

  private final CheckedRuleset checked;
  private final int version;
  private final List<CompiledRule> rules;
  private static final RuleKind[] KINDS = RuleKind.values();

  private final List<Lifecycle.CampaignExit> exits;
  /** The checks of every marketing message, and the decider of due campaign steps. */
  private final Outgoing outgoing;
  private final DueSteps dueSteps;
  /** Which phases share a Drools cycle (decided here, from what rules read and write). */
  private final PhaseGroups groups;
  private final KieBase kieBase;
  /** The tags and segments whose member facts each snapshot comes with (DroolsModel.anchor). */
  private final DroolsModel.Anchors anchors;
  private final SessionPool sessions;
  /**
   * The most trace steps and rules run one evaluation recorded so far (capped): the next one
   * sizes its trace and notes from them instead of growing them while matching. Read and
   * written by every evaluating thread without a lock: a stale or lost value only sizes a
   * buffer, which still grows when it must.
   */
  private int traceSteps = 16;
  private int rulesRun = 16;
  /** Sizes past which the hints stop growing: one odd evaluation must not size every other. */
  private static final int MAX_HINT = 1024;

  /**
   * One rule: where it comes from, when it applies, what it does. {@code condition} is the
   * whole condition, which the network runs (recording the trace) once the rule's alpha tests
   * held.
   */
  record CompiledRule(
      int index,
      Decision.RuleRef ref,
      int phase,
      Optional<LocalDate> activeFrom,
      Optional<LocalDate> activeUntil,
      Optional<String> eventGuard,
      List<AlphaTests.Test> alphaTests,
      Condition condition,
      List<ActionCompiler.Step> actions) {

    boolean activeOn(LocalDate day) {
      // No lambdas: this runs for every rule of every phase.
      return (activeFrom.isEmpty() || !day.isBefore(activeFrom.get()))
          && (activeUntil.isEmpty() || !day.isAfter(activeUntil.get()));
    }
  }

  /**
   * What one phase's rules match on: the snapshot of the phase, and where rules record that
   * they fired and why. One per phase of one evaluation; never shared between threads.
   * Released once its cycle has fired ({@link #release}): a pooled session keeps the fact until
   * its next evaluation, and must not keep the contact with it.
   */
  public static final class PhaseSnapshot {
    /** The group of phases whose rules this snapshot reaches: its first phase's number. */
    final int group;
    /** The triggering event's type, {@code ""} without one (no event type is empty). */
    final String eventType;
    ContactFacts facts;
    final LocalDate today;
    RuleNotes notes;
    BitSet fired;
    BitSet failed;
    /** The evaluation's trace: what each rule's condition compared, recorded while matching. */
    Trace trace;

    PhaseSnapshot(int group, ContactFacts facts, BitSet fired, BitSet failed) {
      this(group, facts, LocalTimes.date(facts.now(), facts.zone()),
          facts.triggering().map(Event::type).orElse(""), new RuleNotes(), fired, failed,
          Trace.recording());
    }

    /**
     * {@code today} is {@code facts}' day in its zone and {@code eventType} its triggering
     * event's type, both computed once per evaluation.
     */
    PhaseSnapshot(int group, ContactFacts facts, LocalDate today, String eventType,
        RuleNotes notes, BitSet fired, BitSet failed, Trace trace) {
      this.trace = trace;
      this.group = group;
      this.eventType = eventType;
      this.facts = facts;
      this.today = today;
      this.notes = notes;
      this.fired = fired;
      this.failed = failed;
    }

    /**
     * Drops what the snapshot read and recorded (the contact, its history, the trace), once
     * its cycle has fired. The session keeps this object as its group's fact until the next
     * evaluation replaces it by an update, which tests the new snapshot only: nothing reads a
     * released one. Without this, an idle pooled session would hold the last contact it
     * decided for, even after that contact was erased.
     */
    void release() {
      facts = null;
      notes = null;
      fired = null;
      failed = null;
      trace = null;
    }
  }

  private CompiledRuleset(CheckedRuleset checked, int version,
      Function<Program, PhaseGroups> grouping, boolean networkTests, CompileOptions options) {
    this.checked = checked;
    this.version = version;
    // The checker's program: every name resolved, and/or as lists, durations checked.
    Program program = checked.program();
    ExpressionCompiler expressions = new ExpressionCompiler(checked, ContactFields.BINDER);
    this.outgoing = new Outgoing(checked.sending());
    ActionCompiler actions = new ActionCompiler(program, expressions, options.maxTemplateLength(),
        outgoing);
    AlphaTests alphaTests = new AlphaTests(expressions);
    List<CompiledRule> compiled = new ArrayList<>();
    List<Program.Rule> ordered = program.rules();
    for (int i = 0; i < ordered.size(); i++) {
      Program.Rule rule = ordered.get(i);
      Decision.RuleRef ref = new Decision.RuleRef(rule.name(), rule.source());
      List<ActionCompiler.Step> steps = new ArrayList<>();
      for (Operation operation : rule.operations()) {
        steps.add(actions.compile(operation, ref));
      }
      // Decision tables (docs/language.md ("Decision tables")): the trace shows the decisions a rule reads.
      Condition condition = expressions.tables().traced(expressions.condition(rule.when()),
          rule.reads());
      compiled.add(new CompiledRule(i, ref, rule.phase(), rule.activeFrom(),
          rule.activeUntil(), rule.eventGuard(),
          networkTests ? alphaTests.of(rule.when()) : List.of(),
          condition, List.copyOf(steps)));
    }
    this.rules = List.copyOf(compiled);
    this.exits = program.exits().stream()
        .map(e -> new Lifecycle.CampaignExit(e.campaign(), expressions.condition(e.condition()),
            e.source()))
        .toList();
    this.dueSteps = new DueSteps(checked, exits, outgoing);
    this.groups = grouping.apply(program);
    this.kieBase = DroolsModel.build(rules, groups::group);
    this.anchors = DroolsModel.Anchors.of(rules, groups::group);
    this.sessions = new SessionPool(kieBase, POOLED_SESSIONS, KINDS.length + 1);
  }

  /** Compiles a checked ruleset with the default options ({@link CompileOptions#defaults()}). */
  public static CompiledRuleset compile(CheckedRuleset checked, int version) {
    return compile(checked, version, CompileOptions.defaults());
  }

  /** Compiles a checked ruleset; a Drools failure here is a bug of ours and throws. */
  public static CompiledRuleset compile(CheckedRuleset checked, int version, CompileOptions options) {
    return new CompiledRuleset(checked, version, PhaseGroups::of, true, options);
  }

  /** Compiles with phases grouped as {@code grouping} says: for tests that compare groupings. */
  static CompiledRuleset compile(CheckedRuleset checked, int version,
      Function<Program, PhaseGroups> grouping) {
    return new CompiledRuleset(checked, version, grouping, true, CompileOptions.defaults());
  }

  /**
   * Compiles without the network's equality and presence tests ({@link AlphaTests}): each
   * rule's own function tests its whole condition. The reference the tests compare with.
   */
  static CompiledRuleset compileWithoutNetworkTests(CheckedRuleset checked, int version) {
    return new CompiledRuleset(checked, version, PhaseGroups::of, false, CompileOptions.defaults());
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

  List<CompiledRule> rules() {
    return rules;
  }

  SessionPool sessions() {
    return sessions;
  }

  PhaseGroups groups() {
    return groups;
  }

  /** The trace steps and rules run the next evaluation makes room for, for tests. */
  int[] sizingHints() {
    return new int[] {traceSteps, rulesRun};
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
    // Immutable once: every phase's snapshot shares it instead of copying it.
    List<Event> frozenEvents = List.copyOf(events);
    WorkingState state = new WorkingState(contact, checked.tierWindow());
    Effects effects = new Effects();
    contact.invalid().forEach((field, raw) -> effects.warnings.add(ContactFacts.invalidField(field, raw)));
    // Values of the wrong type met while reading, once each, whatever the phase.
    Set<String> readWarnings = new LinkedHashSet<>();
    RuleNotes notes = new RuleNotes(rulesRun);
    BitSet fired = new BitSet(rules.size());
    BitSet failed = new BitSet(rules.size());
    Trace trace = Trace.recording(traceSteps);
    List<FactHandle> members = new ArrayList<>(4);
    ContactFacts[] phaseFacts = new ContactFacts[KINDS.length + 1];
    ZoneId zone = zoneOf(contact, effects);
    LocalDate today = LocalTimes.date(now, zone);
    String eventType = event.map(Event::type).orElse("");
    SessionPool.Lease lease = sessions.take();
    boolean clean = false;
    try {
      // Whether the current group's cycle met a value of the wrong type (MatchWarnings).
      boolean warned = false;
      for (RuleKind kind : KINDS) {
        int phase = kind.phase();
        ContactFacts facts =
            new ContactFacts(state.toContact(), event, frozenEvents, now, zone, readWarnings);
        phaseFacts[phase] = facts;
        if (kind == RuleKind.NURTURE) {
          Lifecycle.exitCampaigns(exits, facts, state, effects);
        }
        if (kind == RuleKind.LOYALTY) {
          Lifecycle.expirePoints(checked, state, now, effects);
        }
        if (groups.first(phase)) {
          warned = match(lease, phase, facts, today, eventType,
              new Recorded(notes, fired, failed, trace, members));
        }
        if (warned) {
          reportWarnings(phase, facts, eventType, today, readWarnings);
        }
        // What the network decided, in rule order: the rules that fired or failed (a few),
        // not every rule of the phase.
        for (int i = nextOf(fired, failed, 0); i >= 0; i = nextOf(fired, failed, i + 1)) {
          CompiledRule rule = rules.get(i);
          if (rule.phase() != phase) {
            continue;
          }
          if (failed.get(i)) {
            effects.warn(rule.ref(), "not applied: " + notes.written(i));
          }
          if (fired.get(i)) {
            List<ActionCompiler.Step> steps = rule.actions();
            for (int s = 0; s < steps.size(); s++) { // indexed: no iterator per fired rule
              ActionCompiler.Step step = steps.get(s);
              try {
                step.apply(facts, state, effects);
              } catch (RuntimeException e) {
                effects.warn(rule.ref(), "an action was skipped: " + Failures.describe(rule.ref().name(), e));
              }
            }
          }
        }
        if (kind == RuleKind.LOYALTY) {
          Lifecycle.recomputeTier(checked, state, now, effects);
        }
        effects.warnings.addAll(facts.memo().warnings()); // DMN evaluation errors, section 11
      }
      clean = true;
    } finally {
      sessions.giveBack(lease, clean);
    }
    if (trace.stepCount() > traceSteps && traceSteps < MAX_HINT) {
      traceSteps = Math.min(trace.stepCount(), MAX_HINT);
    }
    if (notes.count() > rulesRun && rulesRun < MAX_HINT) {
      rulesRun = Math.min(notes.count(), MAX_HINT);
    }
    effects.warnings.addAll(readWarnings);
    List<Evaluation.TraceEntry> entries =
        new LazyTrace(rules, phaseFacts, fired, notes, eventType, trace);
    Contact result = state.toContact();
    Evaluation.State summary = new Evaluation.State(result.score(), result.stage(), result.tags(),
        result.segments(), state.balance(now), result.tier());
    return new Evaluation(contact.id(), checked.name(), version, now, effects.decisions, summary,
        effects.warnings, entries, result);
  }

  /** The first index from {@code from} set in {@code a} or {@code b}, else -1. */
  private static int nextOf(BitSet a, BitSet b, int from) {
    int x = a.nextSetBit(from);
    int y = b.nextSetBit(from);
    return x < 0 ? y : y < 0 ? x : Math.min(x, y);
  }

  /** What the cycles of one evaluation record: see {@link PhaseSnapshot}. */
  private record Recorded(RuleNotes notes, BitSet fired, BitSet failed, Trace trace,
      List<FactHandle> members) {}

  /**
   * Decides the campaign steps of {@code contact} that are due at {@code now}, on the contact
   * as it is (docs/language.md "Campaigns, tiers and rewards"): an ended enrollment, nothing;
   * an exit condition that holds, {@code EXIT}; else each due step is {@code MESSAGE} or
   * {@code SUPPRESSED}. No rule runs. Only enrollments in {@code campaign}, which this ruleset
   * declares, are decided.
   */
  public Evaluation decideDueSteps(Contact contact, String campaign, List<Event> history,
      Instant now) {
    Effects effects = new Effects();
    ZoneId zone = zoneOf(contact, effects);
    WorkingState state = new WorkingState(contact);
    Set<String> warnings = new LinkedHashSet<>();
    ContactFacts facts = new ContactFacts(contact, Optional.empty(), history, now, zone, warnings);
    dueSteps.decide(campaign, facts, state, effects);
    effects.warnings.addAll(warnings);
    Contact result = state.toContact();
    Evaluation.State summary = new Evaluation.State(result.score(), result.stage(), result.tags(),
        result.segments(), state.balance(now), result.tier());
    return new Evaluation(contact.id(), checked.name(), version, now, effects.decisions, summary,
        effects.warnings, List.of(), result);
  }

  /** Whether this ruleset declares a campaign of that name (its due steps are its own). */
  public boolean declaresCampaign(String campaign) {
    return checked.campaign(campaign).isPresent();
  }

  /**
   * The zone of the contact's local times: its {@code timeZone}, else the ruleset's; a name
   * that is no zone reads as the ruleset's, with a warning (docs/language.md "Time zones,
   * quiet hours and caps").
   */
  private ZoneId zoneOf(Contact contact, Effects effects) {
    Object name = contact.timeZone();
    if (!(name instanceof String text) || text.isBlank()) {
      return checked.zone();
    }
    try {
      return ZoneId.of(text);
    } catch (java.time.DateTimeException e) {
      effects.warnings.add("contact.timeZone \"" + io.relais.dsl.Names.shortened(text)
          + "\" is not a time zone: local times use the ruleset's zone " + checked.zone());
      return checked.zone();
    }
  }

  /**
   * One Drools cycle for the group that {@code phase} starts: one snapshot, on the state as
   * the group's first phase begins, reaches the rules of every phase of the group (PhaseGroups
   * proved that their conditions read nothing the phases before them in the group write).
   * Returns whether a condition met a value of the wrong type.
   */
  private boolean match(SessionPool.Lease lease, int phase, ContactFacts facts, LocalDate today,
      String eventType, Recorded recorded) {
    MatchWarnings warnings = new MatchWarnings();
    // A phase alone shares its snapshot's memory (aggregates, decision tables) with its
    // actions. A group's phases after the first must not: a value computed for a later phase's
    // condition would be found by the first phase's actions without their warnings.
    ContactFacts matching = groups.alone(phase)
        ? facts.with(warnings, facts.aggregates(), facts.memo())
        : facts.withFreshMemory(warnings);
    // One snapshot fact per group, with the member facts of its contact's tags and segments
    // (each of a different name, deleted after the cycle): a rule matches its group's snapshot
    // or the member of its own name, at most once per cycle, and a group's snapshot changes
    // only in its own cycle, so no rule can fire twice and no agenda group, lock or firing limit
    // is needed (ClarifiedSemanticsTest and EvaluationTest hold it). The session keeps the
    // group's snapshot fact from its last evaluation and updates it with this one (Lease.put)
    // instead of inserting a new one and deleting it after the cycle: a rule that matched the
    // last snapshot and matches this one has its match updated and fires again (Drools
    // re-activates an updated match), instead of a match built, fired and torn down each time.
    PhaseSnapshot snapshot = new PhaseSnapshot(groups.group(phase), matching, today, eventType,
        recorded.notes(), recorded.fired(), recorded.failed(), recorded.trace());
    cycle(lease, anchors, snapshot, recorded.members());
    return warnings.seen();
  }

  /**
   * One Drools cycle on a leased session: {@code snapshot} put as its group's fact, the member
   * facts of its contact inserted (their handles kept in {@code members}, empty again after),
   * the rules fired, the member facts deleted and the snapshot released. Also what bench's
   * DroolsAlone measures.
   */
  static void cycle(SessionPool.Lease lease, DroolsModel.Anchors anchors, PhaseSnapshot snapshot,
      List<FactHandle> members) {
    lease.put(snapshot.group, snapshot);
    KieSession session = lease.session;
    anchors.insert(session, snapshot, members);
    session.fireAllRules();
    for (int i = 0; i < members.size(); i++) {
      session.delete(members.get(i));
    }
    members.clear();
    snapshot.release();
  }

  /**
   * The warnings about values of the wrong type that the phase's conditions meet, in rule
   * order: its rules the network reached are evaluated again on the phase's own snapshot.
   * Drools evaluates conditions in the order of its network, which depends on the groups; this
   * order does not. Runs only when a cycle met such a value.
   */
  private void reportWarnings(int phase, ContactFacts facts, String eventType, LocalDate today,
      Set<String> readWarnings) {
    ContactFacts again = facts.withFreshMemory(readWarnings);
    for (CompiledRule rule : rules) {
      if (rule.phase() != phase) {
        continue;
      }
      if (rule.eventGuard().isPresent() && !rule.eventGuard().get().equals(eventType)
          || !rule.activeOn(today)) {
        continue; // the network did not run its condition
      }
      try {
        rule.condition().test(again, null, Trace.NONE);
      } catch (RuntimeException e) {
        // Reported by the cycle ("not applied"): this pass only collects warnings.
      }
    }
  }
}
