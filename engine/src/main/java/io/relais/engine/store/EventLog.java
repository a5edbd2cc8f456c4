package io.relais.engine.store;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.mget.MultiGetOperation;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.relais.engine.contact.Event;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recorded events, one document each, routed by contact (a contact's history is on one shard)
 * and identified by a digest of contact id and event id, so writing the same event twice
 * writes the same document: event documents are idempotent.
 */
public final class EventLog {

  private static final Logger log = LoggerFactory.getLogger(EventLog.class);

  private final ElasticsearchStore store;
  private final StoreIndices indices;
  private final StoreCalls calls;
  private final StoreWrites writes;
  private final StoreReads searchableReads;
  // Write B's documents: through writes, or through searchableWrites with the watermark.
  private final StoreWrites documents;
  private final DocumentWatermark watermark;
  // The actions of the decisions whose documents this log writes: created before the documents.
  private volatile EventActions actions = EventActions.NONE;

  /** Events whose documents each go in their own request ({@link StoreWrites#direct}). */
  public EventLog(ElasticsearchStore store, StoreIndices indices, StoreCalls calls) {
    this(store, indices, calls, StoreWrites.direct(store, calls));
  }

  /**
   * Events whose documents, when written without refresh wait ({@link #write}), go through
   * {@code writes}: in the service a {@link GroupCommit} shared with the contact writes.
   */
  public EventLog(ElasticsearchStore store, StoreIndices indices, StoreCalls calls, StoreWrites writes) {
    this(store, indices, calls, writes, StoreReads.searchable(store, calls));
  }

  /**
   * The same, with the reads of one contact's documents ({@link #searchable(String, Collection)})
   * going through {@code searchableReads}. The outbox pruning does not read any more (it adopts
   * the entries it cannot vouch for: docs/store.md, "Adopted entries"), so in the service these
   * are plain {@link StoreReads#searchable} reads.
   */
  public EventLog(ElasticsearchStore store, StoreIndices indices, StoreCalls calls, StoreWrites writes,
      StoreReads searchableReads) {
    this(store, indices, calls, writes, searchableReads, null);
  }

  /**
   * The service's: as above, and the documents of {@link #writeLater} (write B) go through
   * {@code searchableWrites}, whose successful items searches see ({@link
   * StoreWrites#searchable}; in the service a {@link GroupCommit} of its own), so this log knows
   * which of the events recorded (or adopted) here the outbox pruning can let go
   * ({@link DocumentWatermark}). Without it, write B goes through {@code writes}, and the
   * pruning writes old entries' documents itself, waiting for the refresh, before it lets them go.
   */
  public EventLog(ElasticsearchStore store, StoreIndices indices, StoreCalls calls, StoreWrites writes,
      StoreReads searchableReads, StoreWrites searchableWrites) {
    this.store = store;
    this.indices = indices;
    this.calls = calls;
    this.writes = writes;
    this.searchableReads = searchableReads;
    this.documents = searchableWrites == null ? writes : searchableWrites;
    this.watermark = searchableWrites == null ? null : new DocumentWatermark();
  }

  /**
   * The document id of one event of one contact: SHA-256 of both ids, length-prefixed so no two
   * pairs share an input, in URL-safe base64 (43 characters, whatever the ids contain, far
   * below the store's 512-byte limit).
   */
  public static String documentId(String contactId, String eventId) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] contact = contactId.getBytes(StandardCharsets.UTF_8);
      sha.update((contact.length + ":").getBytes(StandardCharsets.US_ASCII));
      sha.update(contact);
      sha.update(eventId.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The recorded event, read in real time. */
  public Optional<PendingEvent> find(String contactId, String eventId) {
    String id = documentId(contactId, eventId);
    @SuppressWarnings("rawtypes")
    GetResponse<Map> found = calls.read("get event", () -> {
      try {
        return store.client().get(g -> g.index(indices.events()).id(id).routing(contactId).realtime(true), Map.class);
      } catch (ElasticsearchException e) {
        if (e.status() == 404) {
          return null;
        }
        throw e;
      }
    });
    if (found == null || !found.found()) {
      return Optional.empty();
    }
    return Optional.of(fromDocument(found.source()));
  }

  /**
   * Has every write of event documents create the actions of their decisions first ({@link
   * EventActions}): the hot path's write B, the pruning's rewrites and the recovery sweep's.
   */
  public void actions(EventActions actions) {
    this.actions = java.util.Objects.requireNonNull(actions, "actions");
  }

  /**
   * Creates the actions of these applied events' decisions (those that exist already are left
   * as they are): for a batch run, whose event documents are written before it knows which
   * evaluation is applied.
   */
  public void createActions(Map<String, List<PendingEvent>> eventsOf) {
    EventActions of = actions;
    List<BulkOperation> operations = new ArrayList<>();
    eventsOf.forEach((contactId, events) -> events.forEach(event -> operations.addAll(of.operations(contactId, event))));
    if (!operations.isEmpty()) {
      List<BulkResponseItem> items;
      try {
        items = writes.write(operations);
      } catch (RuntimeException e) {
        of.notWritten(operations);
        throw e;
      }
      of.written(operations, items);
      checkCreated(items);
    }
  }

  /** The events index's name. */
  String index() {
    return indices.events();
  }

  /**
   * Writes the events' documents (overwriting identical ones) without waiting for a refresh:
   * they are readable by id at once and searchable after the next refresh (within
   * {@code refresh_interval}, 1 s). The pruning of {@link EventRecorder#record} uses this for
   * the documents of old entries it did not find; they go through this log's {@link
   * StoreWrites}, in the same bulk as other writers'.
   */
  public void write(String contactId, List<PendingEvent> events) {
    if (!events.isEmpty()) {
      createActions(Map.of(contactId, events));
      check(writes.write(operations(contactId, events)));
    }
  }

  /**
   * The origin of an event about to be recorded here, the ticket its outbox entry carries
   * ({@link DocumentWatermark}): once open, it must be passed to {@link #writeLater}, {@link
   * #notRecorded} or {@link #unknownFate}. Null when this log cannot know when searches see its
   * documents (no searchable writes): the entry then has no origin.
   */
  public PendingEvent.Origin ticket() {
    if (watermark == null) {
      return null;
    }
    return watermark.open();
  }

  /** The contact write that was to record the ticket's event was refused (a lost race). */
  public void notRecorded(PendingEvent.Origin origin) {
    if (watermark != null && origin != null) {
      watermark.release(origin);
    }
  }

  /** Whether the contact write carrying the ticket's entry happened cannot be known. */
  public void unknownFate(PendingEvent.Origin origin) {
    if (watermark != null && origin != null) {
      watermark.abandon(origin);
    }
  }

  /** What this log knows of an outbox entry's document, without reading the store. */
  public enum Known {
    /** Recorded or adopted here, and its document's write, and every earlier one, is settled. */
    SEARCHABLE,
    /** Recorded or adopted here, and its document's write is not answered yet. */
    COMING,
    /**
     * Recorded elsewhere (another instance, a process that died, a batch run, an earlier Relais),
     * or here under a recorder id given up since: nothing here vouches for its document.
     */
    NOTHING
  }

  /**
   * What this log knows of the document of this outbox entry: searches see it when it was
   * recorded (or adopted) here and its document write, and every earlier one, is settled.
   */
  public Known known(PendingEvent entry) {
    if (watermark == null) {
      return Known.NOTHING;
    }
    if (watermark.vouchesFor(entry.origin())) {
      return Known.SEARCHABLE;
    }
    return watermark.issued(entry.origin()) ? Known.COMING : Known.NOTHING;
  }

  /**
   * Whether this log can adopt entries ({@link #ticket} gives tickets): its documents go through
   * writes that wait for the refresh, so it learns when searches see them.
   */
  public boolean adopts() {
    return watermark != null;
  }

  /**
   * Hands the event's document to be written and returns without waiting for it: the hot path's
   * write B, after write A made the event durable in its contact's outbox. In the service it is
   * written in a bulk that waits for the refresh that makes it searchable, which settles the
   * entry's origin. A document that fails to be written here is written later from the outbox
   * (by the contact's next write after the grace, or by the recovery sweep), so the failure is
   * only logged, and the origin abandoned.
   */
  public void writeLater(String contactId, PendingEvent event) {
    PendingEvent.Origin origin = event.origin();
    CompletableFuture<List<BulkResponseItem>> written;
    try {
      List<BulkOperation> document = operations(contactId, List.of(event));
      EventActions of = actions;
      List<BulkOperation> created = of.operations(contactId, event);
      // The actions first, the document once they are acknowledged: a document means its actions exist.
      written = created.isEmpty() ? documents.writeLater(document)
          : writes.writeLater(created).whenComplete((items, failure) -> {
            if (failure == null) {
              of.written(created, items);
            } else {
              of.notWritten(created);
            }
          }).thenCompose(items -> {
            checkCreated(items);
            return documents.writeLater(document);
          });
    } catch (RuntimeException e) {
      written = CompletableFuture.failedFuture(e); // settled below, like any failed write
    }
    written.whenComplete((items, failure) -> {
      try {
        if (failure != null) {
          throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
        }
        check(items);
        if (watermark != null && origin != null) {
          watermark.close(origin);
        }
      } catch (RuntimeException e) {
        unknownFate(origin);
        log.debug("Event document {} of contact {} left to the outbox's next pass: {}", event.eventId(),
            contactId, e.getMessage());
      }
    });
  }

  /**
   * {@link #writeLater} for the events of many contacts, recorded in their outboxes by one bulk
   * of contact writes ({@link EventRecorder#recordDueSteps}): their actions in one bulk, then
   * their documents in one more, not waited for. A failure is logged and the origins abandoned:
   * the outboxes hold the events, and the recovery sweep writes what is missing.
   */
  public void writeAllLater(Map<String, List<PendingEvent>> eventsOf) {
    List<PendingEvent.Origin> origins = new ArrayList<>();
    eventsOf.values().forEach(list -> list.forEach(e -> origins.add(e.origin())));
    if (origins.isEmpty()) {
      return;
    }
    CompletableFuture<List<BulkResponseItem>> written;
    try {
      // The actions first, the documents once they are acknowledged: a document means its actions exist.
      createActions(eventsOf);
      List<BulkOperation> operations = new ArrayList<>();
      eventsOf.forEach((contactId, events) -> operations.addAll(operations(contactId, events)));
      written = documents.writeLater(operations);
    } catch (RuntimeException e) {
      written = CompletableFuture.failedFuture(e);
    }
    written.whenComplete((items, failure) -> {
      try {
        if (failure != null) {
          throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
        }
        check(items);
        if (watermark != null) {
          origins.forEach(o -> {
            if (o != null) {
              watermark.close(o);
            }
          });
        }
      } catch (RuntimeException e) {
        origins.forEach(this::unknownFate);
        log.debug("Event documents of {} contacts left to their outboxes' next pass: {}", eventsOf.size(),
            e.getMessage());
      }
    });
  }

  /**
   * Writes the events' documents and returns once searches see them ({@code
   * refresh=wait_for}): for the recovery sweep, so that what it wrote is searchable when it ends.
   * A request of its own: a refresh wait is not something to share with other writers.
   */
  public void writeSearchable(String contactId, List<PendingEvent> events) {
    writeSearchable(Map.of(contactId, events));
  }

  /** {@link #writeSearchable(String, List)} for several contacts' events, in one request. */
  public void writeSearchable(Map<String, List<PendingEvent>> eventsOf) {
    createActions(eventsOf);
    List<BulkOperation> operations = new ArrayList<>();
    eventsOf.forEach((contactId, events) -> operations.addAll(operations(contactId, events)));
    check(StoreWrites.searchable(store, calls).write(operations));
  }

  private List<BulkOperation> operations(String contactId, List<PendingEvent> events) {
    List<BulkOperation> operations = new ArrayList<>();
    for (PendingEvent event : events) {
      Map<String, Object> document = toDocument(contactId, event);
      String id = documentId(contactId, event.eventId());
      operations.add(BulkOperation.of(b -> b.index(i -> i.index(indices.events()).id(id).routing(contactId)
          .document(document))));
    }
    return operations;
  }

  private static void check(List<BulkResponseItem> items) {
    for (BulkResponseItem item : items) {
      if (item.error() != null) {
        if (StoreCalls.isUnavailable(item.status())) {
          throw new StoreUnavailableException("the store did not write event " + item.id() + ": "
              + item.error().reason(), null);
        }
        throw new IllegalStateException("cannot write event " + item.id() + ": " + item.error().reason());
      }
    }
  }

  // Actions are created once: one that exists (409) was created by an earlier write of its event.
  private static void checkCreated(List<BulkResponseItem> items) {
    check(items.stream().filter(item -> item.status() != 409).toList());
  }

  /**
   * Which of {@code eventIds} have a document that searches see: one {@code mget} with {@code
   * realtime=false}, which reads the shard's last refreshed view, the one searches read (on a
   * search-idle shard it waits for a refresh first, as a search does). A document written but
   * not refreshed yet is not among them.
   */
  public Set<String> searchable(String contactId, Collection<String> eventIds) {
    return searchable(Map.of(contactId, eventIds), searchableReads).getOrDefault(contactId, Set.of());
  }

  /**
   * {@link #searchable(String, Collection)} for several contacts' events, in one {@code mget}:
   * contact id to the ids among its given ones whose documents searches see.
   */
  public Map<String, Set<String>> searchable(Map<String, ? extends Collection<String>> eventIdsOf) {
    return searchable(eventIdsOf, StoreReads.searchable(store, calls));
  }

  private Map<String, Set<String>> searchable(Map<String, ? extends Collection<String>> eventIdsOf, StoreReads reads) {
    Map<String, Set<String>> found = new LinkedHashMap<>();
    // Document id to (contact, event); documents are routed by their contact.
    Map<String, String[]> byDocument = new LinkedHashMap<>();
    List<MultiGetOperation> documents = new ArrayList<>();
    eventIdsOf.forEach((contactId, eventIds) -> eventIds.forEach(e -> {
      String id = documentId(contactId, e);
      if (byDocument.put(id, new String[] {contactId, e}) == null) {
        documents.add(MultiGetOperation.of(d -> d.index(indices.events()).id(id).routing(contactId)));
      }
    }));
    if (documents.isEmpty()) {
      return found;
    }
    for (@SuppressWarnings("rawtypes") MultiGetResponseItem<Map> item : reads.read(documents)) {
      if (item == null) {
        continue; // no index yet: no document either
      }
      if (item.isResult() && item.result().found()) {
        String[] which = byDocument.get(item.result().id());
        found.computeIfAbsent(which[0], c -> new LinkedHashSet<>()).add(which[1]);
      } else if (item.isFailure() && !"index_not_found_exception".equals(item.failure().error().type())) {
        throw new StoreUnavailableException("the store did not read event " + item.failure().id() + ": "
            + item.failure().error().reason(), null);
      }
    }
    return found;
  }

  Map<String, Object> toDocument(String contactId, PendingEvent event) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("contactId", contactId);
    document.putAll(event.toDocument());
    return document;
  }

  @SuppressWarnings("rawtypes")
  PendingEvent fromDocument(Map source) {
    return PendingEvent.fromDocument(source);
  }


  /**
   * What the rules of a ruleset with {@code needs} can read of a contact's history at {@code
   * now}: per type only the window they look at, newest first, at most {@code max} events;
   * and the newest event of each {@code lastOnly} type.
   */
  public History history(String contactId, HistoryNeeds needs, Instant now, int max) {
    return history(List.of(contactId), needs, now, max);
  }

  /**
   * {@link #history(String, HistoryNeeds, Instant, int)} of a contact whose events are recorded
   * under {@code owners} (its id and those of the contacts merged into it); an event id found
   * under two of them is read once.
   */
  public History history(List<String> owners, HistoryNeeds needs, Instant now, int max) {
    List<Event> events = new ArrayList<>();
    boolean truncated = false;
    if (!needs.windows().isEmpty()) {
      List<Query> perType = new ArrayList<>();
      needs.windows().forEach((type, length) -> perType.add(Query.of(q -> q.bool(b -> {
        b.filter(f -> f.term(t -> t.field("type").value(type)));
        length.ifPresent(d -> b.filter(f -> f.range(r -> r.date(dr -> dr.field("at").gte(since(now, d))))));
        return b;
      }))));
      SearchResponse<Map> found = search("read history", owners, Query.of(q -> q.bool(b -> b
          .filter(owned(owners))
          .filter(f -> f.bool(any -> any.should(perType).minimumShouldMatch("1"))))), max, false);
      if (found != null) {
        found.hits().hits().forEach(hit -> events.add(fromDocument(hit.source()).toEvent()));
        truncated = found.hits().hits().size() >= max;
      }
    }
    if (!needs.lastOnly().isEmpty()) {
      List<FieldValue> types = needs.lastOnly().stream().map(FieldValue::of).toList();
      SearchResponse<Map> found = search("read last events", owners, Query.of(q -> q.bool(b -> b
          .filter(owned(owners))
          .filter(f -> f.terms(t -> t.field("type").terms(v -> v.value(types))))
          .filter(f -> f.range(r -> r.date(dr -> dr.field("at").lte(now.toString())))))),
          types.size(), true);
      if (found != null) {
        found.hits().hits().forEach(hit -> events.add(fromDocument(hit.source()).toEvent()));
      }
    }
    return new History(owners.size() == 1 ? events : onceEach(events), truncated);
  }

  // An event recorded under two owners (posted to both contacts before their merge) counts once.
  private static List<Event> onceEach(List<Event> events) {
    Map<String, Event> byId = new LinkedHashMap<>();
    events.forEach(e -> byId.putIfAbsent(e.id(), e));
    return new ArrayList<>(byId.values());
  }

  // Documents of any of the owners: one term for a contact never merged.
  private static Query owned(List<String> owners) {
    if (owners.size() == 1) {
      return Query.of(f -> f.term(t -> t.field("contactId").value(owners.get(0))));
    }
    List<FieldValue> ids = owners.stream().map(FieldValue::of).toList();
    return Query.of(f -> f.terms(t -> t.field("contactId").terms(v -> v.value(ids))));
  }

  /**
   * Every recorded event of a contact with {@code at} at or after {@code from}, newest first, at
   * most {@code max}: what a contact document written before Relais kept its recent events gets
   * as its first list.
   */
  public List<Event> since(String contactId, Instant from, int max) {
    return since(List.of(contactId), from, max);
  }

  /** {@link #since(String, Instant, int)} over the events recorded under any of {@code owners}. */
  public List<Event> since(List<String> owners, Instant from, int max) {
    @SuppressWarnings("rawtypes")
    SearchResponse<Map> found = search("read recent events", owners, Query.of(q -> q.bool(b -> b
        .filter(owned(owners))
        .filter(f -> f.range(r -> r.date(dr -> dr.field("at").gte(from.toString())))))), max, false);
    List<Event> events = new ArrayList<>();
    if (found != null) {
      found.hits().hits().forEach(hit -> events.add(fromDocument(hit.source()).toEvent()));
    }
    return events;
  }

  /** Events read for an evaluation; {@code truncated} when the read hit its bound. */
  public record History(List<Event> events, boolean truncated) {
    public History {
      events = List.copyOf(events);
    }
  }

  private static String since(Instant now, Duration length) {
    return now.minus(length).toString();
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private SearchResponse<Map> search(String what, List<String> owners, Query query, int size, boolean newestPerType) {
    return calls.read(what, () -> {
      try {
        return store.client().search(s -> {
          s.index(indices.events()).routing(String.join(",", owners)).query(query).size(size)
              .sort(o -> o.field(f -> f.field("at").order(SortOrder.Desc)))
              .trackTotalHits(t -> t.enabled(false));
          if (newestPerType) {
            s.collapse(c -> c.field("type"));
          }
          return s;
        }, Map.class);
      } catch (ElasticsearchException e) {
        if (e.status() == 404) {
          return null; // no index yet: no history either
        }
        throw e;
      }
    });
  }

  /** A contact's newest events, newest first (by {@code at}, then by when they were recorded). */
  public List<Map<String, Object>> newest(String contactId, int limit) {
    return newest(List.of(contactId), limit);
  }

  /**
   * {@link #newest(String, int)} of a contact whose events are recorded under {@code owners};
   * an event id found under two of them is listed once.
   */
  public List<Map<String, Object>> newest(List<String> owners, int limit) {
    @SuppressWarnings("rawtypes")
    SearchResponse<Map> found = calls.read("list events", () -> {
      try {
        return store.client().search(s -> s.index(indices.events()).routing(String.join(",", owners))
            .query(owned(owners))
            .sort(o -> o.field(f -> f.field("at").order(SortOrder.Desc)))
            .sort(o -> o.field(f -> f.field("recordedAt").order(SortOrder.Desc)))
            .source(src -> src.filter(f -> f.excludes(DecisionJson.FIELD, DecisionJson.LEGACY_FIELD, "contactId")))
            .size(limit), Map.class);
      } catch (ElasticsearchException e) {
        if (e.status() == 404) {
          return null;
        }
        throw e;
      }
    });
    Map<Object, Map<String, Object>> out = new LinkedHashMap<>();
    if (found != null) {
      for (@SuppressWarnings("rawtypes") Hit<Map> hit : found.hits().hits()) {
        Map<String, Object> event = listed(hit.source());
        out.putIfAbsent(event.get("id"), event);
      }
    }
    return new ArrayList<>(out.values());
  }

  @SuppressWarnings("rawtypes")
  private static Map<String, Object> listed(Map source) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", source.get("eventId"));
    event.put("type", source.get("type"));
    event.put("at", source.get("at"));
    event.put("attributes", source.get("attributes"));
    event.put("recordedAt", source.get("recordedAt"));
    event.put("ruleset", source.get("ruleset"));
    event.put("version", source.get("version"));
    return event;
  }

  /** The listing form of an event still in a contact's outbox. */
  public static Map<String, Object> listed(PendingEvent event) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", event.eventId());
    out.put("type", event.type());
    out.put("at", event.at().toString());
    out.put("attributes", event.attributes());
    out.put("recordedAt", event.recordedAt().toString());
    out.put("ruleset", event.ruleset());
    out.put("version", event.version());
    return out;
  }
}
