package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.actions.Actions;
import io.relais.engine.actions.Deliveries;
import io.relais.engine.campaigns.DueStepScheduler;
import io.relais.engine.contact.Contact;
import io.relais.engine.testing.Await;
import io.relais.engine.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A due-step scheduler in another JVM killed with SIGKILL between deciding a step (written to its
 * contact) and recording its event document and action: another scheduler and the recovery sweep,
 * in this JVM, finish the pass with every step decided once, one MESSAGE and one action each.
 */
class DueStepCrashIT {

  private static final int CONTACTS = 40;
  /** The worker stops at its 12th contact write: its first page done, the second cut. */
  private static final int STOP_AFTER = 12;

  private StoreFixture fixture;
  private Actions actions;
  private Process worker;

  @BeforeEach
  void setUp() {
    fixture = new StoreFixture();
    actions = DueStepsIT.actions(fixture);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (worker != null) {
      worker.destroyForcibly();
    }
    fixture.store.client().indices().delete(d -> d.index(actions.index(),
        new Deliveries(fixture.store, fixture.calls).index()).ignoreUnavailable(true));
    fixture.close();
  }

  @Test
  void aWorkerKilledBetweenDecidingAStepAndItsActionLosesAndDoublesNothing() throws Exception {
    for (int i = 0; i < CONTACTS; i++) {
      String id = String.format("c-%02d", i);
      Contact contact = Contact.builder().profile("id", id).consent(new Contact.Consent(true, null)).build();
      fixture.contacts.put(new ProfileUpdate(contact, Set.of(), false, false), fixture.clock.instant(), 5);
      fixture.recorder.record(id, fixture.visit("v-" + id), DueStepsIT.LEASING); // the intro step: one action
    }
    fixture.clock.advance(Duration.ofDays(3)); // "leasing-benefits" is due for every contact
    fixture.refresh();

    Path log = Files.createTempFile("due-step-worker-", ".log");
    worker = startWorker(log);
    Await.until("the worker process to stop after a contact write", Duration.ofMinutes(3), () -> {
      assertThat(worker.isAlive()).as("the worker process died by itself; see " + log).isTrue();
      return logged(log).contains(DueStepWorkerProcess.STOPPED);
    });
    worker.destroyForcibly(); // SIGKILL: no shutdown hook, the document bulks in flight cut anywhere
    assertThat(worker.waitFor(1, TimeUnit.MINUTES)).isTrue();

    // Every action the worker recorded is of a step it wrote before (and the step it stopped at
    // has none): counted in this order, the actions are fewer than the steps.
    int decidedByWorker = stepsDecided();
    assertThat(decidedByWorker).as("steps the worker wrote to contacts").isBetween(STOP_AFTER, CONTACTS - 1);
    assertThat(count(actions.index(), true)).as("a step decided whose action was not recorded")
        .isLessThan(decidedByWorker);

    fixture.clock.advance(Duration.ofMinutes(2)); // past the recovery lag of the worker's writes
    fixture.refresh();
    DueStepScheduler.Pass pass = new DueStepScheduler(fixture.contacts, fixture.recorder,
        () -> List.of(DueStepsIT.LEASING), fixture.clock, 10).runOnce();
    assertThat(pass.failed()).isZero();
    assertThat(pass.decided()).as("the steps the worker left").isBetween(1, CONTACTS - STOP_AFTER);
    fixture.refresh();
    fixture.recorder.recover();

    assertThat(stepsDecided()).isEqualTo(CONTACTS);
    Map<String, Integer> messages = new HashMap<>();
    for (Map<?, ?> document : hits(fixture.indices.events(), EventRecorder.DUE_STEP_EVENT)) {
      PendingEvent step = fixture.events.fromDocument(document);
      List<?> decisions = (List<?>) step.decision().map().get("decisions");
      for (Object decision : decisions) {
        Map<?, ?> d = (Map<?, ?>) decision;
        if ("MESSAGE".equals(d.get("type")) && "leasing-benefits".equals(d.get("step"))) {
          messages.merge((String) document.get("contactId"), 1, Integer::sum);
        }
      }
    }
    assertThat(messages).as("one MESSAGE per contact's step").hasSize(CONTACTS).containsOnlyKeys(ids())
        .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
    Map<String, Integer> stepActions = new HashMap<>();
    for (Map<?, ?> action : hits(actions.index(), null)) {
      if (String.valueOf(action.get("eventId")).startsWith("step:")) {
        stepActions.merge((String) action.get("contactId"), 1, Integer::sum);
      }
    }
    assertThat(stepActions).as("one action per contact's step").containsOnlyKeys(ids())
        .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
    assertThat(count(actions.index(), false)).as("with the intro steps'").isEqualTo(2L * CONTACTS);
  }

  private Process startWorker(Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m",
        "-Drelais.es.url=" + TestStore.url(),
        "-cp", System.getProperty("java.class.path"),
        DueStepWorkerProcess.class.getName(), fixture.store.settings().indexPrefix(),
        fixture.clock.instant().toString(), String.valueOf(STOP_AFTER))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    System.out.println("due-step worker process log: " + log);
    return builder.start();
  }

  private static String logged(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> ids() {
    return java.util.stream.IntStream.range(0, CONTACTS).mapToObj(i -> String.format("c-%02d", i)).toList();
  }

  /** Contacts whose "leasing-benefits" step is decided: their enrollment has no step left. */
  private int stepsDecided() {
    int decided = 0;
    for (String id : ids()) {
      Contact.Enrollment enrollment = fixture.stored(id).enrollments().get(0);
      if (enrollment.nextDueAt() == null) {
        decided++;
      }
    }
    return decided;
  }

  /** Documents of {@code index} (of type {@code type} when not null), after everything is written. */
  @SuppressWarnings("rawtypes")
  private List<Map> hits(String index, String type) throws Exception {
    fixture.refresh();
    fixture.store.client().indices().refresh(r -> r.index(actions.index()));
    return fixture.store.client().search(s -> s.index(index).size(10 * CONTACTS)
        .query(q -> type == null ? q.matchAll(m -> m) : q.term(t -> t.field("type").value(type))), Map.class)
        .hits().hits().stream().map(h -> h.source()).map(Map.class::cast).toList();
  }

  /** Actions (of due steps only, or all). */
  private long count(String index, boolean steps) throws Exception {
    fixture.store.client().indices().refresh(r -> r.index(index));
    return fixture.store.client().count(c -> c.index(index)
        .query(q -> steps ? q.prefix(p -> p.field("eventId").value("step:")) : q.matchAll(m -> m))).count();
  }
}
