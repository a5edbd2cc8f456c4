package io.relais.engine.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relais.engine.batch.BatchParts;
import io.relais.engine.batch.BatchSettings;
import io.relais.engine.contact.Contact;
import io.relais.engine.store.DecisionJson;
import io.relais.engine.store.PendingEvent;
import io.relais.engine.store.ProfileUpdate;
import io.relais.engine.store.StoreSettings;
import io.relais.engine.testing.Await;
import io.relais.engine.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A simulation worker in another JVM killed with SIGKILL in the middle of a simulation: resumed
 * in this JVM, the simulation ends with the result of one that ran without a crash, every contact
 * counted once.
 */
class SimulationCrashIT {

  /** Small pages and a short lease: many pages to die in, and a quick takeover. */
  static final BatchSettings SETTINGS =
      new BatchSettings(3, 5, 2, 2, Duration.ofSeconds(3), Duration.ofMinutes(5), Duration.ofMillis(100));

  private static final int CONTACTS = 600;

  private BatchParts parts;
  private Process worker;
  private final List<Simulations> instances = new ArrayList<>();

  @AfterEach
  void close() {
    if (worker != null) {
      worker.destroyForcibly();
    }
    instances.forEach(Simulations::close);
    if (parts != null) {
      parts.close();
    }
  }

  @Test
  void aSimulationWhoseWorkerProcessIsKilledResumesToTheSameResult() throws Exception {
    StoreSettings settings = TestStore.freshSettings();
    parts = new BatchParts(settings);
    assertTrue(parts.registry.put("sim", Map.of("sim.rules", SimulationIT.V1), true, "test").active());
    parts.registry.put("sim", Map.of("sim.rules", SimulationIT.V2), false, "test");
    seed();

    Simulations here = parts.simulations(SETTINGS); // starts the simulation; works no slice until the kill
    instances.add(here);
    SimulationStatus started = here.start("sim", new Simulations.Candidate(null, 2), SimulationIT.FROM,
        SimulationIT.UNTIL, null);
    assertEquals(CONTACTS, started.total());

    worker = startWorker(settings.indexPrefix());
    Await.until("the worker process to work a first part", Duration.ofMinutes(3), () -> {
      assertTrue(worker.isAlive(), "the worker process died by itself; see its log");
      return here.status(started.id()).orElseThrow().done() >= 100;
    });
    worker.destroyForcibly(); // SIGKILL: no shutdown hook, pages in flight cut anywhere
    assertTrue(worker.waitFor(1, TimeUnit.MINUTES));
    SimulationStatus killed = here.status(started.id()).orElseThrow();
    assertEquals("RUNNING", killed.state());
    assertTrue(killed.done() < CONTACTS, "the simulation should still have work left, done " + killed.done());

    here.startWorker(); // claims the killed worker's slices once their leases end
    SimulationStatus resumed = SimulationIT.finished(here, started.id());
    SimulationStatus uninterrupted = SimulationIT.finished(here, here.start("sim",
        new Simulations.Candidate(null, 2), SimulationIT.FROM, SimulationIT.UNTIL, null).id());

    assertEquals(CONTACTS, resumed.done(), "every contact counted once");
    assertEquals(CONTACTS, resumed.contacts());
    assertEquals(CONTACTS * 3, resumed.events());
    assertEquals(0, resumed.errors(), resumed.errorSamples().toString());
    assertEquals(uninterrupted.contacts(), resumed.contacts());
    assertEquals(uninterrupted.events(), resumed.events());
    assertEquals(uninterrupted.result(), resumed.result());
    // Every contact becomes an MQL with the candidate (30 points in October), none with v1.
    assertEquals(CONTACTS, resumed.result().contacts().stage());
  }

  /** Profiles, then three October visits per contact written straight into the events index. */
  private void seed() {
    List<ProfileUpdate> profiles = new ArrayList<>();
    for (int n = 0; n < CONTACTS; n++) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("id", String.format("s-%04d", n));
      json.put("consent", Map.of("email", true));
      profiles.add(new ProfileUpdate(Contact.fromJson(json), java.util.Set.of(), false, false));
    }
    parts.contacts.putAll(profiles, Instant.parse("2026-08-01T00:00:00Z"))
        .forEach(item -> assertEquals(null, item.error(), item.id()));
    Instant recordedAt = Instant.now().minusSeconds(60);
    Map<String, List<PendingEvent>> events = new LinkedHashMap<>();
    for (int n = 0; n < CONTACTS; n++) {
      List<PendingEvent> three = new ArrayList<>();
      for (int day = 2; day <= 4; day++) {
        three.add(new PendingEvent("v-" + day, "page_visit", Instant.parse("2026-10-0" + day + "T10:00:00Z"),
            Map.of(), "sim", 1, recordedAt, DecisionJson.stored(Map.of())));
      }
      events.put(String.format("s-%04d", n), three);
      if (events.size() == 100) {
        parts.events.writeSearchable(events);
        events.clear();
      }
    }
    if (!events.isEmpty()) {
      parts.events.writeSearchable(events);
    }
    parts.calls.run("refresh", () -> parts.store.client().indices().refresh(r -> r.index(parts.indices.contacts())));
  }

  private Process startWorker(String prefix) throws Exception {
    Path log = Files.createTempFile("simulation-worker-", ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m",
        "-Drelais.es.url=" + TestStore.url(),
        "-cp", System.getProperty("java.class.path"),
        SimulationWorkerProcess.class.getName(), prefix)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    System.out.println("simulation worker process log: " + log);
    return builder.start();
  }
}
