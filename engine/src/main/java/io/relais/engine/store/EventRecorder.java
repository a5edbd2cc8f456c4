package io.relais.engine.store;

import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Evaluation;
import io.relais.engine.evaluation.TraceMode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
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
 * grace, taken out by the contact's next write (an idle contact keeps its last entries). So
 * every applied event is at any time in the outbox or in the events index, and whoever comes
 * next (a retry, the contact's next event, the recovery sweep) writes a document a crash left
 * unwritten.
 */
public final class EventRecorder {

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  /** Contacts read per page of the recovery's work list. */
  private static final int RECOVERY_PAGE = 1_000;
  /** Pages per sweep at most: a sweep ends; the next one goes on. */
  private static final int MAX_RECOVERY_PAGES = 100;

  private final ContactStore contacts;
  private final EventLog events;
  private final Clock clock;
  private final EventSettings settings;
  private final SweepMark marks;
  private final Map<CompiledRuleset, HistoryNeeds> needs = Collections.synchronizedMap(new WeakHashMap<>());
  private volatile WriteHook hook = WriteHook.NONE;

  public EventRecorder(ContactStore contacts, EventLog events, Clock clock, EventSettings settings) {
    this.contacts = contacts;
    this.events = events;
    this.clock = clock;
    this.settings = settings;
    this.marks = contacts.sweepMark();
  }

  EventSettings settings() {
    return settings;
  }

  void hook(WriteHook hook) {
    this.hook = hook;
  }

  /**
   * What recording gave: the decision as recorded (its trace: the rules that fired), whether it
   * is the decision recorded the first time this event id was seen, and the decision as answered
   * (the recorded one, or another part of its trace when the caller asked for one).
   */
  public record Outcome(DecisionJson recorded, boolean replayed, DecisionJson answered) {
    /** An outcome answered as recorded. */
    public Outcome(DecisionJson recorded, boolean replayed) {
      this(recorded, replayed, recorded);
    }

    /** An outcome of a decision given as JSON values, answered as recorded. */
    public Outcome(Map<String, Object> decision, boolean replayed) {
      this(DecisionJson.stored(decision), replayed);
    }

    /** The recorded decision as JSON values. */
    public Map<String, Object> decision() {
      return recorded.map();
    }

    /** The answer's JSON: the decision as answered, with {@code "replayed"}. */
    public Map<String, Object> json() {
      Map<String, Object> out = new LinkedHashMap<>(answered.map());
      out.put("replayed", replayed);
      return out;
    }

    /** {@link #json()} as UTF-8 bytes, from the decision's text (not written out again). */
    public byte[] answer() {
      return answered.answer(replayed);
    }

    /**
     * A replay's outcome: the decision recorded the first time, whose trace has the rules that
     * fired then whatever {@code trace} asks now, and none with {@link TraceMode#NONE}.
     */
    static Outcome replay(DecisionJson recorded, TraceMode trace) {
      if (trace != TraceMode.NONE || !recorded.map().containsKey("trace")) {
        return new Outcome(recorded, true);
      }
      Map<String, Object> shown = new LinkedHashMap<>(recorded.map());
      shown.remove("trace");
      return new Outcome(recorded, true, DecisionJson.stored(shown));
    }
  }

  /** The history needs of a ruleset version, computed once. */
  public HistoryNeeds needs(CompiledRuleset ruleset) {
    return needs.computeIfAbsent(ruleset, r -> HistoryNeeds.of(r.checked()));
  }

  /**
   * Records {@code event} for contact {@code contactId} (created as a {@code LEAD} if unknown),
   * evaluates {@code ruleset} with it as the triggering event and applies the resulting state;
   * answered with the recorded trace (the rules that fired).
   *
   * @throws ContactBusyException when every attempt lost to a concurrent write
   */
  public Outcome record(String contactId, Event event, CompiledRuleset ruleset) {
    return record(contactId, event, ruleset, TraceMode.FIRED);
  }

  /**
   * Records {@code event} for contact {@code contactId} (created as a {@code LEAD} if unknown),
   * evaluates {@code ruleset} with it as the triggering event and applies the resulting state.
   * An event id seen before for this contact is not applied again. The decision is recorded
   * with the trace of the rules that fired, whatever {@code trace} says: that asks only what the
   * answer shows (a replay answers the recorded trace, or none).
   *
   * @throws ContactBusyException when every attempt lost to a concurrent write
   */
  public Outcome record(String contactId, Event event, CompiledRuleset ruleset, TraceMode trace) {
    if (event.id() == null) {
      throw new IllegalArgumentException("an event needs an id to be recorded once");
    }
    return apply(contactId, ruleset, trace, new Subject() {
      @Override
      public Optional<Event> known() {
        return Optional.of(event);
      }

      @Override
      public Optional<Event> event(StoredContact current) {
        return Optional.of(event);
      }

      @Override
      public Evaluation evaluate(Contact contact, Event e, List<Event> history, Instant now) {
        return ruleset.evaluate(contact, Optional.of(e), history, now);
      }
    }).orElseThrow();
  }

  /**
   * Decides the earliest due step of {@code campaign} for a stored contact (docs/campaigns.md),
   * applied as an event of type {@code campaign_step} whose id names the enrollment and the
   * step, with the protocol of live events: recorded in the contact's history, its actions
   * created from it, once. Empty when nothing of that campaign is due (already decided, by this
   * instance or another, or the enrollment ended) or the contact is gone.
   *
   * @throws ContactBusyException when every attempt lost to a concurrent write
   */
  public Optional<Outcome> recordDueStep(String contactId, String campaign, CompiledRuleset ruleset) {
    return apply(contactId, ruleset, TraceMode.FIRED, dueStep(campaign, ruleset));
  }

  // A due step of the campaign: its event comes from the stored contact, decided by the campaign.
  private Subject dueStep(String campaign, CompiledRuleset ruleset) {
    return new Subject() {
      @Override
      public Optional<Event> known() {
        return Optional.empty();
      }

      @Override
      public Optional<Event> event(StoredContact current) {
        // An alias's steps are the contact's it was merged into (ContactMerge keeps them there).
        if (!current.exists() || current.mergedInto().isPresent()) {
          return Optional.empty();
        }
        return dueStepEvent(current.contact(), campaign, clock.instant());
      }

      @Override
      public Evaluation evaluate(Contact contact, Event e, List<Event> history, Instant now) {
        return ruleset.decideDueSteps(contact, campaign, history, now);
      }

      @Override
      public boolean activity() {
        return false;
      }
    };
  }

  /** The event of the earliest step of {@code campaign} due for {@code contact} at {@code now}. */
  static Optional<Event> dueStepEvent(Contact contact, String campaign, Instant now) {
    return contact.enrollments().stream()
        .filter(e -> e.active() && e.campaign().equals(campaign) && e.nextDueAt() != null
            && !e.nextDueAt().isAfter(now))
        .findFirst()
        .map(e -> new Event(dueStepId(e), DUE_STEP_EVENT, e.nextDueAt(), Map.of("campaign", campaign)));
  }

  /** What {@link #recordDueSteps} did with a page: steps decided, contacts failed, and the rest. */
  public record DueBulk(int decided, int failed, List<String> oneByOne) {}

  /**
   * Decides one due step for each contact of a page with bulks (docs/campaigns.md, "Due steps in
   * bulk"): one real-time read of the page, the evaluation of {@link #recordDueStep} on each
   * contact as read (in up to {@code parts} parts on {@code evaluators}), one bulk of conditional
   * contact writes carrying each step in the contact's outbox, then the actions and the event
   * documents of the steps written, in bulks. A contact is left to {@link #recordDueStep} one by
   * one ({@link DueBulk#oneByOne}) when its write lost a race (409: it changed since the read),
   * when it has more due after this step, or when it needs what the bulk does not do (a contact
   * other contacts were merged into, a step its outbox holds already).
   *
   * @param campaigns the campaigns with steps due of each contact of the page, as the due-step
   *     query found them
   * @param owner the ruleset that decides a campaign's steps, empty when none does
   */
  public DueBulk recordDueSteps(Map<String, List<String>> campaigns,
      java.util.function.Function<String, Optional<CompiledRuleset>> owner, int parts,
      java.util.concurrent.Executor evaluators) {
    Instant now = clock.instant();
    List<String> oneByOne = new ArrayList<>();
    List<String> todo = new ArrayList<>();
    Map<String, StoredContact> read = contacts.readAll(new ArrayList<>(campaigns.keySet()));
    Map<String, String> stepOf = new LinkedHashMap<>();
    read.forEach((id, current) -> {
      if (current.mergedInto().isPresent()) {
        return; // an alias: its steps are its contact's
      }
      Optional<String> campaign = campaigns.get(id).stream()
          .filter(c -> owner.apply(c).isPresent() && dueStepEvent(current.contact(), c, now).isPresent())
          .findFirst();
      if (campaign.isEmpty()) {
        return; // decided since the query saw it
      }
      String stepId = dueStepEvent(current.contact(), campaign.get(), now).get().id();
      if (!current.mergedFrom().isEmpty()
          || current.outbox().stream().anyMatch(p -> p.eventId().equals(stepId))) {
        oneByOne.add(id);
      } else {
        stepOf.put(id, campaign.get());
        todo.add(id);
      }
    });
    int failed = 0;
    List<Planned> planned = new ArrayList<>();
    for (Object one : BulkApplier.inParts(todo, parts, evaluators, id -> {
      try {
        CompiledRuleset ruleset = owner.apply(stepOf.get(id)).orElseThrow();
        StoredContact current = read.get(id);
        Subject subject = dueStep(stepOf.get(id), ruleset);
        return (Object) plan(current, subject.event(current).orElseThrow(), ruleset, subject, now);
      } catch (RuntimeException e) {
        log.warn("due step of contact {} not decided now: {}", id, e.toString());
        return e;
      }
    })) {
      if (one instanceof Planned p) {
        planned.add(p);
      } else {
        failed++;
      }
    }
    if (planned.isEmpty()) {
      return new DueBulk(0, failed, oneByOne);
    }
    List<co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem> items;
    try {
      items = contacts.writeAll(planned, now);
    } catch (RuntimeException | Error e) {
      // No answer: any of the writes may have happened; the next pass looks again.
      planned.forEach(p -> p.origins().forEach(events::unknownFate));
      log.warn("due steps of {} contacts not decided now: {}", planned.size(), e.toString());
      return new DueBulk(0, failed + planned.size(), oneByOne);
    }
    List<Planned> applied = new ArrayList<>();
    List<Planned> conflicts = new ArrayList<>();
    for (int i = 0; i < planned.size(); i++) {
      Planned p = planned.get(i);
      String id = p.next().id();
      try {
        if (!ContactStore.succeeded(items.get(i), id)) {
          conflicts.add(p); // changed since the page was read, or this write answered as a conflict
          continue;
        }
        hook.reached(WriteHook.Point.CONTACT_WRITTEN);
      } catch (RuntimeException | Error e) {
        p.origins().forEach(events::unknownFate);
        failed++;
        log.warn("due step of contact {} not decided now: {}", id, e.toString());
        continue;
      }
      applied.add(p);
    }
    applied.addAll(settleConflicts(conflicts, oneByOne));
    int decided = 0;
    Map<String, List<PendingEvent>> written = new LinkedHashMap<>();
    for (Planned p : applied) {
      String id = p.next().id();
      decided++;
      written.put(id, p.documents());
      if (campaigns.get(id).stream().anyMatch(c -> owner.apply(c).isPresent()
          && dueStepEvent(p.next(), c, now).isPresent())) {
        oneByOne.add(id); // more steps due: each its own decision
      }
    }
    // The steps are durable in their contacts' outboxes: their actions and documents follow,
    // and what a crash here leaves is written by the recovery sweep.
    events.writeAllLater(written);
    for (int i = 0; i < written.size(); i++) {
      hook.reached(WriteHook.Point.EVENT_WRITTEN);
    }
    return new DueBulk(decided, failed, oneByOne);
  }

  /**
   * The writes of a bulk of due steps answered 409, told apart by one real-time read of their
   * contacts ({@link #fate}): those applied are answered as written; the others' contacts are
   * decided again one by one, on the contact as it is, their tickets released (another write
   * came first) or abandoned (the read could not tell).
   */
  private List<Planned> settleConflicts(List<Planned> conflicts, List<String> oneByOne) {
    if (conflicts.isEmpty()) {
      return List.of();
    }
    Map<String, StoredContact> reread;
    try {
      reread = contacts.readAll(conflicts.stream().map(p -> p.next().id()).toList());
    } catch (RuntimeException e) {
      reread = Map.of();
    }
    List<Planned> applied = new ArrayList<>();
    for (Planned p : conflicts) {
      String id = p.next().id();
      StoredContact read = reread.get(id);
      Fate fate = read == null ? Fate.UNKNOWN : fate(p, read);
      switch (fate) {
        case APPLIED -> {
          log.info("The write of due step {} of contact {} was answered 409 but applied (sent again after a fail-over)",
              p.entry().eventId(), id);
          applied.add(p);
        }
        case NOT_APPLIED -> p.origins().forEach(events::notRecorded);
        case UNKNOWN -> p.origins().forEach(events::unknownFate);
      }
      if (fate != Fate.APPLIED) {
        oneByOne.add(id);
      }
    }
    return applied;
  }

  /** The type of the events that record decided campaign steps. */
  public static final String DUE_STEP_EVENT = "campaign_step";

  /** One id per enrollment and step: the campaign, when it was enrolled, when the step is due. */
  static String dueStepId(Contact.Enrollment e) {
    return "step:" + e.campaign() + ":" + e.enrolledAt().toEpochMilli() + ":"
        + e.nextDueAt().toEpochMilli();
  }

  /** What {@link #apply} records: an event, and how it is evaluated. */
  private interface Subject {
    /** The event, when it is known without reading the contact. */
    Optional<Event> known();

    /** The event to record for the contact as read, or empty when there is nothing to do. */
    Optional<Event> event(StoredContact current);

    Evaluation evaluate(Contact contact, Event event, List<Event> history, Instant now);

    /** Whether the event is the contact's activity ({@code lastActivityAt}). */
    default boolean activity() {
      return true;
    }
  }

  private Optional<Outcome> apply(String named, CompiledRuleset ruleset, TraceMode trace,
      Subject subject) {
    Instant now = clock.instant();
    Doubts doubts = new Doubts();
    try {
      for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
        String contactId = named;
        // A live call knows its event before reading; a due step's comes from the stored contact.
        Optional<Event> given = subject.known();
        boolean derived = given.isEmpty();
        if (derived) {
          Optional<StoredContact> first = contacts.read(named);
          Optional<Outcome> mine = doubts.settle(named, first);
          if (mine.isPresent()) {
            return mine;
          }
          given = first.flatMap(subject::event);
          if (given.isEmpty()) {
            return Optional.empty();
          }
        }
        Event event = given.get();
        ContactStore.Lookup read;
        Optional<Outcome> replayed;
        // An alias (a contact merged into another, ContactMerges) records nothing itself: the
        // event goes to the contact it was merged into, unless the alias had it already.
        for (int hop = 0; ; hop++) {
          // One round trip: the contact (with its version) and the event's document, both real time.
          read = contacts.readWithEvent(contactId, events.index(), EventLog.documentId(contactId, event.id()));
          Optional<Outcome> mine = doubts.settle(contactId, read.contact());
          if (mine.isPresent()) {
            return mine;
          }
          replayed = replayed(read, event.id(), trace);
          if (replayed.isPresent() || read.contact().flatMap(StoredContact::mergedInto).isEmpty()) {
            break;
          }
          if (hop == ContactStore.MAX_ALIAS_HOPS) {
            throw new IllegalStateException("contact " + named + " is an alias of an alias ... more than "
                + ContactStore.MAX_ALIAS_HOPS + " times");
          }
          contactId = read.contact().get().mergedInto().get();
        }
        if (replayed.isPresent()) {
          // Recorded by another write: none of ours held in doubt happened (docs/store.md).
          doubts.releaseAll();
          return replayed;
        }
        String id = contactId;
        StoredContact current = read.contact().orElseGet(() -> StoredContact.absent(newContact(id, now)));
        if (derived && (!contactId.equals(named)
            || !subject.event(current).map(Event::id).equals(Optional.of(event.id())))) {
          continue; // the contact moved (or was merged) between the two reads: look again
        }
        // Recorded for a contact merged into this one before the merge: counted once.
        for (String owner : current.mergedFrom()) {
          Optional<PendingEvent> before = events.find(owner, event.id());
          if (before.isPresent()) {
            doubts.releaseAll();
            return Optional.of(Outcome.replay(before.get().decision(), trace));
          }
        }
        Planned plan = plan(current, event, ruleset, subject, now);
        DecisionJson decision = plan.entry().decision();
        DecisionJson answered;
        try {
          // Another part of the trace asked for is the answer's alone.
          answered = trace == TraceMode.FIRED ? decision : DecisionJson.stored(plan.evaluation().toJson(trace));
        } catch (RuntimeException | Error e) {
          plan.origins().forEach(events::notRecorded); // nothing written: no ticket may stay open
          throw e;
        }
        Contact next = plan.next();
        List<PendingEvent> outbox = plan.outbox();
        RecentEvents withMine = plan.recent();
        boolean written;
        try {
          written = contacts.write(current, next, outbox, withMine, now);
          if (written) {
            hook.reached(WriteHook.Point.CONTACT_WRITTEN);
          }
        } catch (RuntimeException | Error e) {
          // No answer, or a crash after it: the write may have happened.
          plan.origins().forEach(events::unknownFate);
          throw e;
        }
        if (!written) {
          // A 409 is another's write, or this one applied and answered as a conflict (sent
          // again after a fail-over): the next read tells which (docs/store.md, "A 409 in doubt").
          doubts.hold(plan, new Outcome(decision, false, answered));
          backoff(attempt);
          continue;
        }
        // Our write came after every one held in doubt: none of those happened.
        doubts.releaseAll();
        // Write A made the event durable (applied, in the outbox): the answer does not wait for
        // its document, which goes in the next bulk of documents (docs/store.md, step 7), with
        // those of the entries write A adopted (step 5).
        handOver(contactId, plan);
        return Optional.of(new Outcome(decision, false, answered));
      }
      throw new ContactBusyException(named, settings.maxAttempts());
    } finally {
      doubts.abandonAll(); // what no read settled: its fate is unknown
    }
  }

  // Write B of an acknowledged write A: the documents of its entry and of the entries it adopted.
  private void handOver(String contactId, Planned plan) {
    for (PendingEvent document : plan.documents()) {
      events.writeLater(contactId, document);
    }
    hook.reached(WriteHook.Point.EVENT_WRITTEN);
  }

  /** What a read of a contact tells of a write of it that was answered 409. */
  enum Fate {
    /** The outbox holds the write's entry, under its ticket: the write happened. */
    APPLIED,
    /** A later version without the write's entry: another write came first, this one never happens. */
    NOT_APPLIED,
    /** The version the write was made over, or an older one (another copy, not up to date yet). */
    UNKNOWN
  }

  /**
   * The fate of {@code plan}'s write, answered 409, as {@code read} (a read of its contact made
   * after that answer) tells it. A write that happened is the next version after its base, and
   * its entry stays in every later version while its ticket is open (this process prunes only
   * settled tickets, and another adopts an entry only after the grace, when it stops mattering
   * whose ticket it carries).
   */
  static Fate fate(Planned plan, StoredContact read) {
    PendingEvent.Origin ticket = plan.entry().origin();
    if (ticket != null && read.outbox().stream().anyMatch(p -> ticket.equals(p.origin()))) {
      return Fate.APPLIED;
    }
    return read.exists() && read.seqNo() > plan.base().seqNo() ? Fate.NOT_APPLIED : Fate.UNKNOWN;
  }

  /**
   * The writes of one call answered 409, whose tickets stay open until a read of the contact
   * tells their fate ({@link #fate}): an applied one has its documents written as if it had been
   * acknowledged, and answers; one that did not happen releases its tickets; what no read
   * settled is abandoned when the call ends (docs/store.md, "A 409 in doubt").
   */
  private final class Doubts {
    private record Doubt(Planned plan, Outcome outcome) {}

    private final List<Doubt> held = new ArrayList<>();

    void hold(Planned plan, Outcome outcome) {
      if (plan.entry().origin() == null) {
        // No watermark: no ticket tells the entry apart, and an entry without one is never
        // vouched for (its document is written before it leaves), so nothing is at stake.
        plan.origins().forEach(events::notRecorded);
        return;
      }
      held.add(new Doubt(plan, outcome));
    }

    // The answer of the held write the read shows applied, if any; the others it tells about are settled.
    Optional<Outcome> settle(String contactId, Optional<StoredContact> read) {
      Optional<Outcome> applied = Optional.empty();
      if (read.isEmpty()) {
        return applied;
      }
      for (java.util.Iterator<Doubt> it = held.iterator(); it.hasNext(); ) {
        Doubt doubt = it.next();
        if (!doubt.plan().next().id().equals(contactId)) {
          continue;
        }
        switch (fate(doubt.plan(), read.get())) {
          case APPLIED -> {
            it.remove();
            log.info("The write of event {} of contact {} was answered 409 but applied (sent again after a fail-over)",
                doubt.plan().entry().eventId(), contactId);
            handOver(contactId, doubt.plan());
            applied = Optional.of(doubt.outcome());
          }
          case NOT_APPLIED -> {
            it.remove();
            doubt.plan().origins().forEach(events::notRecorded);
          }
          case UNKNOWN -> { }
        }
      }
      if (applied.isPresent()) {
        releaseAll(); // one write of a call happens at most: the others did not
      }
      return applied;
    }

    void releaseAll() {
      held.forEach(d -> d.plan().origins().forEach(events::notRecorded));
      held.clear();
    }

    void abandonAll() {
      held.forEach(d -> d.plan().origins().forEach(events::unknownFate));
      held.clear();
    }
  }

  /**
   * A decision made on a contact as read, not written yet: the contact's next state, outbox (with
   * the entry and the entries it adopts, whose origins are open: settle them) and recent events,
   * and the evaluation.
   */
  record Planned(StoredContact base, Contact next, List<PendingEvent> outbox, RecentEvents recent,
      PendingEvent entry, List<PendingEvent> adopted, Evaluation evaluation) {

    /** The open tickets of the write: the adopted entries' and the entry's (null without a watermark). */
    List<PendingEvent.Origin> origins() {
      List<PendingEvent.Origin> origins = new ArrayList<>();
      documents().forEach(p -> origins.add(p.origin()));
      return origins;
    }

    /** The documents to write once the contact write is acknowledged: the adopted entries' and the entry's. */
    List<PendingEvent> documents() {
      List<PendingEvent> documents = new ArrayList<>(adopted);
      documents.add(entry);
      return documents;
    }
  }

  // The evaluation and the write it asks for, as the live protocol makes them (docs/store.md).
  private Planned plan(StoredContact current, Event event, CompiledRuleset ruleset, Subject subject, Instant now) {
    RecentEvents recent = recent(current, now);
    List<Event> history = history(current, recent, ruleset, now, null);
    Evaluation evaluation = subject.evaluate(current.contact(), event, history, now);
    // Written out once: the answer, the outbox entry and the event document carry this text.
    // Recorded with the fired rules' trace only: its size does not grow with the ruleset.
    DecisionJson decision = DecisionJson.of(evaluation);
    Pruned pruned = prune(current, now);
    Contact next = subject.activity() ? touched(evaluation.resultingContact(), event.at())
        : typedOnly(evaluation.resultingContact());
    hook.reached(WriteHook.Point.EVALUATED);
    RecentEvents withMine = recent.with(event, now, settings.recentWindow(), settings.recentMax());
    // From here to the write's answer, the origins of the entry and of the entries it adopts are
    // open (docs/store.md, "Pruning without a read"); every way out settles them.
    List<PendingEvent> outbox = new ArrayList<>(pruned.kept().size() + 1);
    List<PendingEvent> adopted = new ArrayList<>();
    for (PendingEvent entry : pruned.kept()) {
      if (pruned.adopt().contains(entry.eventId())) {
        entry = entry.adopted(events.ticket());
        adopted.add(entry);
      }
      outbox.add(entry);
    }
    PendingEvent mine = new PendingEvent(event.id(), event.type(), event.at(), event.attributes(),
        ruleset.name(), ruleset.version(), now, decision, events.ticket());
    outbox.add(mine);
    return new Planned(current, next, outbox, withMine, mine, adopted, evaluation);
  }

  // The decision recorded for this event id by the contact read (its outbox or its document).
  private Optional<Outcome> replayed(ContactStore.Lookup read, String eventId, TraceMode trace) {
    Optional<PendingEvent> pending = read.contact().stream().flatMap(c -> c.outbox().stream())
        .filter(p -> p.eventId().equals(eventId)).findFirst();
    if (pending.isPresent()) {
      // Applied already; its document is written by its recorder or, after a crash, by the
      // contact's next event or the recovery sweep: nothing to write here.
      return Optional.of(Outcome.replay(pending.get().decision(), trace));
    }
    return read.event().map(document -> Outcome.replay(events.fromDocument(document).decision(), trace));
  }

  /**
   * The stored contact (an alias answers the contact it was merged into) and what its ruleset
   * can read of its history, for a decision that stores nothing; empty when the contact is
   * unknown.
   */
  public Optional<Facts> facts(String contactId, CompiledRuleset ruleset, Instant now, List<String> warnings) {
    return contacts.resolve(contactId).map(stored -> new Facts(stored.contact(),
        history(stored, stored.recent(), ruleset, now, warnings)));
  }

  /** A stored contact and the part of its history a ruleset reads. */
  public record Facts(Contact contact, List<Event> history) {}

  /**
   * Finishes what a crash left behind: for every contact whose newest outbox entry was recorded
   * since the last sweep and at least the recovery lag ago, writes the documents of its entries
   * that the events index does not have (idempotent). Contacts are never written: an entry
   * leaves its outbox with the contact's next write, once searches see its document. Each window
   * of time is checked once, whichever instance sweeps it ({@link SweepMark}). Safe to run
   * anywhere, any time, several times.
   */
  public Sweep recover() {
    return recover(RECOVERY_PAGE);
  }

  /** What a sweep did: contacts whose entries it checked, documents it wrote. */
  public record Sweep(int contacts, int written) {}

  Sweep recover(int pageSize) {
    Instant now = clock.instant();
    // Whole milliseconds, as the store keeps dates: a window's edge is the same on both sides.
    Instant upTo = now.minus(settings.recoveryLag()).truncatedTo(ChronoUnit.MILLIS);
    SweepMark.Mark mark = marks.read();
    if (mark.exists() && !upTo.isAfter(mark.through())) {
      return new Sweep(0, 0);
    }
    int checked = 0;
    int written = 0;
    Instant through = upTo;
    ContactStore.Page.Cursor cursor = null;
    for (int page = 0; ; page++) {
      if (page == MAX_RECOVERY_PAGES) {
        // The rest is the next sweep's: from just before this page's last contact, so contacts
        // sharing its millisecond are checked again rather than skipped.
        through = Instant.ofEpochMilli(cursor.newest() - 1);
        break;
      }
      ContactStore.Page work = contacts.withPendingEvents(mark.through(), upTo, cursor, pageSize);
      hook.reached(WriteHook.Point.SWEEP_READ);
      written += writeMissing(work.contacts());
      checked += work.contacts().size();
      if (work.contacts().size() < pageSize) {
        break;
      }
      cursor = work.last();
    }
    if (!mark.exists() || through.isAfter(mark.through())) {
      marks.advance(mark, through, now);
    }
    if (written > 0) {
      log.info("Recovery wrote {} event documents a crash had left to outboxes", written);
    }
    return new Sweep(checked, written);
  }

  /**
   * Writes the documents of the given contacts' outbox entries that searches do not see: one
   * {@code mget} of them all, and for the few a crash left unwritten, a real-time read of their
   * contacts (an entry gone from the outbox meanwhile was searchable) and one bulk.
   */
  private int writeMissing(List<ContactStore.Pending> pending) {
    Map<String, List<String>> entries = new LinkedHashMap<>();
    pending.forEach(p -> {
      if (!p.eventIds().isEmpty()) {
        entries.put(p.contactId(), p.eventIds());
      }
    });
    Map<String, Set<String>> seen = events.searchable(entries);
    List<String> incomplete = new ArrayList<>();
    entries.forEach((id, eventIds) -> {
      if (!seen.getOrDefault(id, Set.of()).containsAll(eventIds)) {
        incomplete.add(id);
      }
    });
    if (incomplete.isEmpty()) {
      return 0;
    }
    Map<String, List<PendingEvent>> unwritten = new LinkedHashMap<>();
    contacts.readAll(incomplete).forEach((id, stored) -> {
      Set<String> visible = seen.getOrDefault(id, Set.of());
      List<PendingEvent> missing = stored.outbox().stream()
          .filter(p -> entries.get(id).contains(p.eventId()) && !visible.contains(p.eventId())).toList();
      if (!missing.isEmpty()) {
        unwritten.put(id, missing);
      }
    });
    events.writeSearchable(unwritten);
    return unwritten.values().stream().mapToInt(List::size).sum();
  }

  /**
   * The contact's recent events: the ones its document keeps, or for a document written before
   * Relais kept them, a list built once from the events index (every event of the window, plus
   * the outbox's, which searches may not see yet) and written with this event.
   */
  private RecentEvents recent(StoredContact current, Instant now) {
    if (current.recent() != null) {
      return current.recent();
    }
    Instant from = now.minus(settings.recentWindow());
    int max = Math.max(1, settings.recentMax()) + 1;
    List<Event> found = events.since(current.owners(), from, max);
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
  private List<Event> history(StoredContact current, RecentEvents recent, CompiledRuleset ruleset, Instant now,
      List<String> warnings) {
    String contactId = current.contact().id();
    List<PendingEvent> outbox = current.outbox();
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
    EventLog.History read = events.history(current.owners(), needed, now, settings.maxHistory());
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

  /** What the next write keeps of the outbox, and the ids of the kept entries it adopts. */
  private record Pruned(List<PendingEvent> kept, Set<String> adopt) {}

  /**
   * The outbox that the next write keeps (docs/store.md, step 5): an entry older than the grace
   * leaves only when an acknowledged write that waited for the refresh of every copy wrote its
   * document, never on a read. Entries this process recorded or adopted and saw written so
   * ({@link EventLog#known}) leave; those whose write is not answered yet stay; the others are
   * adopted: they stay under a ticket of this process's watermark, and their documents are
   * written again, with the event's own, once the contact write is acknowledged. A log with no
   * watermark writes their documents now, waiting for the refresh, and lets them leave.
   */
  private Pruned prune(StoredContact current, Instant now) {
    List<PendingEvent> outbox = current.outbox();
    List<PendingEvent> stale = stale(outbox, now);
    if (stale.isEmpty()) {
      return new Pruned(outbox, Set.of());
    }
    Set<String> gone = new HashSet<>();
    Set<String> adopt = new LinkedHashSet<>();
    for (PendingEvent entry : stale) {
      switch (events.known(entry)) {
        case SEARCHABLE -> gone.add(entry.eventId());
        case COMING -> { } // its document's bulk answers within a refresh: kept until then
        case NOTHING -> adopt.add(entry.eventId());
      }
    }
    if (!adopt.isEmpty() && !events.adopts()) {
      events.writeSearchable(current.contact().id(),
          stale.stream().filter(p -> adopt.contains(p.eventId())).toList());
      gone.addAll(adopt);
      adopt.clear();
    }
    List<PendingEvent> kept = gone.isEmpty() ? outbox
        : outbox.stream().filter(p -> !gone.contains(p.eventId())).toList();
    return new Pruned(kept, adopt);
  }

  private List<PendingEvent> stale(List<PendingEvent> outbox, Instant now) {
    Instant limit = now.minus(settings.outboxGrace());
    return outbox.stream().filter(p -> !p.recordedAt().isAfter(limit)).toList();
  }

  private static Contact newContact(String id, Instant now) {
    return Contact.builder().id(id).createdAt(now).build();
  }

  /** A decided step is no activity: only what was invalid is dropped, as every write does. */
  public static Contact typedOnly(Contact c) {
    return c.invalid().isEmpty() ? c : c.toBuilder().invalid(null).build();
  }

  /**
   * The contact after an event at {@code at} was applied: its last activity moves forward with
   * events, after the rules saw the previous one (a simulation's replay applies events the same way).
   */
  public static Contact touched(Contact c, Instant at) {
    Instant last = c.lastActivityAt() == null || at.isAfter(c.lastActivityAt()) ? at : c.lastActivityAt();
    // Stored contacts hold typed values only: what was invalid is not kept.
    return c.toBuilder().lastActivityAt(last).invalid(null).build();
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
