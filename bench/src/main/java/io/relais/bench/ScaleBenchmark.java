package io.relais.bench;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.engine.audience.AudienceCondition;
import io.relais.engine.audience.Audiences;
import io.relais.engine.audience.PushDown;
import io.relais.engine.audience.PushedConditions;
import io.relais.engine.batch.BatchRunStatus;
import io.relais.engine.campaigns.DueStepScheduler;
import io.relais.engine.contact.Contact;
import io.relais.engine.batch.BatchRuns;
import io.relais.engine.batch.BatchSettings;
import io.relais.engine.generate.ContactGenerator;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.store.BulkApplier;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.EventLog;
import io.relais.engine.store.EventRecorder;
import io.relais.engine.store.EventSettings;
import io.relais.engine.store.ProfileUpdate;
import io.relais.engine.store.StoreCalls;
import io.relais.engine.store.StoreIndices;
import io.relais.engine.store.StoreSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * Many contacts on one node ({@code bench/suite}): seeds N generated contacts, then measures in
 * the same run the raw scan + bulk-write rate of the node (the ceiling), a daily batch run over
 * every contact, audience counts (condition checked, pushed down and counted) next to the
 * raw count of the same query, and the due-step scheduler deciding the campaign steps that came
 * due (every contact is enrolled; one in {@code --due-every} has its step due). Prints one line
 * per figure, {@code name|value|unit|how}.
 *
 * <p>Arguments: {@code --es URL} (required), {@code --contacts N} (1000000), {@code --seed S} (1),
 * {@code --counts Q} (200 per condition), {@code --threads T} (4), {@code --due-every K} (10),
 * {@code --only batch-due} (the batch run and the due steps only: no raw copy, no counts).
 */
public final class ScaleBenchmark {

  private static final List<String> CONDITIONS = List.of(
      "contact.score >= 50 and tag \"FINANCING_LEASING\" >= 3",
      "contact.stage >= MQL and contact.stage != CUSTOMER and contact.consent.email",
      "not (contact.country in [\"FR\", \"BE\"]) or contact.companySize between 5 and 500",
      "in segment \"VIP\" and contact.city matches \"Pa*\"",
      "contact.company contains \"acme\" and contact.firstName is not empty");

  private static final String DAILY = """
      campaign "course"
        step "course-intro" after 0 days
        step "course-next" after 3 days
      end

      nurture "Course"
      when event is form_submit
      then enroll in "course"
      end

      scoring "Daily decay"
      when event is daily and contact.score > 0
      then subtract 1 from score
      end

      segment "Warm"
      when event is daily and contact.score >= 50
      then add to segment "WARM"
      end
      """;

  private ScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    URI es = URI.create(required(options, "es"));
    int contacts = Integer.parseInt(options.getOrDefault("contacts", "1000000"));
    long seed = Long.parseLong(options.getOrDefault("seed", "1"));
    int counts = Integer.parseInt(options.getOrDefault("counts", "200"));
    int threads = Integer.parseInt(options.getOrDefault("threads", "4"));
    int dueEvery = Integer.parseInt(options.getOrDefault("due-every", "10"));
    // "batch-due": only the batch run and the due steps beside it (no raw copy, no counts).
    boolean everything = !"batch-due".equals(options.getOrDefault("only", "all"));

    String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    StoreSettings settings = new StoreSettings(es, prefix, Duration.ofSeconds(5), Duration.ofMinutes(5));
    try (ElasticsearchStore store = ElasticsearchStore.connect(settings)) {
      ObjectMapper json = ElasticsearchStore.mapper();
      StoreCalls calls = StoreCalls.uncounted();
      StoreIndices indices = new StoreIndices(store, calls);
      indices.ensureAll();
      ContactStore contactStore = new ContactStore(store, indices, calls, json);

      // 1. Seed.
      System.err.println("seeding " + contacts + " contacts");
      long start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> pages = new ArrayList<>();
      ContactGenerator generator = new ContactGenerator(seed);
      Instant now = Instant.now();
      for (int from = 0; from < contacts; from += 1000) {
        int first = from;
        pages.add(pool.submit(() -> {
          List<ProfileUpdate> updates = new ArrayList<>();
          for (int n = first; n < Math.min(contacts, first + 1000); n++) {
            // Every contact enrolled in "course" 3 days ago, or just now: one in dueEvery has
            // its second step due (the due-step figure below).
            Instant enrolledAt = n % dueEvery == 0 ? now.minus(Duration.ofDays(3)) : now;
            Contact enrolled = generator.contact(n).toBuilder().enrollments(List.of(
                new Contact.Enrollment("course", enrolledAt, true,
                    enrolledAt.plus(Duration.ofDays(3))))).build();
            updates.add(new ProfileUpdate(enrolled, ProfileUpdate.STATE_FIELDS, true, true));
          }
          contactStore.putAll(updates, now);
          return null;
        }));
      }
      for (Future<?> page : pages) {
        page.get();
      }
      calls.run("refresh", () -> store.client().indices().refresh(r -> r.index(indices.contacts())));
      print("seed contacts", contacts / seconds(start), "contacts/s", contacts + " generated contacts, bulk of 1000, "
          + threads + " threads");

      // 2. The ceiling: scan every contact and bulk-write it to another index.
      double rawRate = Double.NaN;
      if (everything) {
        start = System.nanoTime();
        // As many threads (PIT slices) as the batch run's workers use: the ceiling of the same
        // parallelism, not of one thread (which flattered the batch/raw ratio).
        long copied = rawScanAndWrite(store, indices.contacts(), prefix + "-raw-copy", threads);
        rawRate = copied / seconds(start);
        print("raw scan + bulk write", rawRate, "contacts/s",
            "PIT + search_after pages of 1000 in " + threads + " slices on " + threads
                + " threads, bulk index of each page into a copy index");
      }

      // 3. A daily batch run over every contact.
      EventLog events = new EventLog(store, indices, calls);
      EventRecorder recorder = new EventRecorder(contactStore, events, Clock.systemUTC(), EventSettings.defaults());
      BulkApplier applier = new BulkApplier(store, indices, calls, contactStore, events, recorder, json,
          Clock.systemUTC());
      RulesetRegistry registry = new RulesetRegistry(new io.relais.engine.store.RulesetIndex(store), Clock.systemUTC(),
        io.relais.engine.registry.RegistrySettings.defaults());
      registry.put("daily", Map.of("daily.rules", DAILY), true, "bench");
      BatchRuns runs = new BatchRuns(store, calls, registry, applier, Clock.systemUTC(),
          new BatchSettings(2 * threads, 1000, threads, threads, Duration.ofMinutes(5), Duration.ofMinutes(30),
              Duration.ofMillis(200)));
      start = System.nanoTime();
      BatchRunStatus run = runs.start("daily", "daily", null);
      runs.startWorker();
      BatchRunStatus status = run;
      while (!"DONE".equals(status.state())) {
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        status = runs.status(run.id()).orElseThrow();
      }
      runs.close();
      double batchRate = status.done() / seconds(start);
      print("batch run (daily)", batchRate, "contacts/s", status.done() + " contacts, "
          + status.applied() + " applied, " + status.errors() + " errors, decisions " + status.decisions());
      if (everything) {
        print("batch / raw", 100 * batchRate / rawRate, "%", "the bar: at least 50 %");
      }

      // 4. Audience counts next to the raw count of the same query.
      if (everything) {
        Audiences audiences = new Audiences(store, StoreCalls.uncounted());
        PushedConditions conditions = new PushedConditions(PushedConditions.DEFAULT_CAPACITY);
        Map<String, String> files = Map.of("daily.rules", DAILY);
        List<Long> pushed = new ArrayList<>();
        List<Long> raw = new ArrayList<>();
        for (String condition : CONDITIONS) {
          Query query = PushDown.translate(AudienceCondition.check("daily", files, condition));
          String index = audiences.index();
          store.client().count(c -> c.index(index).query(query)); // warm
          for (int i = 0; i < counts; i++) {
            long t = System.nanoTime();
            audiences.count(conditions.query("daily", 1, files, condition));
            pushed.add(System.nanoTime() - t);
            t = System.nanoTime();
            store.client().count(c -> c.index(index).query(query));
            raw.add(System.nanoTime() - t);
          }
        }
        print("audience count p50", millis(pushed, 50), "ms", "the whole path: cached check + push-down, count, "
            + CONDITIONS.size() + " conditions x " + counts + " (the first call of each checks it)");
        print("audience count p99", millis(pushed, 99), "ms", "same; the bar: under 100 ms");
        print("raw count p50", millis(raw, 50), "ms", "_count of the same queries, built once");
        print("raw count p99", millis(raw, 99), "ms", "same");
        print("audience / raw p50", millis(pushed, 50) / millis(raw, 50), "x", "the bar: at most 2");
        print("audience / raw p99", millis(pushed, 99) / millis(raw, 99), "x", "the bar: at most 2");
      }
      // 5. The due-step scheduler over the same contacts, next to the batch run's rate.
      calls.run("refresh", () -> store.client().indices().refresh(r -> r.index(indices.contacts())));
      DueStepScheduler scheduler = new DueStepScheduler(contactStore, recorder,
          () -> List.of(registry.active("daily").orElseThrow().compiled()), Clock.systemUTC(), 1000,
          threads);
      start = System.nanoTime();
      DueStepScheduler.Pass pass = scheduler.runOnce();
      double dueRate = pass.decided() / seconds(start);
      print("due steps decided", dueRate, "steps/s", pass.decided() + " steps due among " + contacts
          + " enrolled contacts, " + pass.failed() + " failed, " + threads + " threads, pages of 1000");
      print("due steps / batch", dueRate / batchRate, "x", "the target: at least 0.5");
      pool.shutdownNow();
      String runsIndex = settings.index("batch-runs");
      calls.run("delete", () -> store.client().indices().delete(d -> d.index(indices.contacts(), indices.events(),
          prefix + "-raw-copy", runsIndex).ignoreUnavailable(true)));
    }
  }

  private static long rawScanAndWrite(ElasticsearchStore store, String from, String to, int threads)
      throws Exception {
    String pit = store.client().openPointInTime(p -> p.index(from).keepAlive(t -> t.time("10m"))).id();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> slices = new ArrayList<>();
      for (int slice = 0; slice < threads; slice++) {
        int id = slice;
        slices.add(pool.submit(() -> copySlice(store, pit, to, id, threads)));
      }
      long copied = 0;
      for (Future<Long> slice : slices) {
        copied += slice.get();
      }
      return copied;
    } finally {
      pool.shutdown();
      store.client().closePointInTime(c -> c.id(pit));
    }
  }

  private static long copySlice(ElasticsearchStore store, String pit, String to, int slice, int slices)
      throws Exception {
    List<FieldValue> after = null;
    long copied = 0;
    while (true) {
      List<FieldValue> position = after;
      @SuppressWarnings("rawtypes")
      SearchResponse<Map> page = store.client().search(s -> {
        s.pit(p -> p.id(pit).keepAlive(t -> t.time("10m"))).size(1000).sort(o -> o.field(f -> f.field("_shard_doc")));
        if (slices > 1) {
          s.slice(x -> x.id(String.valueOf(slice)).max(slices));
        }
        if (position != null) {
          s.searchAfter(position);
        }
        return s;
      }, Map.class);
      @SuppressWarnings("rawtypes")
      List<Hit<Map>> hits = page.hits().hits();
      if (hits.isEmpty()) {
        return copied;
      }
      List<BulkOperation> operations = new ArrayList<>();
      for (@SuppressWarnings("rawtypes") Hit<Map> hit : hits) {
        Object document = hit.source();
        operations.add(BulkOperation.of(b -> b.index(i -> i.index(to).id(hit.id()).document(document))));
      }
      store.client().bulk(b -> b.operations(operations));
      copied += hits.size();
      after = hits.get(hits.size() - 1).sort();
    }
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  private static double seconds(long startNanos) {
    return Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
  }

  private static double millis(List<Long> nanos, int percentile) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  private static void print(String name, double value, String unit, String how) {
    System.out.println(String.format(Locale.ROOT, "%s|%.1f|%s|%s", name, value, unit, how));
    System.out.flush();
  }

}
