package io.relais.engine.batch;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.relais.engine.audience.AudienceCondition;
import io.relais.engine.audience.Audiences;
import io.relais.engine.audience.PushDown;
import io.relais.engine.audience.PushedConditions;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.registry.RulesetVersion;
import io.relais.engine.store.ContactMerges;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.BulkApplier;
import io.relais.engine.store.EventRecorder;
import io.relais.engine.store.StoreCalls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch runs (docs/batch.md), on the protocol of {@link SlicedRuns}: the run's slices are shared
 * between instances and resumed after a crash; each page is applied with {@link BulkApplier}
 * (one bulk of event documents, one bulk of conditional contact writes that also record the
 * run's event id in each contact). A contact carrying the run's event id replays, so a page redone
 * after a crash (its position was not committed) applies nobody twice; a contact changed meanwhile
 * by a live event fails its conditional write and is read and evaluated again, never overwritten.
 */
public final class BatchRuns implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BatchRuns.class);
  private static final int MAX_ERROR_SAMPLES = 10;

  /** The named ruleset has no active version. */
  public static final class UnknownRulesetException extends RuntimeException {
    public UnknownRulesetException(String message) {
      super(message);
    }
  }

  private final RulesetRegistry registry;
  private final BulkApplier applier;
  private final Audiences audiences;
  private final PushedConditions conditions = new PushedConditions(100);
  private final BatchSettings settings;
  private final SlicedRuns runs;

  public BatchRuns(ElasticsearchStore store, StoreCalls calls, RulesetRegistry registry, BulkApplier applier,
      Clock clock, BatchSettings settings) {
    this.registry = registry;
    this.applier = applier;
    this.audiences = new Audiences(store, calls);
    this.settings = settings;
    this.runs = new SlicedRuns(store, calls, clock, settings, "batch-runs", audiences.index(), "Batch run",
        this::open);
  }

  /** Creates the runs index if it is missing. */
  public void ensureIndex() {
    runs.ensureIndex();
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
    runs.ensureIndex();
    // A search first: the point in time opened next is a view of every contact written before.
    // With a residual (docs/audiences.md), the total is the residual count: a scan of the candidates.
    long total = audiences.count(plan, version.compiled().checked());
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("ruleset", version.name());
    run.put("version", version.version());
    run.put("event", eventType);
    run.put("filter", filter);
    run.put("total", total);
    String id = runs.create(run, emptyCounts());
    log.info("Batch run {} started: ruleset {} v{}, event {}, {} contacts in {} slices", id, version.name(),
        version.version(), eventType, total, settings.slices());
    return status(id).orElseThrow();
  }

  private static Map<String, Object> emptyCounts() {
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("done", 0L);
    counts.put("applied", 0L);
    counts.put("replayed", 0L);
    counts.put("errors", 0L);
    counts.put("errorSamples", List.of());
    counts.put("decisions", Map.of());
    return counts;
  }

  /**
   * The filter's plan: a store query over which the run's slices page, and maybe a residual
   * that each page's contacts must pass before they are evaluated (docs/audiences.md). Aliases
   * are left out: a merged person is evaluated once, as the contact merged into.
   */
  private PushDown.Plan filter(RulesetVersion version, String filter) {
    PushDown.Plan plan = filter == null || filter.isBlank()
        ? new PushDown.Plan(Query.of(q -> q.matchAll(m -> m)), Optional.empty(), java.util.Set.of())
        : conditions.plan(version, filter);
    return new PushDown.Plan(ContactMerges.people(plan.query()), plan.residual(), plan.reads());
  }

  /** Whether {@code id} can name a run: 12 lower-case hex digits, as {@link #start} makes them. */
  public static boolean isValidId(String id) {
    return SlicedRuns.isValidId(id);
  }

  /**
   * The run's status, summed over its slices; empty for an unknown id, and for an id no run can
   * have without asking the store (an id of thousands of characters is an HTTP line too long).
   */
  @SuppressWarnings("unchecked")
  public Optional<BatchRunStatus> status(String id) {
    Optional<SlicedRuns.Run> found = runs.read(id);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> run = found.get().run();
    long done = 0;
    long applied = 0;
    long replayed = 0;
    long errors = 0;
    int slicesDone = 0;
    List<String> samples = new ArrayList<>();
    Map<String, Long> decisions = new TreeMap<>();
    Instant updated = Instant.parse((String) run.get("createdAt"));
    for (Map<String, Object> s : found.get().slices()) {
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
        found.get().slices().size(), slicesDone));
  }

  // ---- executing ----

  /** Starts this instance's worker: it claims open slices of running runs until {@link #close()}. */
  public void startWorker() {
    runs.startWorker();
  }

  /** Stops the worker at once: the slice in progress keeps its lease and is resumed when it expires. */
  @Override
  public void close() {
    runs.close();
  }

  /** Claims one slice that nobody holds (or whose lease expired) and works it to its end. */
  boolean claimAndProcessOne() throws InterruptedException {
    return runs.claimAndProcessOne();
  }

  // A slice of a run whose pinned version this instance cannot read is left to others.
  private Optional<SlicedRuns.SliceWork> open(Map<String, Object> run) {
    Optional<RulesetVersion> version = registry.compiled((String) run.get("ruleset"), (int) number(run.get("version")));
    if (version.isEmpty()) {
      return Optional.empty();
    }
    CompiledRuleset compiled = version.get().compiled();
    PushDown.Plan plan = filter(version.get(), (String) run.get("filter"));
    Query query = plan.query();
    // Slices page over the store query's candidates and their position is the page's last
    // candidate: a contact the residual leaves out is skipped, and a resumed slice neither
    // applies a contact twice nor skips one (docs/audiences.md, "Residual scans").
    Optional<Audiences.Residual> residual = plan.residual().isEmpty() ? Optional.empty()
        : Optional.of(Audiences.residual(plan, version.get().compiled().checked()));
    Event event = new Event("batch-" + run.get("runId"), (String) run.get("event"),
        Instant.parse((String) run.get("createdAt")), Map.of());
    return Optional.of(new SlicedRuns.SliceWork() {
      @Override
      public Query query() {
        return query;
      }

      @Override
      @SuppressWarnings("rawtypes")
      public void page(List<Hit<Map>> hits, Map<String, Object> next, ExecutorService parts) {
        applyPage(residual.isEmpty() ? hits : hits.stream()
            .filter(h -> residual.get().test(source(h))).toList(), event, compiled, next, parts);
      }
    });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Map<String, Object> source(Hit<Map> hit) {
    return (Map<String, Object>) hit.source();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void applyPage(List<Hit<Map>> hits, Event event, CompiledRuleset compiled, Map<String, Object> next,
      ExecutorService parts) {
    // One page, one bulk of event documents and one bulk of contact writes (BulkApplier); the
    // evaluation is cut into `threads` parts.
    List<BulkApplier.Snapshot> page = new ArrayList<>();
    for (Hit<Map> hit : hits) {
      page.add(new BulkApplier.Snapshot(hit.id(), (Map<String, Object>) hit.source(),
          hit.seqNo() == null ? -1 : hit.seqNo(), hit.primaryTerm() == null ? -1 : hit.primaryTerm()));
    }
    List<BulkApplier.Result> results = applier.apply(page, event, compiled, settings.threads(), parts);
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
    next.put("applied", number(next.get("applied")) + applied);
    next.put("replayed", number(next.get("replayed")) + replayed);
    next.put("errors", number(next.get("errors")) + errors);
    next.put("errorSamples", samples);
    next.put("decisions", decisions);
  }

  private static long number(Object value) {
    return SlicedRuns.number(value);
  }
}
