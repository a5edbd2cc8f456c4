package io.relais.engine.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Evaluation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records an event for a contact, decides on it and applies the decision, exactly once, with
 * no lock: see docs/store.md for the protocol. In short, the contact document is the one
 * atomic truth. One conditional write puts the new state and the event with its decision in
 * the contact's outbox; the event document is written next (idempotent, same id every time)
 * and waited for until searchable; then the outbox forgets the event. A crash between any two
 * writes leaves the event either in the outbox or in the events index, never both missing, and
 * whoever comes next (a retry, the contact's next event, the recovery sweep) finishes the job.
 */
public final class EventRecorder {

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final ContactStore contacts;
  private final EventLog events;
  private final ObjectMapper json;
  private final Clock clock;
  private final EventSettings settings;
  private final Map<CompiledRuleset, HistoryNeeds> needs = Collections.synchronizedMap(new WeakHashMap<>());
  private volatile WriteHook hook = WriteHook.NONE;

  public EventRecorder(ContactStore contacts, EventLog events, ObjectMapper json, Clock clock, EventSettings settings) {
    this.contacts = contacts;
    this.events = events;
    this.json = json;
    this.clock = clock;
    this.settings = settings;
  }

  void hook(WriteHook hook) {
    this.hook = hook;
  }

  /**
   * What recording gave: the decision's JSON (as {@code POST /decisions} answers it) and
   * whether it is the decision recorded the first time this event id was seen.
   */
  public record Outcome(Map<String, Object> decision, boolean replayed) {
    /** The answer's JSON: the decision with {@code "replayed"}. */
    public Map<String, Object> json() {
      Map<String, Object> out = new LinkedHashMap<>(decision);
      out.put("replayed", replayed);
      return out;
    }
  }

  /** The history needs of a ruleset version, computed once. */
  public HistoryNeeds needs(CompiledRuleset ruleset) {
    return needs.computeIfAbsent(ruleset, r -> HistoryNeeds.of(r.checked()));
  }

  /**
   * Records {@code event} for contact {@code contactId} (created as a {@code LEAD} if unknown),
   * evaluates {@code ruleset} with it as the triggering event and applies the resulting state.
   * An event id seen before for this contact is not applied again.
   *
   * @throws ContactBusyException when every attempt lost to a concurrent write
   */
  public Outcome record(String contactId, Event event, CompiledRuleset ruleset) {
    if (event.id() == null) {
      throw new IllegalArgumentException("an event needs an id to be recorded once");
    }
    Instant now = clock.instant();
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      Optional<StoredContact> read = contacts.read(contactId);
      StoredContact current = read.orElseGet(() -> StoredContact.absent(newContact(contactId, now)));
      Optional<PendingEvent> pending = current.outbox().stream()
          .filter(p -> p.eventId().equals(event.id())).findFirst();
      if (pending.isPresent()) {
        // Applied, but its recording did not finish (a crash, or still in flight): finish it.
        complete(contactId, List.of(pending.get()));
        return new Outcome(pending.get().decision(), true);
      }
      Optional<PendingEvent> recorded = events.find(contactId, event.id());
      if (recorded.isPresent()) {
        return new Outcome(recorded.get().decision(), true);
      }
      List<Event> history = history(contactId, current, ruleset, now, null);
      Evaluation evaluation = ruleset.evaluate(current.contact(), Optional.of(event), history, now);
      Map<String, Object> decision = json.convertValue(evaluation, MAP);
      PendingEvent mine = new PendingEvent(event.id(), event.type(), event.at(), event.attributes(),
          ruleset.name(), ruleset.version(), now, decision);
      List<PendingEvent> outbox = new ArrayList<>(current.outbox());
      outbox.add(mine);
      Contact next = touched(evaluation.resultingContact(), event.at());
      hook.reached(WriteHook.Point.EVALUATED);
      if (!contacts.write(current, next, outbox, now)) {
        backoff(attempt);
        continue;
      }
      hook.reached(WriteHook.Point.CONTACT_WRITTEN);
      // Entries another instance left behind (it died after its contact write) are finished
      // here too, once they are older than the grace the living give themselves.
      List<PendingEvent> done = new ArrayList<>(stale(current.outbox(), now));
      done.add(mine);
      events.write(contactId, done);
      hook.reached(WriteHook.Point.EVENT_WRITTEN);
      forget(contactId, done);
      hook.reached(WriteHook.Point.OUTBOX_CLEARED);
      return new Outcome(decision, false);
    }
    throw new ContactBusyException(contactId, settings.maxAttempts());
  }

  /**
   * The stored contact and what its ruleset can read of its history, for a decision that
   * stores nothing; empty when the contact is unknown.
   */
  public Optional<Facts> facts(String contactId, CompiledRuleset ruleset, Instant now, List<String> warnings) {
    return contacts.read(contactId)
        .map(stored -> new Facts(stored.contact(), history(contactId, stored, ruleset, now, warnings)));
  }

  /** A stored contact and the part of its history a ruleset reads. */
  public record Facts(Contact contact, List<Event> history) {}

  /**
   * Finishes the recordings that crashed instances left in contacts' outboxes (entries older
   * than the grace): writes their event documents and empties the outboxes. Safe to run
   * anywhere, any time, several times.
   *
   * @return how many outbox entries were finished
   */
  public int recover() {
    int finished = 0;
    Instant now = clock.instant();
    for (String contactId : contacts.withPendingEvents(1_000)) {
      Optional<StoredContact> stored = contacts.read(contactId);
      if (stored.isEmpty()) {
        continue;
      }
      List<PendingEvent> stale = stale(stored.get().outbox(), now);
      if (!stale.isEmpty()) {
        complete(contactId, stale);
        finished += stale.size();
      }
    }
    if (finished > 0) {
      log.info("Recovery finished recording {} events left by a crash", finished);
    }
    return finished;
  }

  // Recorded event documents, plus what the outbox holds that may not be searchable yet,
  // limited to what the ruleset reads.
  private List<Event> history(String contactId, StoredContact stored, CompiledRuleset ruleset, Instant now,
      List<String> warnings) {
    HistoryNeeds needed = needs(ruleset);
    if (needed.none()) {
      return List.of();
    }
    EventLog.History read = events.history(contactId, needed, now, settings.maxHistory());
    if (read.truncated()) {
      log.warn("History of contact {} truncated to the newest {} events", contactId, settings.maxHistory());
      if (warnings != null) {
        warnings.add("history truncated to the newest " + settings.maxHistory() + " events");
      }
    }
    Map<String, Event> byId = new LinkedHashMap<>();
    for (Event event : read.events()) {
      byId.put(event.id(), event);
    }
    Set<String> types = needed.types();
    for (PendingEvent pending : stored.outbox()) {
      if (types.contains(pending.type())) {
        byId.putIfAbsent(pending.eventId(), pending.toEvent());
      }
    }
    return new ArrayList<>(byId.values());
  }

  private void complete(String contactId, List<PendingEvent> entries) {
    events.write(contactId, entries);
    forget(contactId, entries);
  }

  // Takes searchable events out of the outbox; best effort: what stays is finished later.
  private void forget(String contactId, List<PendingEvent> entries) {
    Set<String> ids = new LinkedHashSet<>();
    entries.forEach(e -> ids.add(e.eventId()));
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      Optional<StoredContact> stored = contacts.read(contactId);
      if (stored.isEmpty()) {
        return;
      }
      List<PendingEvent> rest = stored.get().outbox().stream().filter(p -> !ids.contains(p.eventId())).toList();
      if (rest.size() == stored.get().outbox().size()) {
        return;
      }
      if (contacts.write(stored.get(), stored.get().contact(), rest, clock.instant())) {
        return;
      }
      backoff(attempt);
    }
    log.info("Outbox of contact {} left for the next writer after {} attempts", contactId, settings.maxAttempts());
  }

  private List<PendingEvent> stale(List<PendingEvent> outbox, Instant now) {
    Instant limit = now.minus(settings.outboxGrace());
    return outbox.stream().filter(p -> !p.recordedAt().isAfter(limit)).toList();
  }

  private static Contact newContact(String id, Instant now) {
    Contact bare = Contact.withId(id);
    return new Contact(id, null, null, null, null, null, null, null, null, null, now, null,
        bare.score(), bare.stage(), null, null, null, null, null, null, null, null);
  }

  // The last activity moves forward with events, after the rules saw the previous one.
  static Contact touched(Contact c, Instant at) {
    Instant last = c.lastActivityAt() == null || at.isAfter(c.lastActivityAt()) ? at : c.lastActivityAt();
    return new Contact(c.id(), c.email(), c.firstName(), c.lastName(), c.company(), c.city(), c.country(),
        c.owner(), c.companySize(), c.birthDate(), c.createdAt(), last, c.score(), c.stage(), c.tags(),
        c.segments(), c.tier(), c.ledger(), c.enrollments(), c.alerts(), c.attributes(), c.consent());
  }

  // Randomised and growing, so contenders spread out instead of colliding again in step.
  private void backoff(int attempt) {
    backoff(attempt, settings);
  }

  static void backoff(int attempt, EventSettings settings) {
    long ceiling = Math.max(1, Math.min(settings.maxBackoff().toMillis(), 1L << Math.min(attempt, 10)));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, ceiling + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContactBusyException("(interrupted)", attempt);
    }
  }
}
