package io.relais.engine.store;

import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Evaluation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Applies one event of a batch run (same id for every contact) to a page of contacts, with the
 * batch variant of the exactly-once protocol (docs/batch.md): the contact document itself
 * records the batch events applied to it ({@value ContactDocuments#BATCH_EVENTS}), written in
 * the same conditional write as the new state. Per page: the event documents in one bulk
 * (idempotent, before the state they record, no refresh wait), then the contacts in one bulk of
 * conditional writes. A contact whose write conflicts (a live event changed it, or it changed
 * since the run's point in time) is read again in real time and evaluated again, never
 * overwritten; one that already carries the event is a replay and is not written. A ruleset
 * whose rules read history goes through {@link EventRecorder#record} contact by contact.
 */
public final class BulkApplier {

  /** What happened to one contact: its outcome, or empty when it no longer exists, or the error. */
  public record Result(String contactId, Optional<EventRecorder.Outcome> outcome, Exception error) {}

  /**
   * A contact as a batch run read it (from its point in time): the stored source and the
   * version it had then. A stale version only costs a conflict and a real-time read.
   */
  public record Snapshot(String id, Map<String, Object> source, long seqNo, long primaryTerm) {}

  private final ElasticsearchStore store;
  private final StoreIndices indices;
  private final StoreCalls calls;
  private final ContactStore contacts;
  private final EventLog events;
  private final EventRecorder recorder;
  private final ContactDocuments documents;
  private final ObjectMapper json;
  private final Clock clock;

  public BulkApplier(ElasticsearchStore store, StoreIndices indices, StoreCalls calls, ContactStore contacts,
      EventLog events, EventRecorder recorder, ObjectMapper json, Clock clock) {
    this.store = store;
    this.indices = indices;
    this.calls = calls;
    this.contacts = contacts;
    this.events = events;
    this.recorder = recorder;
    this.documents = new ContactDocuments(json);
    this.json = json;
    this.clock = clock;
  }

  /**
   * Applies {@code event} with {@code ruleset} to each contact of {@code page}, evaluating in
   * {@code parts} parts on {@code evaluators}. Every contact of the page gets one result.
   */
  public List<Result> apply(List<Snapshot> page, Event event, CompiledRuleset ruleset, int parts, Executor evaluators) {
    if (!recorder.needs(ruleset).none()) {
      return oneByOne(page.stream().map(Snapshot::id).toList(), event, ruleset, parts, evaluators);
    }
    List<Result> results = new ArrayList<>();
    Map<String, StoredContact> current = new LinkedHashMap<>();
    List<String> pending = new ArrayList<>();
    for (Snapshot read : page) {
      try {
        current.put(read.id(), documents.fromDocument(read.source(), read.seqNo(), read.primaryTerm()));
        pending.add(read.id());
      } catch (RuntimeException e) {
        results.add(new Result(read.id(), Optional.empty(), e)); // a document this version cannot read
      }
    }
    EventSettings settings = recorder.settings();
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      if (attempt > settings.maxAttempts()) {
        for (String id : pending) {
          results.add(new Result(id, Optional.empty(), new ContactBusyException(id, settings.maxAttempts())));
        }
        break;
      }
      if (attempt > 1) {
        // Conflicts after the first round are live writes racing ours: spread out, then read again.
        EventRecorder.backoff(attempt - 1, settings);
        current = contacts.readAll(pending);
      }
      pending = round(pending, current, event, ruleset, parts, evaluators, results);
    }
    return results;
  }

  /** What one contact's evaluation gave: its two writes, or the error. */
  private record Planned(String id, PendingEvent event, Map<String, Object> contact, Exception error) {}

  // One round: decide, write the event documents, then the contacts; returns the ids that conflicted.
  private List<String> round(List<String> ids, Map<String, StoredContact> current, Event event,
      CompiledRuleset ruleset, int parts, Executor evaluators, List<Result> results) {
    Instant now = clock.instant();
    List<String> todo = new ArrayList<>();
    List<String> marked = new ArrayList<>();
    for (String id : ids) {
      StoredContact contact = current.get(id);
      if (contact == null || contact.mergedInto().isPresent()) {
        // Deleted, or merged into another contact, since the page was read: that contact is
        // the person now, and the run reaches it under its own id.
        results.add(new Result(id, Optional.empty(), null));
      } else if (applied(contact, event.id())) {
        results.add(new Result(id, Optional.of(new EventRecorder.Outcome(Map.of(), true)), null));
        if (ContactDocuments.batchEvents(contact.extras()).contains(event.id())) {
          marked.add(id);
        }
      } else {
        todo.add(id);
      }
    }
    actionsOfReplays(marked, event);
    List<Planned> planned = inParts(todo, parts, evaluators, id -> plan(current.get(id), event, ruleset, now));
    List<Planned> writes = new ArrayList<>();
    for (Planned p : planned) {
      if (p.error() != null) {
        results.add(new Result(p.id(), Optional.empty(), p.error()));
      } else {
        writes.add(p);
      }
    }
    if (writes.isEmpty()) {
      return List.of();
    }
    // The event documents first: a contact carries the event only once its document exists.
    List<BulkOperation> eventOps = new ArrayList<>();
    for (Planned p : writes) {
      Map<String, Object> document = events.toDocument(p.id(), p.event());
      String documentId = EventLog.documentId(p.id(), p.event().eventId());
      eventOps.add(BulkOperation.of(b -> b.index(x -> x.index(indices.events()).id(documentId).routing(p.id())
          .document(document))));
    }
    BulkResponse written = calls.run("bulk write batch events",
        () -> store.client().bulk(b -> b.operations(eventOps).refresh(Refresh.False)));
    for (BulkResponseItem item : written.items()) {
      if (item.error() != null) {
        // No contact of the page is written: the page is not committed and is done again.
        throw new StoreUnavailableException("the store did not write event " + item.id() + ": "
            + item.error().reason(), null);
      }
    }
    List<Planned> ready = writes;
    List<BulkOperation> contactOps = new ArrayList<>();
    for (Planned p : ready) {
      StoredContact base = current.get(p.id());
      contactOps.add(BulkOperation.of(b -> b.index(x -> x.index(indices.contacts()).id(p.id())
          .document(p.contact()).ifSeqNo(base.seqNo()).ifPrimaryTerm(base.primaryTerm()))));
    }
    BulkResponse response = calls.run("bulk apply contacts",
        () -> store.client().bulk(b -> b.operations(contactOps).refresh(Refresh.False)));
    List<String> conflicts = new ArrayList<>();
    Map<String, List<PendingEvent>> appliedNow = new LinkedHashMap<>();
    for (int i = 0; i < ready.size(); i++) {
      if (response.items().get(i).error() == null) {
        appliedNow.put(ready.get(i).id(), List.of(ready.get(i).event()));
      }
    }
    // The actions of what was applied, now that it is: a failure here fails the page, which is
    // done again, and its contacts, marked, replay and get their actions from their documents.
    events.createActions(appliedNow);
    for (int i = 0; i < ready.size(); i++) {
      BulkResponseItem item = response.items().get(i);
      Planned p = ready.get(i);
      if (item.error() == null) {
        results.add(new Result(p.id(), Optional.of(new EventRecorder.Outcome(p.event().decision(), false)), null));
      } else if (item.status() == 409) {
        conflicts.add(p.id()); // changed since it was read: read again, evaluate again
      } else {
        results.add(new Result(p.id(), Optional.empty(), new IllegalStateException(item.error().reason())));
      }
    }
    return conflicts;
  }

  /**
   * The actions of contacts found carrying the run's event: applied by an earlier attempt at this
   * page, which may have stopped before it created their actions. Their event documents hold the
   * decision that was applied (written before the contact was marked); creating again what
   * exists creates nothing.
   */
  private void actionsOfReplays(List<String> marked, Event event) {
    Map<String, List<PendingEvent>> applied = new LinkedHashMap<>();
    for (String id : marked) {
      events.find(id, event.id()).ifPresent(recorded -> applied.put(id, List.of(recorded)));
    }
    events.createActions(applied);
  }

  private Planned plan(StoredContact current, Event event, CompiledRuleset ruleset, Instant now) {
    String id = current.contact().id();
    try {
      Evaluation evaluation = ruleset.evaluate(current.contact(), Optional.of(event), List.of(), now);
      // Written out once, for the contact's outbox entry and the event document (DecisionJson);
      // recorded with the fired rules' trace only, as every recorded decision.
      DecisionJson decision = DecisionJson.of(evaluation);
      PendingEvent pending = new PendingEvent(event.id(), event.type(), event.at(), event.attributes(),
          ruleset.name(), ruleset.version(), now, decision);
      Contact next = EventRecorder.touched(evaluation.resultingContact(), event.at());
      Map<String, Object> extras = new LinkedHashMap<>(current.extras());
      extras.put(ContactDocuments.BATCH_EVENTS, ContactDocuments.withBatchEvent(current.extras(), event.id()));
      // The batch event is recorded like any other: in the contact's recent events too.
      RecentEvents recent = current.recent() == null ? null
          : current.recent().with(event, now, recorder.settings().recentWindow(), recorder.settings().recentMax());
      return new Planned(id, pending, documents.toDocument(next, current.outbox(), recent, extras, now), null);
    } catch (RuntimeException e) {
      return new Planned(id, null, null, e);
    }
  }

  /** Whether the batch event {@code eventId} was applied to {@code contact} already. */
  static boolean applied(StoredContact contact, String eventId) {
    return ContactDocuments.batchEvents(contact.extras()).contains(eventId)
        || contact.outbox().stream().anyMatch(p -> p.eventId().equals(eventId));
  }

  // A ruleset reading history: the recorder's protocol, contact by contact, parts in parallel.
  private List<Result> oneByOne(List<String> ids, Event event, CompiledRuleset ruleset, int parts,
      Executor evaluators) {
    return inParts(ids, parts, evaluators, id -> {
      try {
        return new Result(id, Optional.of(recorder.record(id, event, ruleset)), null);
      } catch (RuntimeException e) {
        return new Result(id, Optional.empty(), e);
      }
    });
  }

  // Maps ids in up to `parts` parts at once, keeping their order.
  static <T> List<T> inParts(List<String> ids, int parts, Executor executor,
      java.util.function.Function<String, T> each) {
    if (ids.isEmpty()) {
      return List.of();
    }
    int size = Math.max(1, (ids.size() + parts - 1) / parts);
    List<CompletableFuture<List<T>>> futures = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += size) {
      List<String> part = ids.subList(from, Math.min(ids.size(), from + size));
      futures.add(CompletableFuture.supplyAsync(() -> part.stream().map(each).toList(), executor));
    }
    List<T> out = new ArrayList<>();
    for (CompletableFuture<List<T>> future : futures) {
      out.addAll(future.join());
    }
    return out;
  }
}
