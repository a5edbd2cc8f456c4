package io.relais.engine.store;

import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import com.fasterxml.jackson.core.type.TypeReference;
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

/**
 * The event protocol of {@link EventRecorder} for a page of contacts at once, for batch runs:
 * the same three steps (conditional contact write with the event in the outbox, event documents
 * written and waited for, outbox cleared), each as one bulk request for the page instead of one
 * request per contact. A contact that is not simple (its ruleset reads history, its outbox holds
 * this event, or it changed since it was read: a 409) goes through {@link EventRecorder#record}
 * one by one, which retries; so nothing is overwritten and nothing applied twice.
 */
public final class BulkApplier {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  /** What happened to one contact: its outcome, or empty when it no longer exists, or the error. */
  public record Result(String contactId, Optional<EventRecorder.Outcome> outcome, Exception error) {}

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

  /** Applies {@code event} (same id for every contact) to each of {@code ids} with {@code ruleset}. */
  public List<Result> apply(List<String> ids, Event event, CompiledRuleset ruleset) {
    List<Result> results = new ArrayList<>();
    List<String> oneByOne = new ArrayList<>();
    Map<String, StoredContact> stored = contacts.readAll(ids);
    boolean history = !recorder.needs(ruleset).none();
    List<String> candidates = new ArrayList<>();
    for (String id : ids) {
      StoredContact contact = stored.get(id);
      if (contact == null) {
        results.add(new Result(id, Optional.empty(), null)); // deleted since the page was read
      } else if (history || contact.outbox().stream().anyMatch(p -> p.eventId().equals(event.id()))) {
        oneByOne.add(id);
      } else {
        candidates.add(id);
      }
    }
    Map<String, Map<String, Object>> recorded = recorded(candidates, event.id());
    Map<String, Contact> nextContacts = new LinkedHashMap<>();
    Instant now = clock.instant();
    List<String> written = new ArrayList<>();
    List<BulkOperation> operations = new ArrayList<>();
    Map<String, PendingEvent> mine = new LinkedHashMap<>();
    for (String id : candidates) {
      if (recorded.containsKey(id)) {
        results.add(new Result(id, Optional.of(new EventRecorder.Outcome(recorded.get(id), true)), null));
        continue;
      }
      StoredContact current = stored.get(id);
      try {
        Evaluation evaluation = ruleset.evaluate(current.contact(), Optional.of(event), List.of(), now);
        Map<String, Object> decision = json.convertValue(evaluation, MAP);
        PendingEvent pending = new PendingEvent(event.id(), event.type(), event.at(), event.attributes(),
            ruleset.name(), ruleset.version(), now, decision);
        List<PendingEvent> outbox = new ArrayList<>(current.outbox());
        outbox.add(pending);
        Contact next = EventRecorder.touched(evaluation.resultingContact(), event.at());
        Map<String, Object> document = documents.toDocument(next, outbox, current.extras(), now);
        operations.add(BulkOperation.of(b -> b.index(x -> x.index(indices.contacts()).id(id)
            .document(document).ifSeqNo(current.seqNo()).ifPrimaryTerm(current.primaryTerm()))));
        written.add(id);
        mine.put(id, pending);
        nextContacts.put(id, next);
      } catch (RuntimeException e) {
        results.add(new Result(id, Optional.empty(), e));
      }
    }
    Map<String, long[]> versions = new LinkedHashMap<>();
    if (!operations.isEmpty()) {
      BulkResponse response = calls.run("bulk apply contacts",
          () -> store.client().bulk(b -> b.operations(operations).refresh(Refresh.False)));
      for (int i = 0; i < written.size(); i++) {
        BulkResponseItem item = response.items().get(i);
        String id = written.get(i);
        if (item.error() == null) {
          versions.put(id, new long[] {item.seqNo(), item.primaryTerm()});
        } else if (item.status() == 409) {
          oneByOne.add(id); // changed by a live event since it was read: the recorder retries it
          mine.remove(id);
        } else {
          results.add(new Result(id, Optional.empty(), new IllegalStateException(item.error().reason())));
          mine.remove(id);
        }
      }
    }
    if (!versions.isEmpty()) {
      writeEvents(mine);
      forget(versions, stored, nextContacts, now);
      for (String id : versions.keySet()) {
        results.add(new Result(id, Optional.of(new EventRecorder.Outcome(mine.get(id).decision(), false)), null));
      }
    }
    for (String id : oneByOne) {
      try {
        results.add(new Result(id, Optional.of(recorder.record(id, event, ruleset)), null));
      } catch (RuntimeException e) {
        results.add(new Result(id, Optional.empty(), e));
      }
    }
    return results;
  }

  /** The events already recorded under {@code eventId}, by contact, read in real time. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private Map<String, Map<String, Object>> recorded(List<String> ids, String eventId) {
    Map<String, Map<String, Object>> found = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    MgetResponse<Map> response = calls.run("mget events", () -> store.client().mget(m -> {
      m.index(indices.events());
      for (String id : ids) {
        m.docs(d -> d.id(EventLog.documentId(id, eventId)).routing(id));
      }
      return m.realtime(true);
    }, Map.class));
    List<MultiGetResponseItem<Map>> docs = response.docs();
    for (int i = 0; i < docs.size(); i++) {
      MultiGetResponseItem<Map> item = docs.get(i);
      if (item.isResult() && item.result().found()) {
        Object decision = item.result().source().get("decision");
        found.put(ids.get(i), decision instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
      }
    }
    return found;
  }

  // One bulk for the page's event documents, waited for until searchable (as EventLog.write).
  private void writeEvents(Map<String, PendingEvent> mine) {
    List<BulkOperation> operations = new ArrayList<>();
    mine.forEach((contactId, event) -> {
      Map<String, Object> document = events.toDocument(contactId, event);
      String id = EventLog.documentId(contactId, event.eventId());
      operations.add(BulkOperation.of(b -> b.index(i -> i.index(indices.events()).id(id).routing(contactId)
          .document(document))));
    });
    BulkResponse response = calls.run("bulk write events",
        () -> store.client().bulk(b -> b.operations(operations).refresh(Refresh.WaitFor)));
    for (BulkResponseItem item : response.items()) {
      if (item.error() != null) {
        // The outboxes keep these events: the recovery sweep or the contact's next event finishes them.
        throw new StoreUnavailableException("the store did not write event " + item.id() + ": "
            + item.error().reason(), null);
      }
    }
  }

  // Takes the page's events out of the outboxes; a contact changed meanwhile keeps it for its next writer.
  private void forget(Map<String, long[]> versions, Map<String, StoredContact> stored, Map<String, Contact> next,
      Instant now) {
    List<BulkOperation> operations = new ArrayList<>();
    versions.forEach((id, version) -> {
      StoredContact before = stored.get(id);
      List<PendingEvent> outbox = before.outbox();
      Map<String, Object> document;
      try {
        document = documents.toDocument(next.get(id), outbox, before.extras(), now);
      } catch (RuntimeException e) {
        return;
      }
      operations.add(BulkOperation.of(b -> b.index(x -> x.index(indices.contacts()).id(id)
          .document(document).ifSeqNo(version[0]).ifPrimaryTerm(version[1]))));
    });
    if (!operations.isEmpty()) {
      calls.run("bulk clear outboxes",
          () -> store.client().bulk(b -> b.operations(operations).refresh(Refresh.False)));
    }
  }
}
