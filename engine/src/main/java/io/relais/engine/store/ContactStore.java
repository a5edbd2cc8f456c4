package io.relais.engine.store;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.mget.MultiGetOperation;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.engine.contact.Contact;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Contacts in the store: realtime reads with the document's sequence number, and conditional
 * writes ({@code if_seq_no}/{@code if_primary_term}, or create-only for a new contact) that
 * report a conflicting write instead of overwriting it. No lock is held anywhere: callers
 * re-read and retry, so instances behind a load balancer never lose each other's updates.
 */
public final class ContactStore {

  /** Contact ids are document ids: at most 512 bytes in the store; we keep a margin. */
  public static final int MAX_ID_BYTES = 256;

  private final ElasticsearchStore store;
  private final StoreIndices indices;
  private final StoreCalls calls;
  private final ContactDocuments documents;
  private final StoreWrites writes;
  private final StoreReads reads;

  /** Contacts whose single writes each go in their own request ({@link StoreWrites#direct}). */
  public ContactStore(ElasticsearchStore store, StoreIndices indices, StoreCalls calls, ObjectMapper json) {
    this(store, indices, calls, json, StoreWrites.direct(store, calls));
  }

  /**
   * Contacts whose single writes ({@link #write}) go through {@code writes}: in the service a
   * {@link GroupCommit}, so concurrent writers share one bulk request and its translog sync.
   */
  public ContactStore(ElasticsearchStore store, StoreIndices indices, StoreCalls calls, ObjectMapper json,
      StoreWrites writes) {
    this(store, indices, calls, json, writes, StoreReads.direct(store, calls));
  }

  /**
   * Contacts whose single writes go through {@code writes} and whose event lookups ({@link
   * #readWithEvent}) go through {@code reads}: in the service a {@link GroupCommit} and a {@link
   * GroupRead}, so concurrent events share their requests.
   */
  public ContactStore(ElasticsearchStore store, StoreIndices indices, StoreCalls calls, ObjectMapper json,
      StoreWrites writes, StoreReads reads) {
    this.store = store;
    this.indices = indices;
    this.calls = calls;
    this.documents = new ContactDocuments(json);
    this.writes = writes;
    this.reads = reads;
  }

  /** The recovery sweep's mark, in the same store. */
  SweepMark sweepMark() {
    return new SweepMark(store, indices, calls);
  }

  /** Whether {@code id} can name a contact: 1 to 256 bytes of UTF-8, no control characters. */
  public static boolean isValidId(String id) {
    if (id == null || id.isEmpty() || id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
      return false;
    }
    return id.codePoints().noneMatch(Character::isISOControl);
  }

  /** A contact document as a search returned it (a page of a simulation), with its version. */
  public StoredContact fromSource(Map<String, Object> source, long seqNo, long primaryTerm) {
    return documents.fromDocument(source, seqNo, primaryTerm);
  }

  /** The stored contact, read in real time (a write is visible at once, no refresh needed). */
  public Optional<StoredContact> read(String id) {
    @SuppressWarnings("rawtypes")
    GetResponse<Map> found = calls.read("get contact", () -> {
      try {
        return store.client().get(g -> g.index(indices.contacts()).id(id).realtime(true), Map.class);
      } catch (ElasticsearchException e) {
        if (e.status() == 404) {
          return null; // no index yet: no contact either
        }
        throw e;
      }
    });
    if (found == null || !found.found()) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> source = found.source();
    return Optional.of(documents.fromDocument(source, found.seqNo(), found.primaryTerm()));
  }

  /**
   * Writes {@code contact} with {@code outbox} if the stored document is still the one {@code
   * previous} was read from (or still absent when {@code previous} does not exist).
   *
   * @return false when another write came first: re-read and try again
   */
  public boolean write(StoredContact previous, Contact contact, List<PendingEvent> outbox, Instant now) {
    return write(previous, contact, outbox, previous.recent(), now);
  }

  /**
   * Like {@link #write(StoredContact, Contact, List, Instant)}, with the contact's recent events
   * replaced by {@code recent}: the write that records an event adds it there.
   */
  public boolean write(StoredContact previous, Contact contact, List<PendingEvent> outbox, RecentEvents recent,
      Instant now) {
    return write(previous, contact, outbox, recent, previous.extras(), now);
  }

  /** Like the others, with the document's extras replaced by {@code extras} (a merge's marks). */
  boolean write(StoredContact previous, Contact contact, List<PendingEvent> outbox, RecentEvents recent,
      Map<String, Object> extras, Instant now) {
    Map<String, Object> document = documents.toDocument(contact, outbox, recent, extras, now);
    return succeeded(writes.write(List.of(operation(previous, contact.id(), document))).get(0), contact.id());
  }

  /**
   * The conditional writes of planned decisions in one bulk ({@link EventRecorder#recordDueSteps}):
   * each item's answer, in order, for {@link #succeeded}.
   */
  List<BulkResponseItem> writeAll(List<EventRecorder.Planned> planned, Instant now) {
    List<BulkOperation> operations = new ArrayList<>();
    for (EventRecorder.Planned p : planned) {
      Map<String, Object> document = documents.toDocument(p.next(), p.outbox(), p.recent(), p.base().extras(), now);
      operations.add(operation(p.base(), p.next().id(), document));
    }
    return writes.write(operations);
  }

  /** Aliases followed at most: a chain longer than this is a loop or damage, refused. */
  static final int MAX_ALIAS_HOPS = 16;

  /**
   * The contact {@code id} names: the stored one, or, for an alias (a contact merged into
   * another), the contact it was merged into, followed through chains of merges.
   */
  public Optional<StoredContact> resolve(String id) {
    Optional<StoredContact> found = read(id);
    for (int hop = 0; found.isPresent() && found.get().mergedInto().isPresent(); hop++) {
      if (hop == MAX_ALIAS_HOPS) {
        throw new IllegalStateException("contact " + id + " is an alias of an alias ... more than "
            + MAX_ALIAS_HOPS + " times");
      }
      found = read(found.get().mergedInto().get());
    }
    return found;
  }

  // The conditional write of a document over what was read: by version, or create-only.
  private BulkOperation operation(StoredContact previous, String id, Map<String, Object> document) {
    return BulkOperation.of(b -> previous.exists()
        ? b.index(i -> i.index(indices.contacts()).id(id).document(document)
            .ifSeqNo(previous.seqNo()).ifPrimaryTerm(previous.primaryTerm()))
        : b.create(c -> c.index(indices.contacts()).id(id).document(document)));
  }

  // True when written, false on a lost race (409); a failure otherwise.
  static boolean succeeded(BulkResponseItem item, String id) {
    if (item.error() == null) {
      return true;
    }
    if (item.status() == 409) {
      return false; // someone wrote first: this item only, the others of its bulk are theirs
    }
    if (StoreCalls.isUnavailable(item.status())) {
      throw new StoreUnavailableException("the store did not write contact " + id + ": "
          + item.error().reason(), null);
    }
    throw new IllegalStateException("cannot write contact " + id + ": " + item.error().reason());
  }

  /** The API's JSON of a contact, with its points balance at {@code now}. */
  public Map<String, Object> toJson(Contact contact, Instant now) {
    return documents.toJson(contact, now);
  }

  /** One item of a bulk load: its position in the request, and the error if it failed. */
  public record BulkItem(int index, String id, boolean created, String error) {}

  /**
   * Stores many contacts at once, each combined with the stored one as {@link ProfileUpdate}
   * says. Reads the stored ones with one
   * {@code mget} and writes conditionally with one bulk; an item that loses a race is retried
   * once, then reported as an error.
   */
  public List<BulkItem> putAll(List<ProfileUpdate> updates, Instant now) {
    List<Contact> given = updates.stream().map(ProfileUpdate::given).toList();
    Map<Integer, BulkItem> results = new LinkedHashMap<>();
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      pending.add(i);
    }
    for (int round = 0; round < 2 && !pending.isEmpty(); round++) {
      List<Integer> todo = pending;
      pending = new ArrayList<>();
      List<String> ids = todo.stream().map(i -> given.get(i).id()).toList();
      Map<String, StoredContact> stored = readAll(ids);
      List<BulkOperation> operations = new ArrayList<>();
      List<Integer> sent = new ArrayList<>();
      for (int i : todo) {
        Contact contact = given.get(i);
        StoredContact previous = stored.get(contact.id());
        if (previous != null && previous.mergedInto().isPresent()) {
          results.put(i, new BulkItem(i, contact.id(), false,
              "merged into contact " + previous.mergedInto().get() + ": write that contact"));
          continue;
        }
        Contact merged = updates.get(i).applyTo(Optional.ofNullable(previous).map(StoredContact::contact), now);
        StoredContact base = previous == null ? StoredContact.absent(merged) : previous;
        Map<String, Object> document =
            documents.toDocument(merged, base.outbox(), base.recent(), base.extras(), now);
        operations.add(operation(base, merged.id(), document));
        sent.add(i);
      }
      List<BulkResponseItem> items = operations.isEmpty() ? List.of()
          : StoreWrites.direct(store, calls).write(operations);
      for (int k = 0; k < sent.size(); k++) {
        int i = sent.get(k);
        BulkResponseItem item = items.get(k);
        if (item.error() == null) {
          results.put(i, new BulkItem(i, given.get(i).id(), item.status() == 201, null));
        } else if (item.status() == 409 && round == 0) {
          pending.add(i);
        } else if (StoreCalls.isUnavailable(item.status())) {
          results.put(i, new BulkItem(i, given.get(i).id(), false, "the store is unavailable, retry"));
        } else {
          results.put(i, new BulkItem(i, given.get(i).id(), false,
              item.status() == 409 ? "changed concurrently, retry" : item.error().reason()));
        }
      }
    }
    List<BulkItem> ordered = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      ordered.add(results.get(i));
    }
    return ordered;
  }

  /** What a single put gave: the stored contact, and whether it was created. */
  public record Put(Contact contact, boolean created) {}

  /**
   * Stores one contact's profile (see {@link ProfileUpdate}), re-reading and retrying when a
   * concurrent write comes first, so events applied meanwhile are never overwritten.
   */
  public Put put(ProfileUpdate update, Instant now, int maxAttempts) {
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      Optional<StoredContact> stored = read(update.given().id());
      if (stored.isPresent() && stored.get().mergedInto().isPresent()) {
        throw new ContactAliasException(update.given().id(), stored.get().mergedInto().get());
      }
      Contact merged = update.applyTo(stored.map(StoredContact::contact), now);
      StoredContact base = stored.orElseGet(() -> StoredContact.absent(merged));
      if (write(base, merged, base.outbox(), now)) {
        return new Put(merged, stored.isEmpty());
      }
    }
    throw new ContactBusyException(update.given().id(), maxAttempts);
  }

  Map<String, StoredContact> readAll(List<String> ids) {
    Map<String, StoredContact> found = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    @SuppressWarnings("rawtypes")
    MgetResponse<Map> response = calls.read("mget contacts",
        () -> store.client().mget(m -> m.index(indices.contacts()).ids(ids).realtime(true), Map.class));
    for (@SuppressWarnings("rawtypes") MultiGetResponseItem<Map> item : response.docs()) {
      if (item.isResult() && item.result().found()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> source = item.result().source();
        found.put(item.result().id(),
            documents.fromDocument(source, item.result().seqNo(), item.result().primaryTerm()));
      }
    }
    return found;
  }

  /**
   * Contacts whose newest outbox entry was recorded after {@code after} (null: any time) and at
   * or before {@code upTo}, with the ids of their outbox entries: one page of the recovery
   * sweep's work list, at most {@code max}, in order of that newest entry then contact id.
   * {@code from} is the previous page's {@link Page#last()} (null for the first page).
   */
  public Page withPendingEvents(Instant after, Instant upTo, Page.Cursor from, int max) {
    var response = datePage("search pending", "outboxNewest", after, upTo, "outbox.eventId", from, max);
    if (response == null || response.hits().hits().isEmpty()) {
      return new Page(List.of(), null);
    }
    List<Pending> contacts = new ArrayList<>();
    for (var hit : response.hits().hits()) {
      List<String> eventIds = new ArrayList<>();
      if (hit.source() != null && hit.source().get("outbox") instanceof List<?> entries) {
        for (Object entry : entries) {
          if (entry instanceof Map<?, ?> map && map.get("eventId") != null) {
            eventIds.add(String.valueOf(map.get("eventId")));
          }
        }
      }
      contacts.add(new Pending(hit.id(), eventIds));
    }
    var last = response.hits().hits().get(contacts.size() - 1).sort();
    return new Page(contacts, new Page.Cursor(last.get(0).longValue(), last.get(1).stringValue()));
  }

  /**
   * Contacts with a campaign step due at or before {@code upTo}, earliest first, after
   * {@code from} (null for the first page): a range query on {@code nextDueAt}, so its cost is
   * the number of due contacts, not of contacts (docs/store.md). Each comes with the campaigns
   * of its active enrollments that have a step due then.
   */
  public DuePage dueSteps(Instant upTo, Page.Cursor from, int max) {
    var response = datePage("search due steps", ContactDocuments.NEXT_DUE_AT, null, upTo, "enrollments", from, max);
    if (response == null || response.hits().hits().isEmpty()) {
      return new DuePage(List.of(), null);
    }
    List<Due> due = new ArrayList<>();
    for (var hit : response.hits().hits()) {
      List<String> campaigns = new ArrayList<>();
      if (hit.source() != null && hit.source().get("enrollments") instanceof List<?> entries) {
        for (Object entry : entries) {
          if (entry instanceof Map<?, ?> e && !Boolean.FALSE.equals(e.get("active"))
              && e.get("nextDueAt") instanceof String next && e.get("campaign") instanceof String c
              && !Instant.parse(next).isAfter(upTo)) {
            campaigns.add(c);
          }
        }
      }
      due.add(new Due(hit.id(), campaigns));
    }
    var last = response.hits().hits().get(due.size() - 1).sort();
    return new DuePage(due, new Page.Cursor(last.get(0).longValue(), last.get(1).stringValue()));
  }
  /**
   * One page of contacts whose date {@code field} is after {@code after} (null: any) and at or
   * before {@code upTo}, in order of that date then id, after {@code from} (keyset paging, so a
   * page costs the same however deep), with only {@code include} of their sources; null when the
   * index does not exist.
   */
  @SuppressWarnings("rawtypes")
  private SearchResponse<Map> datePage(String what, String field,
      Instant after, Instant upTo, String include, Page.Cursor from, int max) {
    return calls.read(what, () -> {
      try {
        return store.client().search(s -> {
          s.index(indices.contacts())
              .query(q -> q.range(r -> r.date(d -> {
                d.field(field).lte(upTo.toString());
                return after == null ? d : d.gt(after.toString());
              })))
              .sort(o -> o.field(f -> f.field(field).order(SortOrder.Asc)))
              .sort(o -> o.field(f -> f.field("id").order(SortOrder.Asc)))
              .source(src -> src.filter(f -> f.includes(include)))
              .trackTotalHits(t -> t.enabled(false))
              .size(max);
          if (from != null) {
            s.searchAfter(FieldValue.of(from.newest()), FieldValue.of(from.id()));
          }
          return s;
        }, Map.class);
      } catch (ElasticsearchException e) {
        if (e.status() == 404) {
          return null;
        }
        throw e;
      }
    });
  }


  /** A contact with due steps, and the campaigns they belong to. */
  public record Due(String contactId, List<String> campaigns) {}

  /** A page of contacts with due steps; {@code last} is where the next page starts after. */
  public record DuePage(List<Due> contacts, Page.Cursor last) {}

  /** A contact of the recovery's work list, with the event ids its outbox held when searched. */
  public record Pending(String contactId, List<String> eventIds) {}

  /** A page of the recovery's work list; {@code last} is where the next page starts after. */
  public record Page(List<Pending> contacts, Cursor last) {
    /** The sort values of a page's last contact: its newest entry (epoch millis) and its id. */
    public record Cursor(long newest, String id) {}
  }

  /**
   * The contact and, in the same round trip, the document of one of its recorded events, both
   * read in real time: the first read of {@link EventRecorder#record}.
   */
  @SuppressWarnings("rawtypes")
  Lookup readWithEvent(String id, String eventsIndex, String eventDocumentId) {
    List<MultiGetResponseItem<Map>> items = reads.read(List.of(
        MultiGetOperation.of(d -> d.index(indices.contacts()).id(id)),
        MultiGetOperation.of(d -> d.index(eventsIndex).id(eventDocumentId).routing(id))));
    MultiGetResponseItem<Map> contactItem = items.get(0);
    Map contact = found(contactItem);
    Map event = found(items.get(1));
    Optional<StoredContact> stored = Optional.empty();
    if (contact != null) {
      @SuppressWarnings("unchecked")
      Map<String, Object> source = contact;
      var result = contactItem.result();
      stored = Optional.of(documents.fromDocument(source, result.seqNo(), result.primaryTerm()));
    }
    return new Lookup(stored, Optional.ofNullable(event));
  }

  /** What {@link #readWithEvent} found: the contact, and the event document's source. */
  @SuppressWarnings("rawtypes")
  record Lookup(Optional<StoredContact> contact, Optional<Map> event) {}

  // The source of a found document; null when absent or its index does not exist yet.
  @SuppressWarnings("rawtypes")
  private static Map found(MultiGetResponseItem<Map> item) {
    if (item == null) {
      return null;
    }
    if (item.isResult()) {
      return item.result().found() ? item.result().source() : null;
    }
    if ("index_not_found_exception".equals(item.failure().error().type())) {
      return null;
    }
    throw new StoreUnavailableException("the store did not read " + item.failure().index() + "/"
        + item.failure().id() + ": " + item.failure().error().reason(), null);
  }
}
