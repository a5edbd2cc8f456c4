package io.relais.engine.evaluation;

import io.relais.engine.compile.Trace;
import io.relais.engine.contact.ContactFacts;
import java.util.AbstractList;
import java.util.BitSet;
import java.util.List;
import java.util.RandomAccess;

/**
 * The trace of one evaluation, written only when read: the matching path evaluates conditions
 * without recording anything, and each entry's "why" is the rule's condition evaluated again,
 * with recording, on the same immutable snapshot of its phase (so it reads exactly as if it
 * had been recorded while matching). Immutable; entries are computed at most once.
 */
final class LazyTrace extends AbstractList<Evaluation.TraceEntry> implements RandomAccess {

  private final List<CompiledRuleset.CompiledRule> rules;
  private final ContactFacts[] phaseFacts;
  private final BitSet fired;
  private final String[] eager;
  /** Made on the first read: most evaluations are never asked for their trace. */
  private Evaluation.TraceEntry[] entries;

  LazyTrace(List<CompiledRuleset.CompiledRule> rules, ContactFacts[] phaseFacts, BitSet fired,
      String[] eager) {
    this.rules = rules;
    this.phaseFacts = phaseFacts;
    this.fired = fired;
    this.eager = eager;
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
      CompiledRuleset.CompiledRule rule = rules.get(index);
      entry = new Evaluation.TraceEntry(rule.ref().name(), fired.get(rule.index()),
          why(rule));
      known[index] = entry;
    }
    return entry;
  }

  private String why(CompiledRuleset.CompiledRule rule) {
    String known = eager[rule.index()];
    if (known != null) {
      return known;
    }
    ContactFacts facts = phaseFacts[rule.phase()];
    if (facts == null) {
      return "";
    }
    java.time.LocalDate today = facts.now().atZone(facts.zone()).toLocalDate();
    if (!rule.activeOn(today)) {
      return "not active on " + today;
    }
    // A fresh warnings set: the evaluation's warnings were final when it returned. The phase's
    // memo is kept, so a decision table the phase evaluated is read, not evaluated again.
    ContactFacts again = facts.with(new java.util.LinkedHashSet<>(), new java.util.HashMap<>(), facts.memo());
    Trace trace = Trace.recording();
    try {
      rule.condition().test(again, trace);
    } catch (RuntimeException e) {
      return "could not be evaluated: " + Failures.describe(rule.ref().name(), e);
    }
    return trace.why();
  }

  @Override
  public int size() {
    return rules.size();
  }
}
