package io.relais.engine.batch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.relais.engine.fair.Callers;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.StoreCalls;
import io.relais.engine.store.StoreUnavailableException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol batch runs and simulations share (docs/batch.md, "The protocol"): a run and its
 * slices are documents of one index, so every instance sees them; an instance claims an open
 * slice whose lease ended with a conditional write, reads its contacts page by page from the
 * run's point in time ({@code slice} + {@code search_after} on {@code _shard_doc}, sources and
 * versions included), hands each page to the {@link Work} of its kind, and commits the page's
 * position and the slice's counts with another conditional write that also renews its lease. A
 * page not committed (a crash, a stop) is worked again by whoever resumes the slice.
 */
public final class SlicedRuns implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SlicedRuns.class);
  /** A run being created: its slices exist or are being written, and none may be claimed yet. */
  private static final String STARTING = "STARTING";

  /** A run's id: the first 12 hex digits of a random UUID (start). */
  private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{12}");
  private static final String MAPPING = """
      {"dynamic": false, "properties": {"kind": {"type": "keyword"}, "runId": {"type": "keyword"},
       "state": {"type": "keyword"}, "owner": {"type": "keyword"}, "leaseUntil": {"type": "date"},
       "createdAt": {"type": "date"}}}""";

  /** What a kind of run does with its pages. */
  public interface Work {
    /**
     * Prepares the work of one slice of {@code run} (the run document's fields); empty when this
     * instance cannot work it (its ruleset version is not stored), so it does not claim it.
     */
    Optional<SliceWork> open(Map<String, Object> run);

    /**
     * A slice's counts when its run restarts on a new point in time (docs/batch.md): the same by
     * default (a batch run's contacts already applied replay); a run whose counts would be counted
     * twice starts them again.
     */
    default Map<String, Object> restarted(Map<String, Object> slice) {
      return slice;
    }
  }

  /** One claimed slice's work. */
  public interface SliceWork {
    /** The contacts the run reads. */
    Query query();

    /**
     * Works one page: adds its counts to {@code next}, the slice document to be committed with
     * the page's position. {@code parts} evaluates in parallel.
     */
    @SuppressWarnings("rawtypes")
    void page(List<Hit<Map>> hits, Map<String, Object> next, ExecutorService parts);
  }

  /** A run's document and its slices' documents. */
  public record Run(String id, Map<String, Object> run, List<Map<String, Object>> slices) {}

  private final ElasticsearchStore store;
  private final StoreCalls calls;
  private final Clock clock;
  private final BatchSettings settings;
  private final String index;
  private final String contacts;
  private final String what;
  private final Work work;
  private final String instance = UUID.randomUUID().toString();
  /** Where run ids come from: random ({@link #create}); a test names the run it starts. */
  private Supplier<String> ids =
      () -> UUID.randomUUID().toString().substring(0, 13).replace("-", ""); // RUN_ID
  private ExecutorService worker;
  private ExecutorService parts;
  private volatile boolean running;

  /**
   * Runs of one kind ({@code what}, for the logs) kept in index {@code indexName} (without the
   * prefix), over the contacts index {@code contacts}.
   */
  public SlicedRuns(ElasticsearchStore store, StoreCalls calls, Clock clock, BatchSettings settings,
      String indexName, String contacts, String what, Work work) {
    this.store = store;
    this.calls = calls;
    this.clock = clock;
    this.settings = settings;
    this.index = store.settings().index(indexName);
    this.contacts = contacts;
    this.what = what;
    this.work = work;
  }

  /** For tests: the next runs get the ids {@code ids} gives. */
  void ids(Supplier<String> ids) {
    this.ids = ids;
  }

  public BatchSettings settings() {
    return settings;
  }

  /** Creates the runs index if it is missing. */
  public void ensureIndex() {
    boolean exists = calls.read("exists " + index, () -> store.client().indices().exists(e -> e.index(index)).value());
    if (!exists) {
      try {
        calls.run("create " + index, () -> {
          String replicas = String.valueOf(store.replicasForNewIndex());
          return store.client().indices().create(c -> c.index(index)
              .mappings(m -> m.withJson(new ByteArrayInputStream(MAPPING.getBytes(StandardCharsets.UTF_8))))
              .settings(s -> s.numberOfReplicas(replicas)));
        });
      } catch (ElasticsearchException e) {
        if (!"resource_already_exists_exception".equals(e.error().type())) {
          throw e;
        }
      }
    }
  }

  /** Whether {@code id} can name a run: 12 lower-case hex digits, as {@link #create} makes them. */
  public static boolean isValidId(String id) {
    return id != null && RUN_ID.matcher(id).matches();
  }

  /**
   * Creates a run with {@code fields} (its kind's own), opens its point in time on the contacts
   * index and creates its slices, each starting with {@code counts}; answers the run's id. The
   * caller counted the run's contacts first (a search): the contacts index refreshes when searched
   * (docs/store.md), so the point in time is a view of every contact written before.
   *
   * <p>The run and its slices are one bulk request waiting for one refresh (each written apart,
   * waiting for its own, made a start take about two seconds). The run is written {@code
   * STARTING}, which no worker claims, and set {@code RUNNING} once every document is known to be
   * written: a start that fails part-way never has a slice worked (a batch run's page would apply
   * its event to contacts, and the caller, answered 503, starts it again), and what it wrote is
   * removed.
   */
  public String create(Map<String, Object> fields, Map<String, Object> counts) {
    ensureIndex();
    String pit = openPointInTime();
    String id = ids.get();
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("kind", "run");
    run.put("runId", id);
    run.putAll(fields);
    run.put("state", STARTING);
    run.put("slices", settings.slices());
    run.put("pit", pit);
    run.put("createdAt", clock.instant().toString());
    List<BulkOperation> documents = new ArrayList<>(settings.slices() + 1);
    documents.add(BulkOperation.of(b -> b.create(c -> c.index(index).id(id).document(run))));
    for (int k = 0; k < settings.slices(); k++) {
      Map<String, Object> slice = newSlice(id, k, counts);
      String sliceId = id + ":" + k;
      documents.add(BulkOperation.of(b -> b.create(c -> c.index(index).id(sliceId).document(slice))));
    }
    BulkResponse written;
    try {
      written = calls.run("create run", () -> store.client().bulk(b -> b.operations(documents)
          .refresh(Refresh.WaitFor)));
    } catch (RuntimeException e) {
      // Whatever it wrote stays STARTING: never worked.
      closePointInTime(id, pit);
      throw e;
    }
    List<String> created = new ArrayList<>();
    BulkResponseItem refused = null;
    for (BulkResponseItem item : written.items()) {
      // The id is new and random: a 409 is this request's own document, written by a first
      // send that the store sent again to a new primary.
      if (item.error() == null || item.status() == 409) {
        created.add(item.id());
      } else if (refused == null) {
        refused = item;
      }
    }
    if (refused == null) {
      // A failure of this last write leaves the run as it is: RUNNING if the write was applied,
      // else STARTING and never worked.
      if (running(id)) {
        return id;
      }
      abandon(id, pit, created);
      throw new StoreUnavailableException("the run " + id + " changed while it started", null);
    }
    abandon(id, pit, created);
    if (StoreCalls.isUnavailable(refused.status())) {
      throw new StoreUnavailableException("the store did not create " + refused.id() + ": "
          + refused.error().reason(), null);
    }
    // A document refused as such (a mapping error) is a bug of ours, not the store's state.
    throw new IllegalStateException("cannot create " + refused.id() + ": " + refused.error().reason());
  }

  /** Slice {@code k} of run {@code id} as it is created: open, unowned, at its start. */
  static Map<String, Object> newSlice(String id, int k, Map<String, Object> counts) {
    Map<String, Object> slice = new LinkedHashMap<>();
    slice.put("kind", "slice");
    slice.put("runId", id);
    slice.put("slice", k);
    slice.put("state", "OPEN");
    slice.put("owner", null);
    slice.put("leaseUntil", Instant.EPOCH.toString());
    slice.put("after", null);
    slice.putAll(counts);
    return slice;
  }

  /** Sets a STARTING run RUNNING; false when it is neither, or changed meanwhile. */
  private boolean running(String id) {
    Optional<Doc> started = get(id).filter(doc -> STARTING.equals(doc.source().get("state")));
    if (started.isEmpty()) {
      return false;
    }
    Map<String, Object> next = new LinkedHashMap<>(started.get().source());
    next.put("state", "RUNNING");
    // A 409 can be this very write, applied and then sent again: read what it left.
    return write(started.get(), next).isPresent()
        || get(id).map(doc -> "RUNNING".equals(doc.source().get("state"))).orElse(false);
  }

  /**
   * Removes the documents a failed start wrote (its run is still STARTING, so none was worked)
   * and closes its point in time. Best effort: a document the store does not delete now stays,
   * STARTING and inert, and is logged.
   */
  private void abandon(String id, String pit, List<String> created) {
    List<BulkOperation> deletes = new ArrayList<>(created.size());
    for (String documentId : created) {
      deletes.add(BulkOperation.of(b -> b.delete(d -> d.index(index).id(documentId))));
    }
    try {
      if (!deletes.isEmpty()) {
        BulkResponse deleted = calls.run("remove a failed start",
            () -> store.client().bulk(b -> b.operations(deletes).refresh(Refresh.WaitFor)));
        for (BulkResponseItem item : deleted.items()) {
          if (item.error() != null && item.status() != 404) {
            log.warn("{} {} failed to start; {} could not be removed: {}", what, id, item.id(),
                item.error().reason());
          }
        }
      }
    } catch (Exception e) {
      log.warn("{} {} failed to start and could not be removed: {}", what, id, e.toString());
    }
    closePointInTime(id, pit);
  }

  /** The run's documents; empty for an unknown id or one no run can have (not asked of the store). */
  public Optional<Run> read(String id) {
    if (!isValidId(id)) {
      return Optional.empty();
    }
    Optional<Doc> found = get(id);
    if (found.isEmpty() || !"run".equals(found.get().source().get("kind"))) {
      return Optional.empty();
    }
    return Optional.of(new Run(id, found.get().source(), slices(id).stream().map(Doc::source).toList()));
  }

  /**
   * Cancels a running run: its state becomes {@code CANCELLED}, no slice of it is claimed any
   * more and a worker working one stops before its next page. Answers the run, empty for an
   * unknown one; a run that ended already is left as it is.
   */
  public Optional<Run> cancel(String id) {
    for (int attempt = 0; attempt < 100; attempt++) {
      Optional<Run> read = read(id);
      if (read.isEmpty() || !"RUNNING".equals(read.get().run().get("state"))) {
        return read;
      }
      Doc run = get(id).orElseThrow();
      Map<String, Object> next = new LinkedHashMap<>(run.source());
      next.put("state", "CANCELLED");
      next.put("finishedAt", clock.instant().toString());
      if (write(run, next).isPresent()) {
        closePointInTime(id, (String) run.source().get("pit"));
        closeSlices(id);
        log.info("{} {} cancelled", what, id);
        return read(id);
      }
    }
    throw new IllegalStateException("the run " + id + " kept changing while it was cancelled");
  }

  /**
   * Marks the open slices of a cancelled run CANCELLED, so that no search for open slices finds
   * them again. Best effort: a slice whose worker wrote it meanwhile (a conflict) or a store that
   * fails now leaves it OPEN, and workers then leave it out once they find its run ended.
   */
  private void closeSlices(String id) {
    try {
      for (Doc slice : slices(id)) {
        if ("OPEN".equals(slice.source().get("state"))) {
          Map<String, Object> next = new LinkedHashMap<>(slice.source());
          next.put("state", "CANCELLED");
          write(slice, next);
        }
      }
    } catch (RuntimeException e) {
      log.warn("{} {}: its open slices could not be marked cancelled: {}", what, id, e.toString());
    }
  }

  // ---- executing ----

  /** Starts this instance's worker: it claims open slices of running runs until {@link #close()}. */
  public synchronized void startWorker() {
    if (running) {
      return;
    }
    ensureIndex();
    running = true;
    parts = Executors.newFixedThreadPool(settings.threads() * settings.concurrentSlices(),
        r -> new Thread(asBatch(r), what + "-part"));
    worker = Executors.newFixedThreadPool(settings.concurrentSlices(), r -> new Thread(asBatch(r), what + "-worker"));
    for (int i = 0; i < settings.concurrentSlices(); i++) {
      worker.submit(this::work);
    }
  }

  // Runs share the store's calls in flight as one background caller of their own, so a large
  // run takes no more than its share from the requests (docs/operations.md).
  private static Runnable asBatch(Runnable work) {
    return () -> {
      try (Callers.Scope batch = Callers.as(Callers.system("batch"))) {
        work.run();
      }
    };
  }

  /** Stops the worker at once: the slice in progress keeps its lease and is resumed when it expires. */
  @Override
  public synchronized void close() {
    running = false;
    if (worker != null) {
      worker.shutdownNow();
      parts.shutdownNow();
    }
  }

  private void work() {
    while (running && !Thread.currentThread().isInterrupted()) {
      try {
        if (!claimAndProcessOne()) {
          Thread.sleep(settings.poll().toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn("{} worker: {}", what, e.toString());
        try {
          Thread.sleep(settings.poll().toMillis());
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Claims one slice that nobody holds (or whose lease expired) and works it to its end. */
  boolean claimAndProcessOne() throws InterruptedException {
    List<FieldValue> left = endedRuns();
    SearchResponse<Void> open = calls.read("find slices", () -> store.client().search(s -> s.index(index).size(50)
        .query(q -> q.bool(b -> {
          b.filter(f -> f.term(t -> t.field("kind").value("slice")))
              .filter(f -> f.term(t -> t.field("state").value("OPEN")))
              .filter(f -> f.range(r -> r.date(d -> d.field("leaseUntil").lt(clock.instant().toString()))));
          if (!left.isEmpty()) {
            b.mustNot(m -> m.terms(t -> t.field("runId").terms(v -> v.value(left))));
          }
          return b;
        })),
        Void.class));
    for (Hit<Void> hit : open.hits().hits()) {
      Optional<Claimed> claimed = claim(hit.id());
      if (claimed.isPresent()) {
        process(claimed.get());
        return true;
      }
    }
    return false;
  }

  private record Claimed(Doc slice, Map<String, Object> run, SliceWork work) {}

  /** The states a run never leaves. */
  private static final Set<String> ENDED = Set.of("CANCELLED", "DONE");
  /** How many ended runs this instance leaves out of its searches at most. */
  private static final int ENDED_KEPT = 10_000;

  /**
   * Runs this instance found ended while claiming, oldest first: a cancelled run's slices stay
   * OPEN (its workers just stop), and the search for open slices returns 50, so enough of them
   * would fill every search and no new run would be worked. Their slices are left out of the next
   * searches. Only ended runs: a run still STARTING becomes RUNNING in a moment.
   */
  private final Set<String> endedRuns = new LinkedHashSet<>();

  private void ended(String runId) {
    synchronized (endedRuns) {
      endedRuns.add(runId);
      if (endedRuns.size() > ENDED_KEPT) {
        endedRuns.remove(endedRuns.iterator().next());
      }
    }
  }

  private List<FieldValue> endedRuns() {
    synchronized (endedRuns) {
      return endedRuns.stream().map(FieldValue::of).toList();
    }
  }

  private Optional<Claimed> claim(String sliceId) {
    Optional<Doc> current = get(sliceId);
    if (current.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> s = current.get().source();
    Instant lease = Instant.parse((String) s.get("leaseUntil"));
    if (!"OPEN".equals(s.get("state")) || lease.isAfter(clock.instant())) {
      return Optional.empty();
    }
    Optional<Doc> run = get((String) s.get("runId"));
    if (run.isEmpty() || !"RUNNING".equals(run.get().source().get("state"))) {
      run.map(r -> (String) r.source().get("state")).filter(ENDED::contains)
          .ifPresent(state -> ended((String) s.get("runId")));
      return Optional.empty();
    }
    Optional<SliceWork> sliceWork = work.open(run.get().source());
    if (sliceWork.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> next = new LinkedHashMap<>(s);
    next.put("owner", instance);
    next.put("leaseUntil", clock.instant().plus(settings.lease()).toString());
    return write(current.get(), next).map(claimed -> new Claimed(claimed, run.get().source(), sliceWork.get()));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void process(Claimed claimed) throws InterruptedException {
    Doc slice = claimed.slice();
    String runId = (String) slice.source().get("runId");
    int k = (int) number(slice.source().get("slice"));
    Query query = claimed.work().query();
    int slices = (int) number(claimed.run().get("slices"));
    String pit = (String) claimed.run().get("pit");
    log.info("{} {}: slice {} claimed by {}", what, runId, k, instance);
    while (running) {
      List<Object> after = (List<Object>) slice.source().get("after");
      SearchResponse<Map> page;
      try {
        // The sources and versions as of the run's start: no further read is needed per page.
        page = calls.read("read contacts", () -> store.client().search(x -> {
          x.pit(p -> p.id(pit).keepAlive(t -> t.time(seconds(settings.pitKeepAlive()))))
              .size(settings.pageSize()).query(query).seqNoPrimaryTerm(true)
              .trackTotalHits(t -> t.enabled(false))
              .sort(o -> o.field(f -> f.field("_shard_doc")));
          if (slices > 1) {
            x.slice(sl -> sl.id(Integer.toString(k)).max(slices));
          }
          if (after != null) {
            x.searchAfter(after.stream().map(v -> FieldValue.of(((Number) v).longValue())).toList());
          }
          return x;
        }, Map.class));
      } catch (ElasticsearchException e) {
        if (e.status() == 404 && stillRunning(runId)) {
          restartExpired(runId);
          return;
        }
        throw e;
      }
      List<Hit<Map>> hits = page.hits().hits();
      Map<String, Object> next = new LinkedHashMap<>(slice.source());
      claimed.work().page(hits, next, parts);
      next.put("done", number(next.get("done")) + hits.size());
      if (!hits.isEmpty()) {
        next.put("after", hits.get(hits.size() - 1).sort().stream().map(FieldValue::longValue).toList());
      }
      boolean finished = hits.size() < settings.pageSize();
      next.put("state", finished ? "DONE" : "OPEN");
      next.put("leaseUntil", clock.instant().plus(settings.lease()).toString());
      next.put("updatedAt", clock.instant().toString());
      if (!running || Thread.currentThread().isInterrupted()) {
        return; // stopped mid-page: the page is redone by whoever resumes the slice
      }
      if (!stillRunning(runId)) {
        log.info("{} {}: slice {} stops, the run was cancelled", what, runId, k);
        return;
      }
      Optional<Doc> committed = write(slice, next);
      if (committed.isEmpty()) {
        log.warn("{} {}: slice {} was taken over (lease expired); leaving it", what, runId, k);
        return;
      }
      slice = committed.get();
      log.info("{} {}: slice {} at {} contacts", what, runId, k, next.get("done"));
      if (finished) {
        finishRunIfDone(runId);
        return;
      }
    }
  }

  private boolean stillRunning(String runId) {
    return get(runId).map(run -> "RUNNING".equals(run.source().get("state"))).orElse(false);
  }

  /**
   * The run's point in time expired (a run resumed long after it stopped): a new one may cut
   * slices differently, so every slice restarts from the start of the new one.
   */
  private void restartExpired(String runId) {
    Optional<Doc> run = get(runId);
    if (run.isEmpty()) {
      return;
    }
    String pit = openPointInTime();
    Map<String, Object> next = new LinkedHashMap<>(run.get().source());
    next.put("pit", pit);
    if (write(run.get(), next).isEmpty()) {
      return; // another instance restarted it
    }
    for (Doc slice : slices(runId)) {
      Map<String, Object> s = new LinkedHashMap<>(work.restarted(slice.source()));
      s.put("state", "OPEN");
      s.put("after", null);
      s.put("leaseUntil", Instant.EPOCH.toString());
      write(slice, s);
    }
    log.warn("{} {}: its point in time expired; every slice restarts on a new one", what, runId);
  }

  private void finishRunIfDone(String runId) {
    List<Doc> slices = slices(runId);
    if (slices.stream().allMatch(s -> "DONE".equals(s.source().get("state")))) {
      get(runId).ifPresent(run -> {
        // Every slice the run has, not only those found: a slice missing from the search (not
        // yet refreshed, or lost) would otherwise have its contacts skipped.
        if (!"RUNNING".equals(run.source().get("state"))
            || slices.size() != number(run.source().get("slices"))) {
          return;
        }
        Map<String, Object> next = new LinkedHashMap<>(run.source());
        next.put("state", "DONE");
        next.put("finishedAt", clock.instant().toString());
        if (write(run, next).isPresent()) {
          closePointInTime(runId, (String) run.source().get("pit"));
          log.info("{} {} done", what, runId);
        }
      });
    }
  }

  private String openPointInTime() {
    return calls.run("open point in time", () -> store.client().openPointInTime(p -> p
        .index(contacts).keepAlive(t -> t.time(seconds(settings.pitKeepAlive()))))).id();
  }

  private void closePointInTime(String runId, String pit) {
    try {
      store.client().closePointInTime(c -> c.id(pit));
    } catch (Exception e) {
      log.debug("closing the point in time of {} {}: {}", what, runId, e.toString());
    }
  }

  // ---- documents of the runs index ----

  private record Doc(String id, Map<String, Object> source, long seqNo, long primaryTerm) {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Optional<Doc> get(String id) {
    GetResponse<Map> found = calls.read("get " + what, () -> store.client().get(g -> g.index(index).id(id), Map.class));
    if (!found.found()) {
      return Optional.empty();
    }
    return Optional.of(new Doc(id, new LinkedHashMap<String, Object>(found.source()), found.seqNo(),
        found.primaryTerm()));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private List<Doc> slices(String runId) {
    calls.run("refresh runs", () -> store.client().indices().refresh(r -> r.index(index)));
    SearchResponse<Map> response = calls.read("read slices", () -> store.client().search(s -> s.index(index)
        .size(10_000).seqNoPrimaryTerm(true)
        .query(q -> q.bool(b -> b.filter(f -> f.term(t -> t.field("kind").value("slice")))
            .filter(f -> f.term(t -> t.field("runId").value(runId))))), Map.class));
    List<Doc> out = new ArrayList<>();
    for (Hit<Map> hit : response.hits().hits()) {
      out.add(new Doc(hit.id(), new LinkedHashMap<String, Object>(hit.source()), hit.seqNo(), hit.primaryTerm()));
    }
    return out;
  }

  /** A conditional write: empty when the document changed since {@code previous} was read. */
  private Optional<Doc> write(Doc previous, Map<String, Object> next) {
    try {
      var response = calls.run("write " + what, () -> store.client().index(i -> i.index(index).id(previous.id())
          .document(next).ifSeqNo(previous.seqNo()).ifPrimaryTerm(previous.primaryTerm())));
      return Optional.of(new Doc(previous.id(), next, response.seqNo(), response.primaryTerm()));
    } catch (ElasticsearchException e) {
      if (e.status() == 409) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** A count stored in a run's document (absent: 0). */
  public static long number(Object value) {
    return value instanceof Number n ? n.longValue() : 0L;
  }

  private static String seconds(Duration duration) {
    return Math.max(1, duration.toSeconds()) + "s";
  }
}
