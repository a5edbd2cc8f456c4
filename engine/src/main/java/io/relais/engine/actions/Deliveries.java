package io.relais.engine.actions;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.GroupCommit;
import io.relais.engine.store.GroupCommitSettings;
import io.relais.engine.store.StoreUnavailableException;
import io.relais.engine.store.StoreCalls;
import io.relais.engine.store.StoreWrites;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToIntFunction;

/**
 * The deliveries, one document each in {@code <prefix>-deliveries}, id {@code <action id>.<webhook>}:
 * created once with their action ({@code create}), claimed by one instance at a time with a
 * lease (the document written again, conditionally on the version found), and written by that
 * claim's attempt only (conditionally on the version the claim wrote), so an instance whose
 * lease ran out cannot overwrite the attempt of the instance that took the delivery over
 * (docs/webhooks.md).
 */
public final class Deliveries implements AutoCloseable {

  /**
   * A delivery this instance holds the lease of: its id, its body, its version after the claim,
   * and its whole document as the claim wrote it (the outcome is written over it).
   */
  public record Claimed(Delivery delivery, String body, long seqNo, long primaryTerm, Map<String, Object> document) {}

  // A lease that ended long ago: what a delivery nobody holds carries.
  private static final String NO_LEASE = Instant.EPOCH.toString();

  private final ElasticsearchStore store;
  private final StoreCalls calls;
  // The outcomes of concurrent attempts share bulk requests (and translog syncs): one request per
  // attempt would bound deliveries per second by the store's request rate.
  private final GroupCommit records;
  // Claims and outcomes go through the store's streaming bulk (StoreWrites.direct), not the typed
  // client's, whose answer is read through JSON-P item by item (docs/performance.md).
  private final StoreWrites bulk;

  /** Starts the thread that sends the outcomes of concurrent attempts in shared bulks. */
  public Deliveries(ElasticsearchStore store, StoreCalls calls) {
    this.store = store;
    this.calls = calls;
    this.bulk = StoreWrites.direct(store, calls);
    // Lingering up to 50 ms for more outcomes while fewer than 256 are queued: handed-off
    // deliveries end one by one, and a bulk each cost the store a request and a translog sync
    // each (docs/performance.md). Nobody waits for an outcome: the request slot is free already.
    this.records = new GroupCommit("relais-webhook-records", bulk, new GroupCommitSettings(1024, 4096,
        java.time.Duration.ofSeconds(5), java.time.Duration.ofMillis(50), 256), refused -> { });
  }

  /** Sends what is queued and stops the thread. */
  @Override
  public void close() {
    records.close();
  }

  /** The index's name. */
  public String index() {
    return store.settings().index("deliveries");
  }

  /** The id of an action's delivery to a webhook. */
  public static String id(String actionId, String webhook) {
    return actionId + "." + webhook;
  }

  /** The document of a new pending delivery of an action, due at {@code dueAt}, nobody's. */
  Map<String, Object> document(String actionId, String webhook, String contactId, String type, Instant createdAt,
      Instant dueAt, String body) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("webhook", webhook);
    document.put("actionId", actionId);
    document.put("contactId", contactId);
    document.put("type", type);
    document.put("state", Delivery.PENDING);
    document.put("attempts", 0);
    document.put("createdAt", createdAt.toString());
    document.put("dueAt", dueAt.toString());
    document.put("nextAttemptAt", dueAt.toString());
    document.put("windowStart", dueAt.toString());
    document.put("body", body);
    return document;
  }

  /**
   * The operation creating delivery {@code id} with {@code document}: nobody's, or claimed at
   * creation by this instance's deliverer ({@link DeliveryWorker#handOff}).
   */
  BulkOperation create(String id, Map<String, Object> document) {
    return BulkOperation.of(b -> b.create(c -> c.index(index()).id(id).document(document)));
  }

  /** {@code document} claimed by {@code owner} until {@code leaseUntil}: a copy. */
  static Map<String, Object> leased(Map<String, Object> document, String owner, Instant leaseUntil) {
    Map<String, Object> leased = new LinkedHashMap<>(document);
    leased.put("leaseOwner", owner);
    leased.put("leaseUntil", leaseUntil.toString());
    return leased;
  }

  /** Deliveries, newest first, of one webhook and/or in one state (null: any). */
  @SuppressWarnings("rawtypes")
  public List<Delivery> list(String webhook, String state, int limit) {
    List<Query> filters = new ArrayList<>();
    if (webhook != null) {
      filters.add(Query.of(q -> q.term(t -> t.field("webhook").value(webhook))));
    }
    if (state != null) {
      filters.add(Query.of(q -> q.term(t -> t.field("state").value(state))));
    }
    SearchResponse<Map> found = search("list deliveries", s -> s.index(index()).size(limit)
        .query(q -> q.bool(b -> b.filter(filters)))
        .sort(o -> o.field(f -> f.field("createdAt").order(SortOrder.Desc)))
        .sort(o -> o.field(f -> f.field("actionId").order(SortOrder.Desc)))
        .source(src -> src.filter(f -> f.excludes("body"))));
    List<Delivery> out = new ArrayList<>();
    if (found != null) {
      for (Hit<Map> hit : found.hits().hits()) {
        out.add(Delivery.fromDocument(hit.id(), hit.source()));
      }
    }
    return out;
  }

  /** Delivery {@code id}, read in real time. */
  @SuppressWarnings("rawtypes")
  public Optional<Delivery> get(String id) {
    return read(id).map(found -> Delivery.fromDocument(id, found.source()));
  }

  /** What a retry found. */
  public enum Retry { RETRIED, NOT_FOUND, NOT_FAILED }

  /**
   * Sends a failed delivery again now: pending, due now, with a new window (the attempts count
   * on). Only a failed one: a pending one is tried anyway, a delivered one was received.
   */
  @SuppressWarnings("rawtypes")
  public Retry retry(String id, Instant now) {
    for (int attempt = 0; attempt < 10; attempt++) {
      Optional<GetResponse<Map>> found = read(id);
      if (found.isEmpty()) {
        return Retry.NOT_FOUND;
      }
      if (!Delivery.FAILED.equals(found.get().source().get("state"))) {
        return Retry.NOT_FAILED;
      }
      Map<String, Object> changes = new LinkedHashMap<>();
      changes.put("state", Delivery.PENDING);
      changes.put("nextAttemptAt", now.toString());
      changes.put("windowStart", now.toString());
      changes.put("leaseUntil", NO_LEASE);
      if (update(id, changes, found.get().seqNo(), found.get().primaryTerm()) != null) {
        return Retry.RETRIED;
      }
    }
    throw new IllegalStateException("delivery " + id + " kept changing under us");
  }

  /**
   * Claims up to {@code max} deliveries due at {@code now} whose lease is free, for {@code owner}
   * until {@code leaseUntil}, leaving out {@code skip} (what this instance holds, or finished a
   * moment ago and searches may not show yet). A delivery claimed by another instance meanwhile
   * fails its conditional write and is not ours.
   */
  public List<Claimed> claim(String owner, Instant now, Instant leaseUntil, int max, Collection<String> skip) {
    return claim(owner, now, leaseUntil, max, skip, List.of(), webhook -> max);
  }

  /**
   * The same in one search and one bulk of conditional updates, leaving out the deliveries to
   * {@code fullWebhooks} and claiming at most {@code room} of one webhook's: the deliverer claims
   * no more for a receiver than it can send within their leases.
   */
  @SuppressWarnings("rawtypes")
  public List<Claimed> claim(String owner, Instant now, Instant leaseUntil, int max, Collection<String> skip,
      Collection<String> fullWebhooks, ToIntFunction<String> room) {
    SearchResponse<Map> found = search("find due deliveries", s -> s.index(index()).size(max).seqNoPrimaryTerm(true)
        .query(q -> q.bool(b -> {
          b.filter(f -> f.term(t -> t.field("state").value(Delivery.PENDING)));
          b.filter(f -> f.range(r -> r.date(d -> d.field("nextAttemptAt").lte(now.toString()))));
          b.mustNot(n -> n.range(r -> r.date(d -> d.field("leaseUntil").gt(now.toString()))));
          if (!skip.isEmpty()) {
            b.mustNot(n -> n.ids(i -> i.values(List.copyOf(skip))));
          }
          if (!fullWebhooks.isEmpty()) {
            b.mustNot(n -> n.terms(t -> t.field("webhook").terms(v -> v.value(
                fullWebhooks.stream().map(FieldValue::of).toList()))));
          }
          return b;
        }))
        .sort(o -> o.field(f -> f.field("nextAttemptAt").order(SortOrder.Asc))));
    if (found == null || found.hits().hits().isEmpty()) {
      return List.of();
    }
    List<Hit<Map>> hits = new ArrayList<>();
    Map<String, Integer> taken = new HashMap<>();
    for (Hit<Map> hit : found.hits().hits()) {
      String webhook = String.valueOf(hit.source().get("webhook"));
      int count = taken.getOrDefault(webhook, 0);
      if (count < room.applyAsInt(webhook)) {
        taken.put(webhook, count + 1);
        hits.add(hit);
      }
    }
    // The whole document written again with the lease, conditionally on the version found: the
    // store indexes it without reading and merging the stored one first, as an update would.
    List<BulkOperation> claims = new ArrayList<>();
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Hit<Map> hit : hits) {
      @SuppressWarnings("unchecked")
      Map<String, Object> document = leased(hit.source(), owner, leaseUntil);
      documents.add(document);
      claims.add(BulkOperation.of(b -> b.index(x -> x.index(index()).id(hit.id())
          .ifSeqNo(hit.seqNo()).ifPrimaryTerm(hit.primaryTerm()).document(document))));
    }
    if (claims.isEmpty()) {
      return List.of();
    }
    // A request of its own, not the outcomes' shared bulk: the next round's claims are made while
    // the last round's outcomes are being written.
    List<BulkResponseItem> items = bulk.write(claims);
    List<Claimed> claimed = new ArrayList<>();
    for (int i = 0; i < hits.size(); i++) {
      BulkResponseItem item = items.get(i);
      if (item.error() == null && item.seqNo() != null && item.primaryTerm() != null) {
        Hit<Map> hit = hits.get(i);
        claimed.add(new Claimed(Delivery.fromDocument(hit.id(), hit.source()), (String) hit.source().get("body"),
            item.seqNo(), item.primaryTerm(), documents.get(i)));
      }
    }
    return claimed;
  }

  /**
   * Writes the outcome of a claimed delivery's attempt and frees its lease; false when the
   * delivery changed since the claim (another instance took it over after our lease ended).
   */
  public boolean finish(Claimed claimed, Map<String, Object> changes) {
    try {
      return finishLater(claimed, changes).join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
    }
  }

  /**
   * The same without waiting: the outcome goes in the next shared bulk, with the outcomes of
   * every attempt that ended meanwhile; the future fails when the store did not take it.
   */
  public CompletableFuture<Boolean> finishLater(Claimed claimed, Map<String, Object> changes) {
    Map<String, Object> all = new LinkedHashMap<>(changes);
    all.put("leaseOwner", "");
    all.put("leaseUntil", NO_LEASE);
    // Over the document as claimed (unchanged since: the write is conditional on its version).
    Map<String, Object> document = new LinkedHashMap<>(claimed.document());
    document.putAll(all);
    BulkOperation write = BulkOperation.of(b -> b.index(x -> x.index(index()).id(claimed.delivery().id())
        .ifSeqNo(claimed.seqNo()).ifPrimaryTerm(claimed.primaryTerm()).document(document)));
    return records.writeLater(List.of(write)).thenApply(items -> {
          BulkResponseItem item = items.get(0);
          if (item.error() == null) {
            return true;
          }
          if (item.status() == 409) {
            return false;
          }
          throw new StoreUnavailableException("the store did not record delivery " + item.id() + ": "
              + item.error().reason(), null);
        });
  }

  /** When the oldest pending delivery came due; empty when none is pending. */
  @SuppressWarnings("rawtypes")
  public Optional<Instant> oldestPending() {
    SearchResponse<Map> found = search("oldest pending delivery", s -> s.index(index()).size(1)
        .query(q -> q.term(t -> t.field("state").value(FieldValue.of(Delivery.PENDING))))
        .sort(o -> o.field(f -> f.field("dueAt").order(SortOrder.Asc)))
        .source(src -> src.filter(f -> f.includes("dueAt"))));
    if (found == null || found.hits().hits().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Instant.parse(String.valueOf(found.hits().hits().get(0).source().get("dueAt"))));
  }

  private co.elastic.clients.elasticsearch.core.UpdateResponse<Map> update(String id, Map<String, Object> changes,
      long seqNo, long primaryTerm) {
    try {
      return calls.run("update delivery", () -> store.client().update(u -> u.index(index()).id(id)
          .ifSeqNo(seqNo).ifPrimaryTerm(primaryTerm).doc(changes), Map.class));
    } catch (ElasticsearchException e) {
      if (e.status() == 409) {
        return null;
      }
      throw e;
    }
  }

  @SuppressWarnings("rawtypes")
  private Optional<GetResponse<Map>> read(String id) {
    GetResponse<Map> found = calls.read("get delivery", () -> {
      try {
        return store.client().get(g -> g.index(index()).id(id).realtime(true), Map.class);
      } catch (ElasticsearchException e) {
        if (e.status() == 404) {
          return null;
        }
        throw e;
      }
    });
    return found == null || !found.found() ? Optional.empty() : Optional.of(found);
  }

  @SuppressWarnings("rawtypes")
  private SearchResponse<Map> search(String what,
      java.util.function.Function<co.elastic.clients.elasticsearch.core.SearchRequest.Builder,
          co.elastic.clients.util.ObjectBuilder<co.elastic.clients.elasticsearch.core.SearchRequest>> request) {
    return calls.read(what, () -> {
      try {
        return store.client().search(request, Map.class);
      } catch (ElasticsearchException e) {
        if (e.status() == 404) {
          return null; // no index yet: nothing delivered either
        }
        throw e;
      }
    });
  }
}
