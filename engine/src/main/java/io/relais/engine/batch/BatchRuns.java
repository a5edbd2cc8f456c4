package io.relais.engine.batch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.relais.engine.audience.AudienceCondition;
import io.relais.engine.audience.Audiences;
import io.relais.engine.audience.PushDown;
import io.relais.engine.audience.PushedConditions;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.fair.Callers;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.registry.RulesetVersion;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.BulkApplier;
import io.relais.engine.store.EventRecorder;
import io.relais.engine.store.StoreCalls;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch runs (docs/batch.md). A run and its slices are documents of the {@code batch-runs}
 * index, so every instance sees and shares them: an instance claims an open slice whose lease
 * expired with a conditional write ({@code if_seq_no}), reads its contacts page by page from the
 * run's point in time ({@code slice} + {@code search_after} on {@code _shard_doc}, sources and
 * versions included), applies each page with {@link BulkApplier} (one bulk of event documents,
 * one bulk of conditional contact writes that also record the run's event id in each contact),
 * and commits the page's position and counts with another conditional write that also renews
 * its lease. A contact carrying the run's event id replays, so a page redone after a crash (its
 * position was not committed) applies nobody twice; a contact changed meanwhile by a live event
 * fails its conditional write and is read and evaluated again, never overwritten.
 */
public final class BatchRuns implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BatchRuns.class);
  private static final int MAX_ERROR_SAMPLES = 10;
  /** A run's id: the first 12 hex digits of a random UUID (start). */
  private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{12}");
  private static final String MAPPING = """
      {"dynamic": false, "properties": {"kind": {"type": "keyword"}, "runId": {"type": "keyword"},
       "state": {"type": "keyword"}, "owner": {"type": "keyword"}, "leaseUntil": {"type": "date"},
       "createdAt": {"type": "date"}}}""";

  /** The named ruleset has no active version. */
  public static final class UnknownRulesetException extends RuntimeException {
    public UnknownRulesetException(String message) {
      super(message);
    }
  }

  private final ElasticsearchStore store;
  private final StoreCalls calls;
  private final RulesetRegistry registry;
  private final BulkApplier applier;
  private final Audiences audiences;
  private final PushedConditions conditions = new PushedConditions(100);
  private final Clock clock;
  private final BatchSettings settings;
  private final String instance = UUID.randomUUID().toString();
  private final String index;
  private ExecutorService worker;
  private ExecutorService appliers;
  private volatile boolean running;

  public BatchRuns(ElasticsearchStore store, StoreCalls calls, RulesetRegistry registry, BulkApplier applier,
      Clock clock, BatchSettings settings) {
    this.store = store;
    this.calls = calls;
    this.registry = registry;
    this.applier = applier;
    this.audiences = new Audiences(store, calls);
    this.clock = clock;
    this.settings = settings;
    this.index = store.settings().index("batch-runs");
  }

  /** Creates the runs index if it is missing. */
  public void ensureIndex() {
    boolean exists = calls.run("exists " + index, () -> store.client().indices().exists(e -> e.index(index)).value());
    if (!exists) {
      try {
        calls.run("create " + index, () -> store.client().indices().create(c -> c.index(index)
            .mappings(m -> m.withJson(new ByteArrayInputStream(MAPPING.getBytes(StandardCharsets.UTF_8))))));
      } catch (ElasticsearchException e) {
        if (!"resource_already_exists_exception".equals(e.error().type())) {
          throw e;
        }
      }
    }
  }

  // ---- starting and reading runs ----

  /**
   * Starts a run of the active version of {@code ruleset} with events of type {@code eventType}
   * over the contacts meeting {@code filter} (all when null).
   *
   * @throws UnknownRulesetException when the ruleset has no active version
   * @throws IllegalArgumentException when the event type is not in the ruleset's vocabulary
   * @throws AudienceCondition.InvalidConditionException or
   *     {@link io.relais.engine.audience.NotPushableException} for a bad filter
   */
  public BatchRunStatus start(String ruleset, String eventType, String filter) {
    RulesetVersion version = registry.active(ruleset)
        .orElseThrow(() -> new UnknownRulesetException("No active ruleset named \"" + ruleset + "\"."));
    if (version.compiled().checked().vocabulary().eventType(eventType).isEmpty()) {
      throw new IllegalArgumentException("Unknown event type \"" + eventType + "\" in ruleset \"" + ruleset + "\".");
    }
    PushDown.Plan plan = filter(version, filter);
    Query query = plan.query();
    ensureIndex();
    // A search first: the contacts index refreshes when searched (docs/store.md), so the point
    // in time opened next is a view of every contact written before the run started.
    long total = audiences.count(plan, version.compiled().checked());
    String pit = calls.run("open point in time", () -> store.client().openPointInTime(p -> p
        .index(audiences.index()).keepAlive(t -> t.time(seconds(settings.pitKeepAlive()))))).id();
    String id = UUID.randomUUID().toString().substring(0, 13).replace("-", ""); // RUN_ID
    Instant now = clock.instant();
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("kind", "run");
    run.put("runId", id);
    run.put("ruleset", version.name());
    run.put("version", version.version());
    run.put("event", eventType);
    run.put("filter", filter);
    run.put("state", "RUNNING");
    run.put("total", total);
    run.put("slices", settings.slices());
    run.put("pit", pit);
    run.put("createdAt", now.toString());
    calls.run("create run", () -> store.client().create(c -> c.index(index).id(id).document(run)
        .refresh(Refresh.WaitFor)));
    for (int k = 0; k < settings.slices(); k++) {
      Map<String, Object> slice = newSlice(id, k);
      String sliceId = id + ":" + k;
      calls.run("create slice", () -> store.client().create(c -> c.index(index).id(sliceId).document(slice)
          .refresh(Refresh.WaitFor)));
    }
    log.info("Batch run {} started: ruleset {} v{}, event {}, {} contacts in {} slices", id, version.name(),
        version.version(), eventType, total, settings.slices());
    return status(id).orElseThrow();
  }

  private static Map<String, Object> newSlice(String runId, int k) {
    Map<String, Object> slice = new LinkedHashMap<>();
    slice.put("kind", "slice");
    slice.put("runId", runId);
    slice.put("slice", k);
    slice.put("state", "OPEN");
    slice.put("owner", null);
    slice.put("leaseUntil", Instant.EPOCH.toString());
    slice.put("after", null);
    slice.put("done", 0L);
    slice.put("applied", 0L);
    slice.put("replayed", 0L);
    slice.put("errors", 0L);
    slice.put("errorSamples", List.of());
    slice.put("decisions", Map.of());
    return slice;
  }

  /**
   * The filter's plan: a store query over which the run's slices page, and maybe a residual
   * that each page's contacts must pass before they are evaluated (docs/audiences.md).
   */
  private PushDown.Plan filter(RulesetVersion version, String filter) {
    return filter == null || filter.isBlank()
        ? new PushDown.Plan(Query.of(q -> q.matchAll(m -> m)), Optional.empty(), java.util.Set.of())
        : conditions.plan(version, filter);
  }

  /** Whether {@code id} can name a run: 12 lower-case hex digits, as {@link #start} makes them. */
  public static boolean isValidId(String id) {
    return id != null && RUN_ID.matcher(id).matches();
  }

  /**
   * The run's status, summed over its slices; empty for an unknown id, and for an id no run can
   * have without asking the store (an id of thousands of characters is an HTTP line too long).
   */
  @SuppressWarnings("unchecked")
  public Optional<BatchRunStatus> status(String id) {
    if (!isValidId(id)) {
      return Optional.empty();
    }
    Optional<Doc> found = get(id);
    if (found.isEmpty() || !"run".equals(found.get().source().get("kind"))) {
      return Optional.empty();
    }
    Map<String, Object> run = found.get().source();
    List<Doc> slices = slices(id);
    long done = 0;
    long applied = 0;
    long replayed = 0;
    long errors = 0;
    int slicesDone = 0;
    List<String> samples = new ArrayList<>();
    Map<String, Long> decisions = new TreeMap<>();
    Instant updated = Instant.parse((String) run.get("createdAt"));
    for (Doc slice : slices) {
      Map<String, Object> s = slice.source();
      done += number(s.get("done"));
      applied += number(s.get("applied"));
      replayed += number(s.get("replayed"));
      errors += number(s.get("errors"));
      slicesDone += "DONE".equals(s.get("state")) ? 1 : 0;
      for (Object sample : (List<Object>) s.getOrDefault("errorSamples", List.of())) {
        if (samples.size() < MAX_ERROR_SAMPLES) {
          samples.add(String.valueOf(sample));
        }
      }
      ((Map<String, Object>) s.getOrDefault("decisions", Map.of()))
          .forEach((type, n) -> decisions.merge(type, number(n), Long::sum));
      if (s.get("updatedAt") instanceof String at && Instant.parse(at).isAfter(updated)) {
        updated = Instant.parse(at);
      }
    }
    Instant created = Instant.parse((String) run.get("createdAt"));
    double seconds = Math.max(0.001, Duration.between(created, updated).toMillis() / 1000.0);
    return Optional.of(new BatchRunStatus(id, (String) run.get("ruleset"), (int) number(run.get("version")),
        (String) run.get("event"), (String) run.get("filter"), (String) run.get("state"), number(run.get("total")),
        done, applied, replayed, errors, samples, decisions, done == 0 ? 0 : done / seconds, created, updated,
        slices.size(), slicesDone));
  }

  // ---- executing ----

  /** Starts this instance's worker: it claims open slices of running runs until {@link #close()}. */
  public synchronized void startWorker() {
    if (running) {
      return;
    }
    ensureIndex();
    running = true;
    appliers = Executors.newFixedThreadPool(settings.threads() * settings.concurrentSlices(),
        r -> new Thread(asBatch(r), "batch-apply"));
    worker = Executors.newFixedThreadPool(settings.concurrentSlices(), r -> new Thread(asBatch(r), "batch-worker"));
    for (int i = 0; i < settings.concurrentSlices(); i++) {
      worker.submit(this::work);
    }
  }

  // Batch runs share the store's calls in flight as one background caller of their own, so a
  // large run takes no more than its share from the requests (docs/operations.md).
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
      appliers.shutdownNow();
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
        log.warn("Batch worker: {}", e.toString());
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
    SearchResponse<Void> open = calls.run("find slices", () -> store.client().search(s -> s.index(index).size(50)
        .query(q -> q.bool(b -> b.filter(f -> f.term(t -> t.field("kind").value("slice")))
            .filter(f -> f.term(t -> t.field("state").value("OPEN")))
            .filter(f -> f.range(r -> r.date(d -> d.field("leaseUntil").lt(clock.instant().toString())))))),
        Void.class));
    for (Hit<Void> hit : open.hits().hits()) {
      Optional<Doc> claimed = claim(hit.id());
      if (claimed.isPresent()) {
        process(claimed.get());
        return true;
      }
    }
    return false;
  }

  private Optional<Doc> claim(String sliceId) {
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
    if (run.isEmpty() || !"RUNNING".equals(run.get().source().get("state"))
        || registryVersion(run.get().source()).isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> next = new LinkedHashMap<>(s);
    next.put("owner", instance);
    next.put("leaseUntil", clock.instant().plus(settings.lease()).toString());
    return write(current.get(), next);
  }

  private Optional<RulesetVersion> registryVersion(Map<String, Object> run) {
    int version = (int) number(run.get("version"));
    return registry.compiled((String) run.get("ruleset"), version);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void process(Doc claimed) throws InterruptedException {
    Doc slice = claimed;
    Map<String, Object> s = slice.source();
    String runId = (String) s.get("runId");
    int k = (int) number(s.get("slice"));
    Map<String, Object> run = get(runId).orElseThrow().source();
    RulesetVersion version = registryVersion(run).orElseThrow();
    CompiledRuleset compiled = version.compiled();
    PushDown.Plan plan = filter(version, (String) run.get("filter"));
    Query query = plan.query();
    // The page and its position are the store query's candidates: a contact the residual
    // leaves out is skipped, and the slice resumes after the page as it would without one.
    Optional<Audiences.Residual> residual = plan.residual().isEmpty() ? Optional.empty()
        : Optional.of(Audiences.residual(plan, version.compiled().checked()));
    Event event = new Event("batch-" + runId, (String) run.get("event"), Instant.parse((String) run.get("createdAt")),
        Map.of());
    int slices = (int) number(run.get("slices"));
    String pit = (String) run.get("pit");
    log.info("Batch run {}: slice {} claimed by {}", runId, k, instance);
    while (running) {
      List<Object> after = (List<Object>) slice.source().get("after");
      SearchResponse<Map> page;
      try {
        // The sources and versions as of the run's start: a contact changed since only costs a
        // conflict and a real-time read (BulkApplier), so no further read is needed per page.
        page = calls.run("read contacts", () -> store.client().search(x -> {
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
        if (e.status() == 404) {
          restartExpired(runId);
          return;
        }
        throw e;
      }
      List<Hit<Map>> hits = page.hits().hits();
      Map<String, Object> next = new LinkedHashMap<>(slice.source());
      applyPage(residual.isEmpty() ? hits
          : hits.stream().filter(h -> residual.get().test((Map<String, Object>) h.source())).toList(),
          event, compiled, next);
      if (!hits.isEmpty()) {
        next.put("after", hits.get(hits.size() - 1).sort().stream().map(FieldValue::longValue).toList());
      }
      boolean finished = hits.size() < settings.pageSize();
      next.put("state", finished ? "DONE" : "OPEN");
      next.put("leaseUntil", clock.instant().plus(settings.lease()).toString());
      next.put("updatedAt", clock.instant().toString());
      if (!running || Thread.currentThread().isInterrupted()) {
        return; // stopped mid-page: the page is redone (and replays) by whoever resumes the slice
      }
      Optional<Doc> committed = write(slice, next);
      if (committed.isEmpty()) {
        log.warn("Batch run {}: slice {} was taken over (lease expired); leaving it", runId, k);
        return;
      }
      slice = committed.get();
      log.info("Batch run {}: slice {} at {} contacts ({} applied, {} replayed, {} errors)", runId, k,
          next.get("done"), next.get("applied"), next.get("replayed"), next.get("errors"));
      if (finished) {
        finishRunIfDone(runId);
        return;
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void applyPage(List<Hit<Map>> hits, Event event, CompiledRuleset compiled, Map<String, Object> next) {
    // One page, one bulk of event documents and one bulk of contact writes (BulkApplier); the
    // evaluation is cut into `threads` parts.
    List<BulkApplier.Snapshot> page = new ArrayList<>();
    for (Hit<Map> hit : hits) {
      page.add(new BulkApplier.Snapshot(hit.id(), (Map<String, Object>) hit.source(),
          hit.seqNo() == null ? -1 : hit.seqNo(), hit.primaryTerm() == null ? -1 : hit.primaryTerm()));
    }
    List<BulkApplier.Result> results = applier.apply(page, event, compiled, settings.threads(), appliers);
    Map<String, Object> decisions = new TreeMap<>((Map<String, Object>) next.getOrDefault("decisions", Map.of()));
    List<Object> samples = new ArrayList<>((List<Object>) next.getOrDefault("errorSamples", List.of()));
    long applied = 0;
    long replayed = 0;
    long errors = 0;
    for (BulkApplier.Result result : results) {
      if (result.error() != null) {
        errors++;
        if (samples.size() < MAX_ERROR_SAMPLES) {
          samples.add(result.contactId() + ": " + result.error());
        }
        log.warn("Batch contact {} failed: {}", result.contactId(), result.error().toString());
        continue;
      }
      if (result.outcome().isEmpty()) {
        continue; // deleted since the page was read
      }
      EventRecorder.Outcome outcome = result.outcome().get();
      if (outcome.replayed()) {
        replayed++;
        continue;
      }
      applied++;
      if (outcome.decision().get("decisions") instanceof List<?> list) {
        for (Object d : list) {
          if (d instanceof Map<?, ?> m && m.get("type") instanceof String type) {
            decisions.merge(type, 1L, (a, b) -> number(a) + number(b));
          }
        }
      }
    }
    next.put("done", number(next.get("done")) + hits.size());
    next.put("applied", number(next.get("applied")) + applied);
    next.put("replayed", number(next.get("replayed")) + replayed);
    next.put("errors", number(next.get("errors")) + errors);
    next.put("errorSamples", samples);
    next.put("decisions", decisions);
  }

  /**
   * The run's point in time expired (a run resumed long after it stopped): a new one may cut
   * slices differently, so every slice restarts from the start of the new one; contacts already
   * applied replay.
   */
  private void restartExpired(String runId) {
    Optional<Doc> run = get(runId);
    if (run.isEmpty()) {
      return;
    }
    String pit = calls.run("open point in time", () -> store.client().openPointInTime(p -> p
        .index(audiences.index()).keepAlive(t -> t.time(seconds(settings.pitKeepAlive()))))).id();
    Map<String, Object> next = new LinkedHashMap<>(run.get().source());
    next.put("pit", pit);
    if (write(run.get(), next).isEmpty()) {
      return; // another instance restarted it
    }
    for (Doc slice : slices(runId)) {
      Map<String, Object> s = new LinkedHashMap<>(slice.source());
      s.put("state", "OPEN");
      s.put("after", null);
      s.put("leaseUntil", Instant.EPOCH.toString());
      write(slice, s);
    }
    log.warn("Batch run {}: its point in time expired; every slice restarts on a new one", runId);
  }

  private void finishRunIfDone(String runId) {
    List<Doc> slices = slices(runId);
    if (slices.stream().allMatch(s -> "DONE".equals(s.source().get("state")))) {
      get(runId).ifPresent(run -> {
        Map<String, Object> next = new LinkedHashMap<>(run.source());
        next.put("state", "DONE");
        next.put("finishedAt", clock.instant().toString());
        if (write(run, next).isPresent()) {
          String pit = (String) run.source().get("pit");
          try {
            store.client().closePointInTime(c -> c.id(pit));
          } catch (Exception e) {
            log.debug("closing the point in time of run {}: {}", runId, e.toString());
          }
          log.info("Batch run {} done", runId);
        }
      });
    }
  }

  // ---- documents of the runs index ----

  private record Doc(String id, Map<String, Object> source, long seqNo, long primaryTerm) {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Optional<Doc> get(String id) {
    GetResponse<Map> found = calls.run("get batch run", () -> store.client().get(g -> g.index(index).id(id), Map.class));
    if (!found.found()) {
      return Optional.empty();
    }
    return Optional.of(new Doc(id, new LinkedHashMap<String, Object>(found.source()), found.seqNo(),
        found.primaryTerm()));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private List<Doc> slices(String runId) {
    calls.run("refresh runs", () -> store.client().indices().refresh(r -> r.index(index)));
    SearchResponse<Map> response = calls.run("read slices", () -> store.client().search(s -> s.index(index)
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
      var response = calls.run("write batch run", () -> store.client().index(i -> i.index(index).id(previous.id())
          .document(next).ifSeqNo(previous.seqNo()).ifPrimaryTerm(previous.primaryTerm())));
      return Optional.of(new Doc(previous.id(), next, response.seqNo(), response.primaryTerm()));
    } catch (ElasticsearchException e) {
      if (e.status() == 409) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : 0L;
  }

  private static String seconds(Duration duration) {
    return Math.max(1, duration.toSeconds()) + "s";
  }
}
