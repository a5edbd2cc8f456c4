package io.relais.engine.simulation;

import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Evaluation;
import io.relais.engine.store.EventRecorder;
import io.relais.engine.store.HistoryNeeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One ruleset version replaying a contact's events in memory: each event evaluated, as of its
 * own {@code at}, on the state the previous one left, with the events before it as history, and
 * applied as the store applies a recorded event ({@link EventRecorder#touched}); a recorded campaign
 * step is decided again as a due step. Nothing is stored.
 */
public final class Replayer {

  private final CompiledRuleset ruleset;
  /** Whether the rules read history at all: if not, no history list is handed over. */
  private final boolean readsHistory;

  public Replayer(CompiledRuleset ruleset) {
    this.ruleset = ruleset;
    this.readsHistory = !HistoryNeeds.of(ruleset.checked()).none();
  }

  public CompiledRuleset ruleset() {
    return ruleset;
  }

  /**
   * Replays {@code events} in order from {@code start}, with {@code before} (older events, in
   * order) as the history they follow; each evaluation goes to {@code seen}. Answers the state the
   * last event left.
   */
  public Contact replay(Contact start, List<Event> before, List<Event> events, Consumer<Evaluation> seen) {
    List<Event> past = readsHistory ? new ArrayList<>(before) : List.of();
    Contact contact = start;
    for (Event event : events) {
      // A recorded campaign step is decided again as a due step, as EventRecorder#recordDueStep
      // decided it: no rule runs, and it is no activity of the contact.
      Object campaign = EventRecorder.DUE_STEP_EVENT.equals(event.type()) ? event.attributes().get("campaign") : null;
      Evaluation evaluation = campaign instanceof String c
          ? ruleset.decideDueSteps(contact, c, past, event.at())
          : ruleset.evaluate(contact, Optional.of(event), past, event.at());
      seen.accept(evaluation);
      contact = campaign instanceof String ? EventRecorder.typedOnly(evaluation.resultingContact())
          : EventRecorder.touched(evaluation.resultingContact(), event.at());
      if (readsHistory) {
        past.add(event);
      }
    }
    return contact;
  }
}
