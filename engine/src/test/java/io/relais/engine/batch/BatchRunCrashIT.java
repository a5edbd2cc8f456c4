package io.relais.engine.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relais.engine.contact.Contact;
import io.relais.engine.generate.ContactGenerator;
import io.relais.engine.store.ProfileUpdate;
import io.relais.engine.store.StoreSettings;
import io.relais.engine.testing.Await;
import io.relais.engine.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A batch worker in another JVM killed with SIGKILL in the middle of a run: the run, resumed in
 * this JVM, ends with every contact applied exactly once (one daily point, one event document).
 */
class BatchRunCrashIT {

  /** Small pages and a short lease: many pages to die in, and a quick takeover. */
  static final BatchSettings SETTINGS =
      new BatchSettings(3, 10, 2, 2, Duration.ofSeconds(3), Duration.ofMinutes(5), Duration.ofMillis(100));

  private static final int CONTACTS = 1_500;
  private static final String RULES = """
      scoring "Daily point"
      when event is daily
      then add 1 to score
      end
      """;

  private BatchParts parts;
  private Process worker;
  private final List<BatchRuns> instances = new ArrayList<>();

  @AfterEach
  void close() {
    if (worker != null) {
      worker.destroyForcibly();
    }
    instances.forEach(BatchRuns::close);
    if (parts != null) {
      parts.close();
    }
  }

  @Test
  void aRunWhoseWorkerProcessIsKilledFinishesWithEveryContactAppliedOnce() throws Exception {
    StoreSettings settings = TestStore.freshSettings();
    parts = new BatchParts(settings);
    assertTrue(parts.registry.put("daily", Map.of("daily.rules", RULES), true, "test").active());
    Map<String, Integer> scores = new HashMap<>();
    ContactGenerator generator = new ContactGenerator(5);
    List<ProfileUpdate> updates = new ArrayList<>();
    for (int n = 0; n < CONTACTS; n++) {
      Contact contact = generator.contact(n);
      scores.put(contact.id(), contact.score());
      updates.add(new ProfileUpdate(contact, ProfileUpdate.STATE_FIELDS, true, true));
    }
    parts.contacts.putAll(updates, Instant.now()).forEach(item -> assertEquals(null, item.error(), item.id()));
    parts.calls.run("refresh", () -> parts.store.client().indices().refresh(r -> r.index(parts.indices.contacts())));

    BatchRuns here = parts.runs(SETTINGS); // starts the run and reads it; works no slice until the kill
    instances.add(here);
    BatchRunStatus started = here.start("daily", "daily", null);
    assertEquals(CONTACTS, started.total());

    worker = startWorker(settings.indexPrefix());
    Await.until("the worker process to apply a first part of the run", Duration.ofMinutes(3), () -> {
      assertTrue(worker.isAlive(), "the worker process died by itself; see its log");
      return here.status(started.id()).orElseThrow().done() >= 100;
    });
    worker.destroyForcibly(); // SIGKILL: no shutdown hook, no close, pages in flight cut anywhere
    assertTrue(worker.waitFor(1, java.util.concurrent.TimeUnit.MINUTES));

    BatchRunStatus killed = here.status(started.id()).orElseThrow();
    assertEquals("RUNNING", killed.state());
    assertTrue(killed.done() < CONTACTS, "the run should still have work left, done " + killed.done());

    here.startWorker(); // claims the killed worker's slices once their leases end
    Await.until("the run's end", Duration.ofMinutes(5),
        () -> "DONE".equals(here.status(started.id()).orElseThrow().state()));

    BatchRunStatus done = here.status(started.id()).orElseThrow();
    assertEquals(0, done.errors(), done.errorSamples().toString());
    for (Map.Entry<String, Integer> entry : scores.entrySet()) {
      int score = parts.contacts.read(entry.getKey()).orElseThrow().contact().score();
      assertEquals(entry.getValue() + 1, score, "contact " + entry.getKey() + " applied exactly once");
    }
    parts.calls.run("refresh", () -> parts.store.client().indices().refresh(r -> r.index(parts.indices.events())));
    var perContact = parts.calls.run("count per contact", () -> parts.store.client().search(s -> s
        .index(parts.indices.events()).size(0)
        .query(q -> q.term(t -> t.field("eventId").value("batch-" + started.id())))
        .aggregations("contacts", a -> a.cardinality(c -> c.field("contactId").precisionThreshold(40_000))),
        Void.class));
    assertEquals(CONTACTS, perContact.hits().total().value(), "one event document per contact");
    assertEquals(CONTACTS, perContact.aggregations().get("contacts").cardinality().value());
  }

  private Process startWorker(String prefix) throws Exception {
    Path log = Files.createTempFile("batch-worker-", ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m",
        "-Drelais.es.url=" + TestStore.url(),
        "-cp", System.getProperty("java.class.path"),
        BatchWorkerProcess.class.getName(), prefix)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    System.out.println("batch worker process log: " + log);
    return builder.start();
  }
}
