package io.relais.bench;

import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.engine.batch.BatchRunStatus;
import io.relais.engine.batch.BatchRuns;
import io.relais.engine.batch.BatchSettings;
import io.relais.engine.generate.ContactGenerator;
import io.relais.engine.registry.RegistrySettings;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.simulation.SimulationStatus;
import io.relais.engine.simulation.Simulations;
import io.relais.engine.store.BulkApplier;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.DecisionJson;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.EventLog;
import io.relais.engine.store.EventRecorder;
import io.relais.engine.store.EventSettings;
import io.relais.engine.store.PendingEvent;
import io.relais.engine.store.ProfileUpdate;
import io.relais.engine.store.RulesetIndex;
import io.relais.engine.store.StoreCalls;
import io.relais.engine.store.StoreIndices;
import io.relais.engine.store.StoreSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * A simulation over a month of stored history next to a daily batch run, in the same run on one
 * node (docs/performance.md, "Simulations"): seeds N generated contacts and about E events each
 * over 30 days (written straight into the events index, as a recorded history), simulates the
 * month with the active version against a candidate, then runs a daily batch over the same
 * contacts. Prints events replayed per second (each with both versions), the batch run's
 * contacts per second (one evaluation and one write per contact-event), and their ratio.
 *
 * <p>Arguments: {@code --es URL} (required), {@code --contacts N} (100000), {@code --events E}
 * (20 per contact, on average), {@code --threads T} (2), {@code --seed S} (1).
 */
public final class SimulationBenchmark {

  private static final Instant FROM = Instant.parse("2026-10-01T00:00:00Z");
  private static final Instant UNTIL = FROM.plus(Duration.ofDays(30));
  private static final String[] TYPES = {"page_visit", "page_visit", "page_visit", "email_open", "email_open",
      "form_submit"};
  static final String ACTIVE = """
      ruleset "sim-bench"
      default owner "sales@example.com"

      campaign "welcome"
        step "w-1" after 0 days
        step "w-2" after 3 days
      end

      segment "Engaged"
      when contact.score >= 60
      then add to segment "ENGAGED"
      end

      scoring "Visit"
      when event is page_visit
      then add 5 to score
      end

      scoring "Open"
      when event is email_open
      then add 2 to score
      end

      scoring "Form"
      when event is form_submit
      then add 15 to score
      end

      scoring "Daily point"
      when event is daily
      then add 1 to score
      end

      qualify "MQL"
      when contact.score >= 80 and contact.stage < MQL
      then advance stage to MQL
      end

      nurture "Welcome"
      when contact.stage >= MQL
      then enroll in "welcome"
      end

      alert "Form from an MQL"
      when contact.stage >= MQL and event is form_submit
      then notify owner with "{{contact.email|A lead}} sent a form"
      end
      """;
  static final String CANDIDATE = ACTIVE.replace("contact.score >= 80", "contact.score >= 50")
      .replace("contact.score >= 60", "contact.score >= 40");

  private SimulationBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    URI es = URI.create(options.getOrDefault("es", ""));
    int contacts = Integer.parseInt(options.getOrDefault("contacts", "100000"));
    int perContact = Integer.parseInt(options.getOrDefault("events", "20"));
    int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
    long seed = Long.parseLong(options.getOrDefault("seed", "1"));

    String prefix = "bench-sim-" + UUID.randomUUID().toString().substring(0, 8);
    StoreSettings settings = new StoreSettings(es, prefix, Duration.ofSeconds(5), Duration.ofMinutes(5));
    try (ElasticsearchStore store = ElasticsearchStore.connect(settings)) {
      ObjectMapper json = ElasticsearchStore.mapper();
      StoreCalls calls = StoreCalls.uncounted();
      StoreIndices indices = new StoreIndices(store, calls);
      indices.ensureAll();
      ContactStore contactStore = new ContactStore(store, indices, calls, json);
      RulesetRegistry registry = new RulesetRegistry(new RulesetIndex(store), Clock.systemUTC(),
          RegistrySettings.defaults());
      registry.put("sim-bench", Map.of("sim-bench.rules", ACTIVE), true, "bench");
      int candidate = registry.put("sim-bench", Map.of("sim-bench.rules", CANDIDATE), false, "bench")
          .version().orElseThrow().version();

      // 1. Seed: the contacts, then their month of events, recorded an hour ago.
      long start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      ContactGenerator generator = new ContactGenerator(seed);
      Instant recordedAt = Instant.now().minus(Duration.ofHours(1));
      List<Future<Long>> pages = new ArrayList<>();
      for (int from = 0; from < contacts; from += 500) {
        int first = from;
        pages.add(pool.submit(() -> {
          List<ProfileUpdate> updates = new ArrayList<>();
          List<BulkOperation> operations = new ArrayList<>();
          Random random = new Random(seed * 1_000_003L + first);
          for (int n = first; n < Math.min(contacts, first + 500); n++) {
            updates.add(new ProfileUpdate(generator.contact(n), ProfileUpdate.STATE_FIELDS, true, true));
            String id = ContactGenerator.id(n);
            int count = perContact / 2 + random.nextInt(perContact + 1); // E on average
            for (int e = 0; e < count; e++) {
              Instant at = FROM.plusSeconds(random.nextInt((int) Duration.ofDays(30).toSeconds()));
              PendingEvent event = new PendingEvent("h-" + e, TYPES[random.nextInt(TYPES.length)], at,
                  Map.of("url", "/page/" + random.nextInt(50)), "sim-bench", 1, recordedAt,
                  DecisionJson.stored(Map.of()));
              Map<String, Object> document = new LinkedHashMap<>(event.toDocument());
              document.put("contactId", id);
              operations.add(BulkOperation.of(b -> b.index(x -> x.index(indices.events())
                  .id(EventLog.documentId(id, event.eventId())).routing(id).document(document))));
            }
          }
          contactStore.putAll(updates, recordedAt);
          BulkResponse written = store.client().bulk(b -> b.operations(operations).refresh(Refresh.False));
          if (written.errors()) {
            throw new IllegalStateException("seeding events failed: " + written.items().stream()
                .filter(i -> i.error() != null).findFirst().orElseThrow().error().reason());
          }
          return (long) operations.size();
        }));
      }
      long events = 0;
      for (Future<Long> page : pages) {
        events += page.get();
      }
      pool.shutdownNow();
      calls.run("refresh", () -> store.client().indices().refresh(r -> r.index(indices.contacts(), indices.events())));
      print("seed", (contacts + events) / seconds(start), "docs/s", contacts + " contacts and " + events
          + " events over 30 days, bulk of 500 contacts with their events, " + threads + " threads");

      BatchSettings batch = new BatchSettings(2 * threads, 500, threads, threads, Duration.ofMinutes(5),
          Duration.ofMinutes(30), Duration.ofMillis(200));

      // 2. The simulation of the month: the active version against the candidate.
      Simulations simulations = new Simulations(store, calls, indices, contactStore, registry, Clock.systemUTC(),
          batch);
      simulations.ensureIndex();
      start = System.nanoTime();
      SimulationStatus simulation = simulations.start("sim-bench", new Simulations.Candidate(null, candidate), FROM,
          UNTIL, null);
      simulations.startWorker();
      while (!"DONE".equals(simulation.state())) {
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        simulation = simulations.status(simulation.id()).orElseThrow();
      }
      double simulated = seconds(start);
      simulations.close();
      double eventRate = simulation.events() / simulated;
      print("simulation (month)", eventRate, "events/s", simulation.events() + " events of " + simulation.contacts()
          + " contacts replayed with both versions in " + String.format(Locale.ROOT, "%.1f", simulated) + " s, "
          + simulation.errors() + " errors; contacts changed " + simulation.result().contacts().changed()
          + ", stage " + simulation.result().contacts().stage());

      // 3. A daily batch run over the same contacts: one evaluation and one write per contact.
      EventLog eventLog = new EventLog(store, indices, calls);
      EventRecorder recorder = new EventRecorder(contactStore, eventLog, Clock.systemUTC(), EventSettings.defaults());
      BulkApplier applier = new BulkApplier(store, indices, calls, contactStore, eventLog, recorder, json,
          Clock.systemUTC());
      BatchRuns runs = new BatchRuns(store, calls, registry, applier, Clock.systemUTC(), batch);
      runs.ensureIndex();
      start = System.nanoTime();
      BatchRunStatus run = runs.start("sim-bench", "daily", null);
      runs.startWorker();
      while (!"DONE".equals(run.state())) {
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        run = runs.status(run.id()).orElseThrow();
      }
      double ran = seconds(start);
      runs.close();
      double batchRate = run.done() / ran;
      print("batch run (daily)", batchRate, "contact-events/s", run.done() + " contacts, " + run.applied()
          + " applied, " + run.errors() + " errors in " + String.format(Locale.ROOT, "%.1f", ran) + " s");
      print("simulation / batch", eventRate / batchRate, "x", "per contact-event; the bar: at least 0.5");

      calls.run("delete", () -> store.client().indices().delete(d -> d.index(indices.contacts(), indices.events(),
          settings.index("batch-runs"), settings.index("simulations"), settings.index("rulesets"))
          .ignoreUnavailable(true)));
    }
  }

  private static double seconds(long startNanos) {
    return Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
  }

  private static void print(String name, double value, String unit, String how) {
    System.out.println(String.format(Locale.ROOT, "%s|%.1f|%s|%s", name, value, unit, how));
    System.out.flush();
  }
}
