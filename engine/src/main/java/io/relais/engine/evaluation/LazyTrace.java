package io.relais.engine.evaluation;

import io.relais.engine.compile.Trace;
import io.relais.engine.contact.ContactFacts;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.RandomAccess;

/**
 * The trace of one evaluation, one entry per rule. Matching recorded what each condition the
 * network ran compared (the values, in a {@link Trace}); an entry's text is written only when
 * it is read. Answers read a part of it ({@link #fired()}, {@link #reachable()}): every rule
 * in those parts was run by the network, so reading them evaluates nothing again. Only a rule
 * the network never ran (guarded by another event type, read through {@link #get} over the
 * whole list) has its condition evaluated, on its phase's immutable snapshot, when its entry is
 * read. Immutable; entries are computed at most once.
 */
final class LazyTrace extends AbstractList<Evaluation.TraceEntry> implements RandomAccess {

  private final List<CompiledRuleset.CompiledRule> rules;
  private final ContactFacts[] phaseFacts;
  private final BitSet fired;
  private final RuleNotes notes;
  /** The triggering event's type, {@code ""} without one: which guarded rules it reaches. */
  private final String eventType;
  /** What the network's conditions compared, and where each rule's steps are in it. */
  private final Trace recorded;
  /** Made on the first read. */
  private Evaluation.TraceEntry[] entries;

  LazyTrace(List<CompiledRuleset.CompiledRule> rules, ContactFacts[] phaseFacts, BitSet fired,
      RuleNotes notes, String eventType, Trace recorded) {
    this.recorded = recorded;
    this.rules = rules;
    this.phaseFacts = phaseFacts;
    this.fired = fired;
    this.notes = notes;
    this.eventType = eventType;
  }

  /**
   * The entries of the rules that fired, in rule order: no other rule's condition is evaluated
   * again, so this costs what fired, whatever the number of rules.
   */
  List<Evaluation.TraceEntry> fired() {
    List<Evaluation.TraceEntry> out = new ArrayList<>(fired.cardinality());
    for (int i = fired.nextSetBit(0); i >= 0; i = fired.nextSetBit(i + 1)) {
      out.add(get(i)); // a rule's index is its place in `rules`
    }
    return out;
  }

  /** The names of the rules that fired, in rule order, without their "why". */
  List<String> firedRules() {
    List<String> out = new ArrayList<>(fired.cardinality());
    for (int i = fired.nextSetBit(0); i >= 0; i = fired.nextSetBit(i + 1)) {
      out.add(rules.get(i).ref().name());
    }
    return out;
  }

  /**
   * The entries of the rules the triggering event could reach, in rule order: every rule but
   * those guarded by {@code event is T} for another type than the event's (all guarded rules
   * when there is no event), which the network never tried.
   */
  List<Evaluation.TraceEntry> reachable() {
    List<Evaluation.TraceEntry> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      if (reaches(i)) {
        out.add(get(i));
      }
    }
    return out;
  }

  private boolean reaches(int index) {
    Optional<String> guard = rules.get(index).eventGuard();
    return guard.isEmpty() || guard.get().equals(eventType);
  }

  /**
   * A fired rule's entry as an answer writes it: its text is written from the recorded steps
   * ({@link Trace#write(int, int, io.relais.engine.compile.TraceText)}) straight into the answer, without a string.
   */
  record Recorded(String rule, Trace steps, int from, int to) {}

  /**
   * The entries of {@link #fired()} ({@link TraceMode#FIRED}) or {@link #reachable()} ({@link
   * TraceMode#ALL}) for an answer: a fired rule whose steps were recorded as {@link Recorded}
   * (nothing is evaluated to write it), any other as its entry, written now.
   */
  List<Object> answer(TraceMode mode) {
    List<Object> out = new ArrayList<>(mode == TraceMode.FIRED ? fired.cardinality() : rules.size());
    if (mode == TraceMode.FIRED) {
      for (int i = fired.nextSetBit(0); i >= 0; i = fired.nextSetBit(i + 1)) {
        out.add(answerEntry(i));
      }
    } else if (mode == TraceMode.ALL) {
      for (int i = 0; i < rules.size(); i++) {
        if (reaches(i)) {
          out.add(answerEntry(i));
        }
      }
    }
    return out;
  }

  private Object answerEntry(int index) {
    Evaluation.TraceEntry[] known = entries;
    if ((known == null || known[index] == null) && fired.get(index) && notes.written(index) == null) {
      int place = notes.place(index);
      if (place >= 0) { // as entry() writes it: the recorded steps of a rule that fired
        return new Recorded(rules.get(index).ref().name(), recorded, notes.from(place), notes.to(place));
      }
    }
    return get(index);
  }

  @Override
  public Evaluation.TraceEntry get(int index) {
    Evaluation.TraceEntry[] known = entries;
    if (known == null) {
      known = new Evaluation.TraceEntry[rules.size()];
      entries = known;
    }
    Evaluation.TraceEntry entry = known[index];
    if (entry == null) {
      entry = entry(rules.get(index));
      known[index] = entry;
    }
    return entry;
  }

  private Evaluation.TraceEntry entry(CompiledRuleset.CompiledRule rule) {
    String name = rule.ref().name();
    boolean ruleFired = fired.get(rule.index());
    String known = notes.written(rule.index());
    if (known != null) {
      return new Evaluation.TraceEntry(name, ruleFired, known, null);
    }
    int place = notes.place(rule.index());
    if (place >= 0) {
      // The network ran the condition: it fired when it held, so a rule that did not fire had
      // a false condition, whose false part is where the entry's last comparison is written.
      Trace.Written written = recorded.written(notes.from(place), notes.to(place));
      return new Evaluation.TraceEntry(name, ruleFired, written.why(),
          ruleFired ? null : written.falsePart().orElse(null));
    }
    // The network never ran this rule's condition (guarded by another event type, or stopped
    // by one of its alpha tests, AlphaTests): its condition, now.
    ContactFacts facts = phaseFacts[rule.phase()];
    if (facts == null) {
      return new Evaluation.TraceEntry(name, ruleFired, "", null);
    }
    java.time.LocalDate today =
        io.relais.engine.compile.LocalTimes.date(facts.now(), facts.zone());
    if (!rule.activeOn(today)) {
      return new Evaluation.TraceEntry(name, ruleFired, "not active on " + today, null);
    }
    // A fresh warnings set: the evaluation's warnings were final when it returned. The phase's
    // memo is kept, so a decision table the phase evaluated is read, not evaluated again.
    ContactFacts again = facts.with(new java.util.LinkedHashSet<>(), new java.util.HashMap<>(), facts.memo());
    Trace trace = Trace.recording();
    boolean held;
    try {
      held = rule.condition().test(again, trace);
    } catch (RuntimeException e) {
      return new Evaluation.TraceEntry(name, ruleFired,
          "could not be evaluated: " + Failures.describe(name, e), null);
    }
    // The false part only of a condition that was false (not of one that held but whose rule
    // did not fire for another reason).
    Trace.Written written = trace.written(0, trace.end());
    return new Evaluation.TraceEntry(name, ruleFired, written.why(),
        ruleFired || held ? null : written.falsePart().orElse(null));
  }

  @Override
  public int size() {
    return rules.size();
  }
}
