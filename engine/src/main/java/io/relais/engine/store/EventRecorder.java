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
 * the contact's outbox; the event document is written next (idempotent, same id every time,
 * no refresh wait). An entry leaves the outbox only once searches see its document, after the
 * grace, taken out by the contact's next write or by the recovery sweep. So every applied event
 * is at any time in the outbox or in the events index, and whoever comes next (a retry, the
 * contact's next event, the recovery sweep) finishes what a crash left.
 */
public final class EventRecorder {

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  /** Contacts read per page of the recovery's work list. */
  private static final int RECOVERY_PAGE = 1_000;
  /** Pages per sweep at most: a sweep ends; the next one goes on. */
  private static final int MAX_RECOVERY_PAGES = 100;
  /**
   * Contacts finished per round of requests: small enough that the sweep's bulks interleave with
   * the hot path's in the node's write queue instead of holding it for a whole page.
   */
  private static final int RECOVERY_CHUNK = 100;
  /** Conditional writes per contact and sweep: a busy contact is pruned by its own next event. */
  private static final int RECOVERY_ATTEMPTS = 5;

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

  EventSettings settings() {
    return settings;
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
    String documentId = EventLog.documentId(contactId, event.id());
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      // One round trip: the contact (with its version) and the event's document, both real time.
      ContactStore.Lookup read = contacts.readWithEvent(contactId, events.index(), documentId);
      StoredContact current = read.contact().orElseGet(() -> StoredContact.absent(newContact(contactId, now)));
      Optional<PendingEvent> pending = current.outbox().stream()
          .filter(p -> p.eventId().equals(event.id())).findFirst();
      if (pending.isPresent()) {
        // Applied already; its document is written by its recorder or, after a crash, by the
        // contact's next event or the recovery sweep: nothing to write here.
        return new Outcome(pending.get().decision(), true);
      }
      if (read.event().isPresent()) {
        return new Outcome(events.fromDocument(read.event().get()).decision(), true);
      }
      RecentEvents recent = recent(contactId, current, now);
      List<Event> history = history(contactId, current.outbox(), recent, ruleset, now, null);
      Evaluation evaluation = ruleset.evaluate(current.contact(), Optional.of(event), history, now);
      Map<String, Object> decision = evaluation.toJson(); // by hand, not convertValue: every event's path
      PendingEvent mine = new PendingEvent(event.id(), event.type(), event.at(), event.attributes(),
          ruleset.name(), ruleset.version(), now, decision);
      List<PendingEvent> outbox = new ArrayList<>(prune(contactId, current.outbox(), now));
      outbox.add(mine);
      Contact next = touched(evaluation.resultingContact(), event.at());
      hook.reached(WriteHook.Point.EVALUATED);
      RecentEvents withMine = recent.with(event, now, settings.recentWindow(), settings.recentMax());
      if (!contacts.write(current, next, outbox, withMine, now)) {
        backoff(attempt);
        continue;
      }
      hook.reached(WriteHook.Point.CONTACT_WRITTEN);
      // Write A made the event durable (applied, in the outbox): the answer does not wait for
      // its document, which goes in the next shared bulk (docs/store.md, step 7).
      events.writeLater(contactId, List.of(mine));
      hook.reached(WriteHook.Point.EVENT_WRITTEN);
      return new Outcome(decision, false);
    }
    throw new ContactBusyException(contactId, settings.maxAttempts());
  }

  /**
   * The stored contact and what its ruleset can read of its history, for a decision that
   * stores nothing; empty when the contact is unknown.
   */
  public Optional<Facts> facts(String contactId, CompiledRuleset ruleset, Instant now, List<String> warnings) {
    return contacts.read(contactId).map(stored -> new Facts(stored.contact(),
        history(contactId, stored.outbox(), stored.recent(), ruleset, now, warnings)));
  }

  /** A stored contact and the part of its history a ruleset reads. */
  public record Facts(Contact contact, List<Event> history) {}

  /**
   * Finishes what the hot path leaves behind: for every contact with outbox entries older than
   * the grace, writes their event documents (idempotent; those a crash left unwritten) and waits
   * until searches see them, then takes them out of the outbox, conditionally. Safe to run
   * anywhere, any time, several times.
   *
   * @return how many outbox entries were taken out
   */
  public int recover() {
    return recover(RECOVERY_PAGE);
  }

  int recover(int pageSize) {
    int finished = 0;
    Instant now = clock.instant();
    Instant before = now.minus(settings.outboxGrace());
    Long after = null;
    for (int page = 0; page < MAX_RECOVERY_PAGES; page++) {
      ContactStore.Page work = contacts.withPendingEvents(before, after, pageSize);
      for (int from = 0; from < work.ids().size(); from += RECOVERY_CHUNK) {
        Round round = finishRound(work.ids().subList(from, Math.min(work.ids().size(), from + RECOVERY_CHUNK)), now);
        finished += round.finished();
        for (String contactId : round.conflicts()) {
          finished += finishAlone(contactId, now);
        }
      }
      if (work.ids().size() < pageSize || work.last() == null) {
        break;
      }
      after = work.last();
    }
    if (finished > 0) {
      log.info("Recovery took {} events out of outboxes", finished);
    }
    return finished;
  }

  /** What a round of the sweep did: entries taken out, and contacts that changed meanwhile. */
  private record Round(int finished, List<String> conflicts) {}

  /**
   * One round of the sweep in a handful of requests, whatever its size: one real-time read of
   * its contacts, one non-real-time read of their old entries' documents, one write (with
   * refresh wait) of the documents a crash left unwritten, if any, and one bulk of conditional
   * contact writes. A contact another writer changed meanwhile is left to {@link #finishAlone}.
   */
  private Round finishRound(List<String> ids, Instant now) {
    Map<String, StoredContact> read = contacts.readAll(ids);
    hook.reached(WriteHook.Point.SWEEP_READ);
    Map<String, Set<String>> staleIds = new LinkedHashMap<>();
    read.forEach((id, stored) -> {
      List<PendingEvent> stale = stale(stored.outbox(), now);
      if (!stale.isEmpty()) {
        staleIds.put(id, ids(stale));
      }
    });
    if (staleIds.isEmpty()) {
      return new Round(0, List.of());
    }
    Map<String, Set<String>> seen = events.searchable(staleIds);
    Map<String, List<PendingEvent>> unwritten = new LinkedHashMap<>();
    List<ContactStore.Write> writes = new ArrayList<>();
    staleIds.forEach((id, stale) -> {
      StoredContact stored = read.get(id);
      Set<String> visible = seen.getOrDefault(id, Set.of());
      List<PendingEvent> missing = stored.outbox().stream()
          .filter(p -> stale.contains(p.eventId()) && !visible.contains(p.eventId())).toList();
      if (!missing.isEmpty()) {
        unwritten.put(id, missing);
      }
      // Once the missing documents are written, every stale entry's document is searchable:
      // the outbox may forget them all.
      writes.add(new ContactStore.Write(stored, stored.contact(),
          stored.outbox().stream().filter(p -> !stale.contains(p.eventId())).toList()));
    });
    events.writeSearchable(unwritten);
    List<Boolean> written = contacts.writeAll(writes, now);
    int finished = 0;
    List<String> conflicts = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      String id = writes.get(i).previous().contact().id();
      if (written.get(i)) {
        finished += staleIds.get(id).size();
      } else {
        conflicts.add(id);
      }
    }
    return new Round(finished, conflicts);
  }

  // A contact of the sweep that changed meanwhile: its own rounds, re-read each time, a few
  // times; what stays is for the next sweep.
  private int finishAlone(String contactId, Instant now) {
    for (int attempt = 1; attempt <= RECOVERY_ATTEMPTS; attempt++) {
      Round round = finishRound(List.of(contactId), now);
      if (round.conflicts().isEmpty()) {
        return round.finished();
      }
      backoff(attempt);
    }
    log.info("Outbox of contact {} left for the next sweep after {} attempts", contactId, RECOVERY_ATTEMPTS);
    return 0;
  }

  /**
   * The contact's recent events: the ones its document keeps, or for a document written before
   * Relais kept them, a list built once from the events index (every event of the window, plus
   * the outbox's, which searches may not see yet) and written with this event.
   */
  private RecentEvents recent(String contactId, StoredContact current, Instant now) {
    if (current.recent() != null) {
      return current.recent();
    }
    Instant from = now.minus(settings.recentWindow());
    int max = Math.max(1, settings.recentMax()) + 1;
    List<Event> found = events.since(contactId, from, max);
    List<Event> all = new ArrayList<>(found);
    Set<String> seen = new LinkedHashSet<>();
    found.forEach(e -> seen.add(e.id()));
    for (PendingEvent pending : current.outbox()) {
      if (seen.add(pending.eventId())) {
        all.add(pending.toEvent());
      }
    }
    return RecentEvents.rebuilt(from, all, found.size() >= max, now, settings.recentWindow(), settings.recentMax());
  }

  // What the ruleset reads of the history: from the contact's recent events when they cover it;
  // otherwise the recorded event documents plus what the outbox holds that may not be searchable
  // yet.
  private List<Event> history(String contactId, List<PendingEvent> outbox, RecentEvents recent,
      CompiledRuleset ruleset, Instant now, List<String> warnings) {
    HistoryNeeds needed = needs(ruleset);
    if (needed.none()) {
      return List.of();
    }
    if (recent != null) {
      Optional<List<Event>> kept = recent.read(needed, now);
      if (kept.isPresent()) {
        return new ArrayList<>(kept.get());
      }
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
    for (PendingEvent pending : outbox) {
      if (types.contains(pending.type())) {
        byId.putIfAbsent(pending.eventId(), pending.toEvent());
      }
    }
    return new ArrayList<>(byId.values());
  }

  /**
   * The outbox that the next write keeps: entries older than the grace whose documents searches
   * see are left out (they are in the events index for good). The documents of the other old
   * entries, which a crash left unwritten or which are not refreshed yet, are written now
   * (idempotent, no refresh wait) and the entries stay until a later write sees them.
   */
  private List<PendingEvent> prune(String contactId, List<PendingEvent> outbox, Instant now) {
    List<PendingEvent> stale = stale(outbox, now);
    if (stale.isEmpty()) {
      return outbox;
    }
    Set<String> searchable = events.searchable(contactId, ids(stale));
    events.write(contactId, stale.stream().filter(p -> !searchable.contains(p.eventId())).toList());
    return outbox.stream().filter(p -> !searchable.contains(p.eventId())).toList();
  }

  private static Set<String> ids(List<PendingEvent> entries) {
    Set<String> ids = new LinkedHashSet<>();
    entries.forEach(e -> ids.add(e.eventId()));
    return ids;
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
