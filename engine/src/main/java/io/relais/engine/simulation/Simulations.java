package io.relais.engine.simulation;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.engine.audience.AudienceCondition;
import io.relais.engine.audience.Audiences;
import io.relais.engine.audience.PushedConditions;
import io.relais.engine.batch.BatchRuns;
import io.relais.engine.batch.BatchSettings;
import io.relais.engine.batch.SlicedRuns;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.registry.RulesetVersion;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.DecisionJson;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.EventLog;
import io.relais.engine.store.PendingEvent;
import io.relais.engine.store.StoreCalls;
import io.relais.engine.store.StoreIndices;
import io.relais.engine.store.StoredContact;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulations (docs/simulations.md): for every stored contact meeting a filter with events in a
 * period, those events replayed in order from the contact's state at the period's start, once
 * with the active version and once with a candidate, in memory; what each decided and left is
 * counted. Nothing stored changes. Runs on the batch-run protocol ({@link SlicedRuns}): slices
 * shared between instances, resumed after a crash, progress in the store, cancellable; the
 * counts are kept in the slices' documents and summed when read.
 */
public final class Simulations implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Simulations.class);
  /** Fields of the contact's JSON the rules manage: reset before the history is replayed. */
  private static final Set<String> RULE_STATE = Set.of("score", "stage", "tags", "segments", "tier", "ledger",
      "enrollments", "alerts", "messages", "lastActivityAt");
  /** Events read per request of a page's history. */
  private static final int EVENTS_PER_READ = 10_000;
  /** Candidates given as files kept compiled, by simulation. */
  private static final int CANDIDATES_KEPT = 8;
  /** The order events are replayed in: by {@code at}, then as they were recorded. */
  private static final Comparator<PendingEvent> ORDER = Comparator.comparing(PendingEvent::at)
      .thenComparing(PendingEvent::recordedAt).thenComparing(PendingEvent::eventId);

  /** The candidate has errors: nothing runs. */
  public static final class InvalidCandidateException extends RuntimeException {
    private final transient List<Diagnostic> diagnostics;

    public InvalidCandidateException(List<Diagnostic> diagnostics) {
      super("The candidate has errors.");
      this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
      return diagnostics;
    }
  }

  /** The candidate names a version the ruleset does not have. */
  public static final class UnknownVersionException extends RuntimeException {
    public UnknownVersionException(String message) {
      super(message);
    }
  }

  /** The candidate: the files of a version not stored, or a stored version's number. */
  public record Candidate(Map<String, String> files, Integer version) {
    public Candidate {
      if ((files == null) == (version == null)) {
        throw new IllegalArgumentException("A candidate is either files or a stored version.");
      }
      files = files == null ? null : Map.copyOf(files);
    }
  }

  private final StoreCalls calls;
  private final ElasticsearchStore store;
  private final StoreIndices indices;
  private final ContactStore contacts;
  private final RulesetRegistry registry;
  private final Audiences audiences;
  private final PushedConditions conditions = new PushedConditions(100);
  private final SlicedRuns runs;
  private final Map<String, Replayer> candidates = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Replayer> eldest) {
      return size() > CANDIDATES_KEPT;
    }
  };

  public Simulations(ElasticsearchStore store, StoreCalls calls, StoreIndices indices, ContactStore contacts,
      RulesetRegistry registry, Clock clock, BatchSettings settings) {
    this.store = store;
    this.calls = calls;
    this.indices = indices;
    this.contacts = contacts;
    this.registry = registry;
    this.audiences = new Audiences(store, calls);
    this.runs = new SlicedRuns(store, calls, clock, settings, "simulations", indices.contacts(), "Simulation",
        new SlicedRuns.Work() {
          @Override
          public Optional<SlicedRuns.SliceWork> open(Map<String, Object> run) {
            return Simulations.this.open(run);
          }

          @Override
          public Map<String, Object> restarted(Map<String, Object> slice) {
            // Pages are worked again from the start of a new point in time: count them once.
            Map<String, Object> fresh = new LinkedHashMap<>(slice);
            fresh.putAll(emptyCounts());
            return fresh;
          }
        });
  }

  /** Creates the simulations index if it is missing. */
  public void ensureIndex() {
    runs.ensureIndex();
  }

  /**
   * Starts a simulation of {@code ruleset}'s active version against {@code candidate} over the
   * events of [{@code from}, {@code until}) of the contacts meeting {@code filter} (all when null).
   *
   * @throws BatchRuns.UnknownRulesetException when the ruleset has no active version
   * @throws UnknownVersionException when the candidate names a version not stored
   * @throws InvalidCandidateException when the candidate's files have errors (nothing runs)
   * @throws IllegalArgumentException when the period is empty
   * @throws AudienceCondition.InvalidConditionException or
   *     {@link io.relais.engine.audience.NotPushableException} for a bad filter
   * @throws io.relais.engine.registry.RulesetTooLargeException for files over the limits
   */
  public SimulationStatus start(String ruleset, Candidate candidate, Instant from, Instant until, String filter) {
    if (!from.isBefore(until)) {
      throw new IllegalArgumentException("The period is empty: \"from\" must be before \"until\".");
    }
    RulesetVersion active = registry.active(ruleset)
        .orElseThrow(() -> new BatchRuns.UnknownRulesetException("No active ruleset named \"" + ruleset + "\"."));
    List<Diagnostic> warnings;
    if (candidate.files() != null) {
      CheckResult checked = registry.validate(ruleset, candidate.files());
      if (checked.ruleset().isEmpty()) {
        throw new InvalidCandidateException(checked.diagnostics());
      }
      warnings = checked.diagnostics();
    } else {
      warnings = registry.compiled(ruleset, candidate.version()).orElseThrow(() -> new UnknownVersionException(
          "Ruleset \"" + ruleset + "\" has no version " + candidate.version() + ".")).warnings();
    }
    Query query = filter(active, filter);
    runs.ensureIndex();
    // Contacts written just before (their first event a moment ago) are in the simulation: the
    // index is refreshed first, as a shard that is not search-idle only refreshes every second.
    calls.run("refresh " + indices.contacts(),
        () -> store.client().indices().refresh(r -> r.index(indices.contacts())));
    long total = audiences.count(query);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("ruleset", active.name());
    fields.put("activeVersion", active.version());
    fields.put("candidateVersion", candidate.version());
    fields.put("candidateFiles", candidate.files());
    fields.put("candidateWarnings", warnings.stream().map(Simulations::warning).toList());
    fields.put("from", from.toString());
    fields.put("until", until.toString());
    fields.put("filter", filter);
    fields.put("total", total);
    String id = runs.create(fields, emptyCounts());
    log.info("Simulation {} started: ruleset {} v{} against {}, {} to {}, {} contacts", id, active.name(),
        active.version(), candidate.version() == null ? "files" : "v" + candidate.version(), from, until, total);
    return status(id).orElseThrow();
  }

  private static Map<String, Object> warning(Diagnostic d) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("file", d.span().file());
    out.put("line", d.span().line());
    out.put("column", d.span().column());
    out.put("code", d.code());
    out.put("message", d.message());
    return out;
  }

  private static Map<String, Object> emptyCounts() {
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("done", 0L);
    counts.put("tally", new SimulationTally().toDocument());
    return counts;
  }

  // Aliases are left out: a merged person is replayed once, as the contact merged into.
  private Query filter(RulesetVersion version, String filter) {
    return io.relais.engine.store.ContactMerges.people(filter == null || filter.isBlank()
        ? Query.of(q -> q.matchAll(m -> m)) : conditions.query(version, filter));
  }

  /** Whether {@code id} can name a simulation. */
  public static boolean isValidId(String id) {
    return SlicedRuns.isValidId(id);
  }

  /** The simulation's progress and result so far; empty for an unknown id. */
  public Optional<SimulationStatus> status(String id) {
    return runs.read(id).map(Simulations::status);
  }

  /** Cancels a running simulation (its counts so far stay readable); empty for an unknown id. */
  public Optional<SimulationStatus> cancel(String id) {
    return runs.cancel(id).map(Simulations::status);
  }

  @SuppressWarnings("unchecked")
  private static SimulationStatus status(SlicedRuns.Run found) {
    Map<String, Object> run = found.run();
    SimulationTally tally = new SimulationTally();
    long done = 0;
    int slicesDone = 0;
    Instant created = Instant.parse((String) run.get("createdAt"));
    Instant updated = created;
    for (Map<String, Object> s : found.slices()) {
      done += SlicedRuns.number(s.get("done"));
      slicesDone += "DONE".equals(s.get("state")) ? 1 : 0;
      tally.add(SimulationTally.fromDocument(s.get("tally")));
      if (s.get("updatedAt") instanceof String at && Instant.parse(at).isAfter(updated)) {
        updated = Instant.parse(at);
      }
    }
    double seconds = Math.max(0.001, Duration.between(created, updated).toMillis() / 1000.0);
    List<SimulationStatus.Warning> warnings = new ArrayList<>();
    for (Object w : (List<Object>) run.getOrDefault("candidateWarnings", List.of())) {
      Map<String, Object> m = (Map<String, Object>) w;
      warnings.add(new SimulationStatus.Warning((String) m.get("file"), (int) SlicedRuns.number(m.get("line")),
          (int) SlicedRuns.number(m.get("column")), (String) m.get("code"), (String) m.get("message")));
    }
    Object candidateVersion = run.get("candidateVersion");
    return new SimulationStatus(found.id(), (String) run.get("ruleset"),
        (int) SlicedRuns.number(run.get("activeVersion")),
        candidateVersion instanceof Number n ? n.intValue() : null, Instant.parse((String) run.get("from")),
        Instant.parse((String) run.get("until")), (String) run.get("filter"), (String) run.get("state"),
        SlicedRuns.number(run.get("total")), done, tally.contacts, tally.events, tally.startsCorrected,
        tally.errors, tally.errorSamples, tally.events == 0 ? 0 : tally.events / seconds, created, updated,
        found.slices().size(), slicesDone, warnings, tally.result());
  }

  /** Starts this instance's worker: it claims open slices of running simulations until {@link #close()}. */
  public void startWorker() {
    runs.startWorker();
  }

  /** Stops the worker at once: the slice in progress is resumed elsewhere when its lease ends. */
  @Override
  public void close() {
    runs.close();
  }

  // ---- working a slice ----

  @SuppressWarnings("unchecked")
  private Optional<SlicedRuns.SliceWork> open(Map<String, Object> run) {
    String ruleset = (String) run.get("ruleset");
    Optional<RulesetVersion> active = registry.compiled(ruleset, (int) SlicedRuns.number(run.get("activeVersion")));
    if (active.isEmpty()) {
      return Optional.empty();
    }
    Optional<Replayer> candidate = candidate((String) run.get("runId"), ruleset, run);
    if (candidate.isEmpty()) {
      return Optional.empty();
    }
    Query query = filter(active.get(), (String) run.get("filter"));
    Page page = new Page(new Replayer(active.get().compiled()), candidate.get(),
        Instant.parse((String) run.get("from")), Instant.parse((String) run.get("until")),
        Instant.parse((String) run.get("createdAt")), new ConcurrentHashMap<>());
    return Optional.of(new SlicedRuns.SliceWork() {
      @Override
      public Query query() {
        return query;
      }

      @Override
      @SuppressWarnings("rawtypes")
      public void page(List<Hit<Map>> hits, Map<String, Object> next, ExecutorService parts) {
        SimulationTally tally = SimulationTally.fromDocument(next.get("tally"));
        tally.add(simulate(hits, page, parts));
        next.put("tally", tally.toDocument());
      }
    });
  }

  @SuppressWarnings("unchecked")
  private Optional<Replayer> candidate(String runId, String ruleset, Map<String, Object> run) {
    if (run.get("candidateVersion") instanceof Number version) {
      return registry.compiled(ruleset, version.intValue()).map(v -> new Replayer(v.compiled()));
    }
    synchronized (candidates) {
      Replayer known = candidates.get(runId);
      if (known != null) {
        return Optional.of(known);
      }
    }
    Map<String, String> files = (Map<String, String>) run.get("candidateFiles");
    CheckResult checked = registry.validate(ruleset, files);
    if (checked.ruleset().isEmpty()) {
      return Optional.empty(); // checked when it started: only a change of the checker gets here
    }
    Replayer compiled = new Replayer(CompiledRuleset.compile(checked.ruleset().get(), 0,
        registry.settings().compile()));
    synchronized (candidates) {
      candidates.put(runId, compiled);
    }
    return Optional.of(compiled);
  }

  /**
   * What a slice's pages share: both sides, the period, the bound on what was recorded (the
   * simulation's start: events recorded since are not read, so a page worked again reads the same),
   * and the versions earlier events were recorded with.
   */
  private record Page(Replayer active, Replayer candidate, Instant from, Instant until, Instant recordedBy,
      Map<String, Optional<Replayer>> recorded) {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  private SimulationTally simulate(List<Hit<Map>> hits, Page page, ExecutorService parts) {
    SimulationTally failures = new SimulationTally();
    List<StoredContact> read = new ArrayList<>();
    for (Hit<Map> hit : hits) {
      try {
        read.add(contacts.fromSource((Map<String, Object>) hit.source(), hit.seqNo() == null ? -1 : hit.seqNo(),
            hit.primaryTerm() == null ? -1 : hit.primaryTerm()));
      } catch (RuntimeException e) {
        failures.failed(hit.id(), e); // a document this version cannot read
      }
    }
    Map<String, List<PendingEvent>> histories = histories(read, page);
    Map<String, Map<String, Object>> anchors = anchors(histories, page);
    int n = Math.max(1, runs.settings().threads());
    int size = (read.size() + n - 1) / n;
    List<CompletableFuture<SimulationTally>> futures = new ArrayList<>();
    for (int from = 0; from < read.size(); from += size) {
      List<StoredContact> part = read.subList(from, Math.min(read.size(), from + size));
      futures.add(CompletableFuture.supplyAsync(() -> {
        SimulationTally tally = new SimulationTally();
        for (StoredContact contact : part) {
          String id = contact.contact().id();
          try {
            simulate(contact, histories.getOrDefault(id, List.of()), anchors.get(id), page, tally);
          } catch (RuntimeException e) {
            tally.failed(id, e);
          }
        }
        return tally;
      }, parts));
    }
    SimulationTally all = failures;
    for (CompletableFuture<SimulationTally> future : futures) {
      all.add(future.join());
    }
    return all;
  }

  /** One contact: its start rebuilt, then its period replayed on both sides. */
  private void simulate(StoredContact stored, List<PendingEvent> history, Map<String, Object> anchor, Page page,
      SimulationTally tally) {
    List<Event> before = new ArrayList<>();
    List<Event> period = new ArrayList<>();
    List<PendingEvent> earlier = new ArrayList<>();
    for (PendingEvent event : history) {
      if (event.at().isBefore(page.from())) {
        earlier.add(event);
        before.add(event.toEvent());
      } else {
        period.add(event.toEvent());
      }
    }
    if (period.isEmpty()) {
      return; // no event in the period: nothing to compare
    }
    Contact start = start(stored.contact(), earlier, anchor, page, tally);
    compare(page.active(), page.candidate(), stored.contact().id(), start, before, period, tally);
  }

  /**
   * Replays {@code period} from {@code start} with each side, on copies (a contact is immutable:
   * each side's evaluations make new ones), and counts what each decided and left.
   */
  static Ends compare(Replayer active, Replayer candidate, String contactId, Contact start, List<Event> before,
      List<Event> period, SimulationTally tally) {
    Contact activeEnd = active.replay(start, before, period, e -> tally.decided(SimulationTally.ACTIVE, e));
    Contact candidateEnd = candidate.replay(start, before, period, e -> tally.decided(SimulationTally.CANDIDATE, e));
    tally.compared(contactId, activeEnd, candidateEnd);
    return new Ends(activeEnd, candidateEnd);
  }

  /** The states each side left. */
  record Ends(Contact active, Contact candidate) {}

  /**
   * The contact's state at the period's start (docs/simulations.md): its stored profile with the
   * state of a new contact, every earlier event replayed with the version it was recorded with,
   * then set to what the last of them recorded when the replay does not give it.
   */
  private Contact start(Contact stored, List<PendingEvent> earlier, Map<String, Object> anchor, Page page,
      SimulationTally tally) {
    Map<String, Object> json = new LinkedHashMap<>(stored.toJson());
    json.keySet().removeAll(RULE_STATE);
    Contact contact = Contact.fromJson(json);
    List<Event> past = new ArrayList<>();
    for (PendingEvent event : earlier) {
      Replayer replayer = page.recorded().computeIfAbsent(event.ruleset() + "\u001f" + event.version(),
          key -> registry.compiled(event.ruleset(), event.version()).map(v -> new Replayer(v.compiled())))
          .orElse(page.active());
      contact = replayer.replay(contact, past, List.of(event.toEvent()), e -> { });
      past.add(event.toEvent());
    }
    if (anchor != null && !matches(contact, anchor)) {
      Map<String, Object> corrected = new LinkedHashMap<>(contact.toJson());
      for (String field : List.of("score", "stage", "tags", "segments", "tier")) {
        corrected.put(field, anchor.get(field));
      }
      contact = Contact.fromJson(corrected);
      tally.corrected();
    }
    return contact;
  }

  /** Whether a rebuilt state is the one the recorded decision's state summary says. */
  private static boolean matches(Contact contact, Map<String, Object> recorded) {
    Map<String, Long> tags = new TreeMap<>();
    if (recorded.get("tags") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> tags.put(String.valueOf(k), SlicedRuns.number(v)));
    }
    Map<String, Long> rebuilt = new TreeMap<>();
    contact.tags().forEach((k, v) -> rebuilt.put(k, v.longValue()));
    Set<String> segments = recorded.get("segments") instanceof List<?> l
        ? l.stream().map(String::valueOf).collect(Collectors.toSet()) : Set.of();
    return SlicedRuns.number(recorded.get("score")) == contact.score()
        && contact.stage().name().equals(recorded.get("stage"))
        && Objects.equals(contact.tier(), recorded.get("tier") == null ? "" : recorded.get("tier"))
        && tags.equals(rebuilt)
        && segments.equals(contact.segments());
  }

  /**
   * Each contact's events recorded before the simulation started with {@code at} before the
   * period's end, in replay order: the events index, merged by event id with the outbox the page
   * read (events applied whose documents were not searchable yet).
   */
  @SuppressWarnings({"rawtypes"})
  private Map<String, List<PendingEvent>> histories(List<StoredContact> read, Page page) {
    Map<String, Map<String, PendingEvent>> byContact = new LinkedHashMap<>();
    if (read.isEmpty()) {
      return Map.of();
    }
    for (StoredContact contact : read) {
      Map<String, PendingEvent> events = new LinkedHashMap<>();
      for (PendingEvent pending : contact.outbox()) {
        if (inHistory(pending, page)) {
          events.put(pending.eventId(), pending);
        }
      }
      byContact.put(contact.contact().id(), events);
    }
    List<FieldValue> ids = byContact.keySet().stream().map(FieldValue::of).toList();
    List<FieldValue> after = null;
    while (true) {
      List<FieldValue> position = after;
      SearchResponse<Map> found = calls.read("read simulated events", () -> store.client().search(s -> {
        s.index(indices.events()).size(EVENTS_PER_READ).trackTotalHits(t -> t.enabled(false))
            .source(src -> src.filter(f -> f.excludes(DecisionJson.FIELD, DecisionJson.LEGACY_FIELD)))
            .query(q -> q.bool(b -> b.filter(f -> f.terms(t -> t.field("contactId").terms(v -> v.value(ids))))
                .filter(f -> f.range(r -> r.date(d -> d.field("at").lt(page.until().toString()))))
                .filter(f -> f.range(r -> r.date(d -> d.field("recordedAt").lte(page.recordedBy().toString()))))))
            .sort(o -> o.field(f -> f.field("contactId").order(SortOrder.Asc)))
            .sort(o -> o.field(f -> f.field("eventId").order(SortOrder.Asc)));
        if (position != null) {
          s.searchAfter(position);
        }
        return s;
      }, Map.class));
      List<Hit<Map>> hits = found.hits().hits();
      for (Hit<Map> hit : hits) {
        PendingEvent event = PendingEvent.fromDocument(hit.source());
        byContact.get(String.valueOf(hit.source().get("contactId"))).putIfAbsent(event.eventId(), event);
      }
      if (hits.size() < EVENTS_PER_READ) {
        break;
      }
      after = hits.get(hits.size() - 1).sort();
    }
    Map<String, List<PendingEvent>> out = new LinkedHashMap<>();
    byContact.forEach((id, events) -> {
      List<PendingEvent> ordered = new ArrayList<>(events.values());
      ordered.sort(ORDER);
      out.put(id, ordered);
    });
    return out;
  }

  private static boolean inHistory(PendingEvent event, Page page) {
    return event.at().isBefore(page.until()) && !event.recordedAt().isAfter(page.recordedBy());
  }

  /**
   * The state summary each contact's last event before the period recorded, read with one
   * {@code mget} (the recorded decisions are left out of the history's read).
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private Map<String, Map<String, Object>> anchors(Map<String, List<PendingEvent>> histories, Page page) {
    Map<String, PendingEvent> last = new LinkedHashMap<>();
    histories.forEach((id, events) -> {
      for (PendingEvent event : events) {
        if (event.at().isBefore(page.from())) {
          last.put(id, event);
        }
      }
    });
    if (last.isEmpty()) {
      return Map.of();
    }
    List<String> ids = new ArrayList<>(last.keySet());
    MgetResponse<Map> found = calls.read("read recorded states", () -> store.client().mget(m -> {
      m.index(indices.events());
      for (String id : ids) {
        m.docs(d -> d.id(EventLog.documentId(id, last.get(id).eventId())).routing(id));
      }
      return m;
    }, Map.class));
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      MultiGetResponseItem<Map> item = found.docs().get(i);
      // Found in the index, else the outbox entry the history took it from, which has its decision.
      DecisionJson decision = item.isResult() && item.result().found()
          ? DecisionJson.fromDocument(item.result().source()) : last.get(ids.get(i)).decision();
      if (decision.map().get("contact") instanceof Map<?, ?> state) {
        out.put(ids.get(i), (Map<String, Object>) state);
      }
    }
    return out;
  }
}
