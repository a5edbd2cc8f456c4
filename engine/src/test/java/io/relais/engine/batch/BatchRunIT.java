package io.relais.engine.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relais.dsl.ast.Stage;
import io.relais.engine.contact.Contact;
import io.relais.engine.generate.ContactGenerator;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.store.BulkApplier;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.EventRecorder;
import io.relais.engine.store.ProfileUpdate;
import io.relais.engine.store.StoreCalls;
import io.relais.engine.store.StoreIndices;
import io.relais.engine.testing.Await;
import io.relais.engine.testing.SampleRulesets;
import io.relais.engine.testing.TestStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batch runs on a real node: a run stopped in the middle finishes elsewhere, each contact applied once. */
class BatchRunIT {

  private static final int CONTACTS = 300;
  private static final String RULES = """
      scoring "Daily point"
      when event is daily
      then add 1 to score
      end

      scoring "Visit"
      when event is page_visit
      then add 10 to score
      end
      """;
  private static final int LIVE = 40;

  private BatchParts parts;
  private ElasticsearchStore store;
  private StoreCalls calls;
  private StoreIndices indices;
  private ContactStore contacts;
  private EventRecorder recorder;
  private BulkApplier applier;
  private RulesetRegistry registry;
  private final Map<String, Integer> scores = new HashMap<>();
  private final Map<String, Stage> stages = new HashMap<>();
  private final List<BatchRuns> instances = new ArrayList<>();
  private final BatchSettings settings =
      new BatchSettings(3, 20, 4, 2, Duration.ofSeconds(3), Duration.ofMinutes(5), Duration.ofMillis(100));

  @BeforeEach
  void seed() {
    // The same parts as the worker process of BatchRunCrashIT.
    parts = new BatchParts(TestStore.freshSettings());
    store = parts.store;
    calls = parts.calls;
    indices = parts.indices;
    contacts = parts.contacts;
    recorder = parts.recorder;
    applier = parts.applier;
    registry = parts.registry;
    assertTrue(registry.put("daily", Map.of("daily.rules", RULES), true, "test").active());
    ContactGenerator generator = new ContactGenerator(3);
    List<ProfileUpdate> updates = new ArrayList<>();
    for (int n = 0; n < CONTACTS; n++) {
      Contact contact = generator.contact(n);
      scores.put(contact.id(), contact.score());
      stages.put(contact.id(), contact.stage());
      updates.add(new ProfileUpdate(contact, ProfileUpdate.STATE_FIELDS, true, true));
    }
    contacts.putAll(updates, Instant.now()).forEach(item -> assertEquals(null, item.error(), item.id()));
    calls.run("refresh", () -> store.client().indices().refresh(r -> r.index(indices.contacts())));
  }

  @AfterEach
  void close() {
    instances.forEach(BatchRuns::close);
    parts.close();
  }

  private BatchRuns instance() {
    BatchRuns runs = parts.runs(settings);
    instances.add(runs);
    return runs;
  }

  @Test
  void aRunStoppedMidwayFinishesOnAnotherInstanceWithEveryContactAppliedOnce() throws Exception {
    BatchRuns first = instance();
    BatchRunStatus started = first.start("daily", "daily", null);
    assertEquals(CONTACTS, started.total());
    first.startWorker();
    // Live events for some contacts while the batch writes them: neither may overwrite the other.
    var compiled = registry.active("daily").orElseThrow().compiled();
    Thread live = new Thread(() -> {
      for (int n = 0; n < LIVE; n++) {
        recorder.record(ContactGenerator.id(n), new io.relais.engine.contact.Event("visit-" + n, "page_visit",
            Instant.now(), Map.of("url", "/x")), compiled);
      }
    });
    live.start();
    Await.until("a first part of the run", Duration.ofMinutes(3),
        () -> first.status(started.id()).orElseThrow().done() >= 60);
    first.close(); // as a crash would: pages in flight are neither committed nor finished

    BatchRunStatus stopped = first.status(started.id()).orElseThrow();
    assertEquals("RUNNING", stopped.state());
    assertTrue(stopped.done() < CONTACTS, "the run should still have work left");

    BatchRuns second = instance();
    second.startWorker();
    Await.until("the run's end", Duration.ofMinutes(5),
        () -> "DONE".equals(second.status(started.id()).orElseThrow().state()));

    live.join(Duration.ofMinutes(2).toMillis());
    BatchRunStatus done = second.status(started.id()).orElseThrow();
    assertEquals(0, done.errors(), done.errorSamples().toString());
    assertTrue(done.done() >= CONTACTS, "done " + done.done());
    for (Map.Entry<String, Integer> entry : scores.entrySet()) {
      int score = contacts.read(entry.getKey()).orElseThrow().contact().score();
      int visits = Integer.parseInt(entry.getKey().substring(2)) < LIVE ? 10 : 0;
      assertEquals(entry.getValue() + 1 + visits, score, "contact " + entry.getKey() + " applied once, nothing lost");
    }
    calls.run("refresh", () -> store.client().indices().refresh(r -> r.index(indices.events())));
    long recorded = calls.run("count", () -> store.client().count(c -> c.index(indices.events())
        .query(q -> q.term(t -> t.field("eventId").value("batch-" + started.id()))))).count();
    assertEquals(CONTACTS, recorded);
  }

  @Test
  void aFilterLimitsTheRunToTheContactsThatMeetIt() throws Exception {
    BatchRuns runs = instance();
    BatchRunStatus started = runs.start("daily", "daily", "contact.stage = MQL");
    long mql = stages.values().stream().filter(s -> s == Stage.MQL).count();
    assertEquals(mql, started.total());
    runs.startWorker();
    Await.until("the run's end", Duration.ofMinutes(3),
        () -> "DONE".equals(runs.status(started.id()).orElseThrow().state()));
    for (Map.Entry<String, Integer> entry : scores.entrySet()) {
      int expected = entry.getValue() + (stages.get(entry.getKey()) == Stage.MQL ? 1 : 0);
      assertEquals(expected, contacts.read(entry.getKey()).orElseThrow().contact().score(), entry.getKey());
    }
    assertEquals(mql, runs.status(started.id()).orElseThrow().decisions().getOrDefault("SCORE", 0L));
  }

  /** A filter is checked with every file of its ruleset: each sample ruleset, DMN files or not. */
  @Test
  void aFilterWorksOnEverySampleRuleset() {
    BatchRuns runs = instance();
    long mql = stages.values().stream().filter(s -> s == Stage.MQL).count();
    Map<String, Map<String, String>> samples = SampleRulesets.all();
    assertTrue(samples.values().stream().anyMatch(f -> f.keySet().stream().anyMatch(n -> n.endsWith(".dmn"))));
    samples.forEach((name, files) -> {
      assertTrue(registry.put(name, files, true, "test").active(), name);
      assertEquals(mql, runs.start(name, "daily", "contact.stage = MQL").total(), name);
    });
  }

  @Test
  void aPageAppliedAgainReplaysWhetherReadBeforeOrAfterItsFirstWrite() throws Exception {
    var compiled = registry.active("daily").orElseThrow().compiled();
    io.relais.engine.contact.Event event =
        new io.relais.engine.contact.Event("batch-again", "daily", Instant.now(), Map.of());
    List<String> ids = new ArrayList<>();
    for (int n = 0; n < 50; n++) {
      ids.add(ContactGenerator.id(n));
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<BulkApplier.Snapshot> stale = snapshots(ids);
      List<BulkApplier.Result> first = applier.apply(stale, event, compiled, 2, pool);
      assertEquals(50, first.stream().filter(r -> r.outcome().isPresent() && !r.outcome().get().replayed()).count());
      // Recorded with the trace of the rules that fired only: "Visit" (page visits) is not in it.
      first.forEach(r -> assertEquals(List.of("Daily point"), traced(r.outcome().orElseThrow().decision()), r.contactId()));
      // A page redone from the same read (a crash before its commit): every write conflicts, the
      // contacts read again carry the event.
      List<BulkApplier.Result> again = applier.apply(stale, event, compiled, 2, pool);
      assertEquals(50, again.stream().filter(r -> r.outcome().isPresent() && r.outcome().get().replayed()).count());
      // Read after the first write (a new point in time): the marker is seen at once.
      calls.run("refresh", () -> store.client().indices().refresh(r -> r.index(indices.contacts())));
      List<BulkApplier.Result> fresh = applier.apply(snapshots(ids), event, compiled, 2, pool);
      assertEquals(50, fresh.stream().filter(r -> r.outcome().isPresent() && r.outcome().get().replayed()).count());
    } finally {
      pool.shutdownNow();
    }
    for (String id : ids) {
      var stored = contacts.read(id).orElseThrow();
      assertEquals(scores.get(id) + 1, stored.contact().score(), id);
      assertEquals(List.of("Daily point"),
          traced(parts.events.find(id, "batch-again").orElseThrow().decision().map()), id);
      // The batch event is recorded like a live one: in the contact's recent events too, once.
      assertEquals(List.of("batch-again"),
          stored.recent().events().stream().map(io.relais.engine.contact.Event::id).toList(), id);
    }
    calls.run("refresh", () -> store.client().indices().refresh(r -> r.index(indices.events())));
    assertEquals(50, calls.run("count", () -> store.client().count(c -> c.index(indices.events())
        .query(q -> q.term(t -> t.field("eventId").value("batch-again"))))).count());
  }

  private static List<Object> traced(Map<String, Object> decision) {
    return ((List<?>) decision.get("trace")).stream().map(entry -> (Object) ((Map<?, ?>) entry).get("rule")).toList();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private List<BulkApplier.Snapshot> snapshots(List<String> ids) {
    var found = calls.run("read", () -> store.client().search(s -> s.index(indices.contacts()).size(ids.size())
        .seqNoPrimaryTerm(true).query(q -> q.ids(i -> i.values(ids))), Map.class));
    List<BulkApplier.Snapshot> out = new ArrayList<>();
    for (var hit : found.hits().hits()) {
      out.add(new BulkApplier.Snapshot(hit.id(), (Map<String, Object>) hit.source(), hit.seqNo(), hit.primaryTerm()));
    }
    assertEquals(ids.size(), out.size());
    return out;
  }
}
