package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.actions.Actions;
import io.relais.engine.actions.Deliveries;
import io.relais.engine.actions.SecretBox;
import io.relais.engine.actions.Webhooks;
import io.relais.engine.campaigns.DueStepScheduler;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Campaign steps decided when they come due, on a real node with a settable clock: not before,
 * not after an exit or a withdrawn consent, once with two schedulers racing, and neither lost
 * nor doubled by a crash between deciding a step and writing its event document and action.
 */
class DueStepsIT {

  static final CompiledRuleset LEASING = StoreFixture.compile("""
      campaign "leasing-101"
        step "leasing-intro" after 0 days
        step "leasing-benefits" after 3 days
        exit when has tag "BUYER"
      end

      segment "Buyer"
      when event is purchase
      then tag "BUYER"
      end

      nurture "Leasing"
      when event is page_visit
      then enroll in "leasing-101"
      end
      """);

  private StoreFixture fixture;
  private Actions actions;
  private Deliveries deliveries;

  static final class Crash extends RuntimeException {}

  @BeforeEach
  void setUp() {
    fixture = new StoreFixture();
    deliveries = new Deliveries(fixture.store, fixture.calls);
    actions = actions(fixture);
  }

  /**
   * Actions, each delivered to subscription "crm", created by the fixture's writers of event
   * documents as in the service.
   */
  static Actions actions(StoreFixture fixture) {
    Webhooks webhooks = new Webhooks(fixture.store, fixture.calls, SecretBox.of(null), fixture.clock);
    Actions actions = new Actions(fixture.store, webhooks, new Deliveries(fixture.store, fixture.calls),
        fixture.json);
    webhooks.put("crm", "http://127.0.0.1:9/in", null, null);
    fixture.events.actions(actions);
    return actions;
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.store.client().indices().delete(d -> d.index(actions.index(), deliveries.index())
        .ignoreUnavailable(true));
    fixture.close();
  }

  private DueStepScheduler scheduler() {
    return new DueStepScheduler(fixture.contacts, fixture.recorder, () -> List.of(LEASING),
        fixture.clock, 100);
  }

  private void consenting(String id, boolean consent) {
    Contact contact = Contact.builder().profile("id", id)
        .consent(new Contact.Consent(consent, null)).build();
    fixture.contacts.put(new ProfileUpdate(contact, Set.of(), false, false),
        fixture.clock.instant(), 5);
  }

  private long actionsOf(String contactId) throws Exception {
    fixture.refresh();
    fixture.store.client().indices().refresh(r -> r.index(actions.index()));
    return fixture.store.client().count(c -> c.index(actions.index())
        .query(q -> q.term(t -> t.field("contactId").value(contactId)))).count();
  }

  private long stepDocuments(String contactId) throws Exception {
    fixture.settle();
    fixture.refresh();
    return fixture.store.client().count(c -> c.index(fixture.indices.events())
        .query(q -> q.bool(b -> b
            .filter(f -> f.term(t -> t.field("contactId").value(contactId)))
            .filter(f -> f.term(t -> t.field("type").value(EventRecorder.DUE_STEP_EVENT))))))
        .count();
  }

  private void enroll(String id) {
    consenting(id, true);
    fixture.recorder.record(id, fixture.visit("v-" + id), LEASING);
  }

  @Test
  void aStepIsDecidedWhenDueAndNotBefore() throws Exception {
    enroll("c-1");
    assertThat(actionsOf("c-1")).as("the step due at enrollment").isEqualTo(1);

    fixture.clock.advance(Duration.ofDays(3).minusMinutes(1));
    fixture.refresh();
    assertThat(scheduler().runOnce().decided()).isZero();

    fixture.clock.advance(Duration.ofMinutes(1));
    fixture.refresh();
    assertThat(scheduler().runOnce().decided()).isEqualTo(1);
    assertThat(actionsOf("c-1")).isEqualTo(2);
    assertThat(stepDocuments("c-1")).isEqualTo(1);
    Contact.Enrollment enrollment = fixture.stored("c-1").enrollments().get(0);
    assertThat(enrollment.active()).isTrue();
    assertThat(enrollment.nextDueAt()).as("no step left").isNull();

    fixture.refresh();
    assertThat(scheduler().runOnce().decided()).as("decided once").isZero();
    assertThat(actionsOf("c-1")).isEqualTo(2);
  }

  @Test
  void anExitBeforeTheDueTimeMeansNoMessage() throws Exception {
    enroll("c-1");
    fixture.clock.advance(Duration.ofDays(1));
    fixture.recorder.record("c-1", new Event("p-1", "purchase", fixture.clock.instant(),
        Map.of("amount", 10)), LEASING);
    fixture.clock.advance(Duration.ofDays(3));
    fixture.refresh();
    scheduler().runOnce();
    assertThat(actionsOf("c-1")).isEqualTo(1);
    assertThat(fixture.stored("c-1").enrollments().get(0).active()).isFalse();
  }

  @Test
  void aConsentWithdrawnBeforeTheDueTimeMeansNoMessage() throws Exception {
    enroll("c-1");
    fixture.clock.advance(Duration.ofDays(1));
    consenting("c-1", false);
    fixture.clock.advance(Duration.ofDays(3));
    fixture.refresh();
    assertThat(scheduler().runOnce().decided()).as("decided: suppressed").isEqualTo(1);
    assertThat(actionsOf("c-1")).isEqualTo(1);
    assertThat(stepDocuments("c-1")).isEqualTo(1);
  }

  @Test
  void twoSchedulersRacingDecideEachStepOnce() throws Exception {
    int contacts = 30;
    for (int i = 0; i < contacts; i++) {
      enroll("c-" + i);
    }
    fixture.clock.advance(Duration.ofDays(3));
    fixture.refresh();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Callable<DueStepScheduler.Pass>> both = List.of(() -> scheduler().runOnce(),
          () -> scheduler().runOnce());
      int decided = 0;
      for (Future<DueStepScheduler.Pass> pass : pool.invokeAll(both)) {
        decided += pass.get().decided();
      }
      assertThat(decided).isEqualTo(contacts);
    } finally {
      pool.shutdownNow();
    }
    List<Long> perContact = new ArrayList<>();
    for (int i = 0; i < contacts; i++) {
      perContact.add(stepDocuments("c-" + i));
    }
    assertThat(perContact).containsOnly(1L);
    fixture.store.client().indices().refresh(r -> r.index(actions.index()));
    assertThat(fixture.store.client().count(c -> c.index(actions.index())).count())
        .isEqualTo(2L * contacts);
  }

  @Test
  void aContactChangedWhileItsPageIsDecidedInBulkHasItsStepDecidedOnceOneByOne() throws Exception {
    int contacts = 5;
    for (int i = 0; i < contacts; i++) {
      enroll("c-" + i);
    }
    fixture.clock.advance(Duration.ofDays(3));
    fixture.refresh();
    // Between the page's read and its bulk of contact writes, c-3 changes: its write gets a 409.
    java.util.concurrent.atomic.AtomicBoolean changed = new java.util.concurrent.atomic.AtomicBoolean();
    fixture.recorder.hook(reached -> {
      if (reached == WriteHook.Point.EVALUATED && changed.compareAndSet(false, true)) {
        fixture.contacts.put(new ProfileUpdate(Contact.builder().profile("id", "c-3").profile("city", "Lyon")
            .consent(new Contact.Consent(true, null))
            .build(), Set.of(), false, false), fixture.clock.instant(), 5);
      }
    });
    DueStepScheduler.Pass pass = scheduler().runOnce();
    fixture.recorder.hook(WriteHook.NONE);
    assertThat(changed).isTrue();
    assertThat(pass.failed()).isZero();
    assertThat(pass.decided()).as("every step, c-3's after its lost race").isEqualTo(contacts);
    fixture.refresh();
    assertThat(scheduler().runOnce().decided()).as("decided once").isZero();
    for (int i = 0; i < contacts; i++) {
      assertThat(stepDocuments("c-" + i)).as("c-" + i).isEqualTo(1);
      assertThat(actionsOf("c-" + i)).as("c-" + i).isEqualTo(2);
      assertThat(fixture.stored("c-" + i).enrollments().get(0).nextDueAt()).as("no step left").isNull();
    }
    assertThat(fixture.stored("c-3").profile("city")).as("the concurrent change kept").isEqualTo("Lyon");
  }

  /**
   * In a page's bulk, c-3's contact write is applied but answered 409 (sent again after a
   * fail-over): one read of the contacts answered so tells it was applied, so its step counts as
   * decided, its document and actions are written, and it is not decided again.
   */
  @Test
  void aStepWrittenButAnsweredAsAConflictInABulkIsDecidedOnceWithItsDocument() throws Exception {
    int contacts = 5;
    for (int i = 0; i < contacts; i++) {
      enroll("c-" + i);
    }
    fixture.settle();
    fixture.clock.advance(Duration.ofDays(3));
    fixture.refresh();
    EventRecorder recorder = new EventRecorder(fixture.contactsAnsweringConflictFor(Set.of("c-3")), fixture.events,
        fixture.clock, fixture.settings);
    DueStepScheduler scheduler = new DueStepScheduler(fixture.contacts, recorder, () -> List.of(LEASING),
        fixture.clock, 100);

    DueStepScheduler.Pass pass = scheduler.runOnce();

    assertThat(pass.failed()).isZero();
    assertThat(pass.decided()).as("every step, c-3's too").isEqualTo(contacts);
    fixture.refresh();
    assertThat(scheduler().runOnce().decided()).as("decided once").isZero();
    for (int i = 0; i < contacts; i++) {
      assertThat(stepDocuments("c-" + i)).as("c-" + i).isEqualTo(1);
      assertThat(actionsOf("c-" + i)).as("c-" + i).isEqualTo(2);
    }
  }

  @Test
  void aCrashBetweenDecidingAStepAndItsActionLosesAndDoublesNothing() throws Exception {
    enroll("c-1");
    fixture.clock.advance(Duration.ofDays(3));
    fixture.refresh();
    fixture.recorder.hook(reached -> {
      if (reached == WriteHook.Point.CONTACT_WRITTEN) {
        throw new Crash();
      }
    });
    assertThat(scheduler().runOnce().failed()).isEqualTo(1);
    fixture.recorder.hook(WriteHook.NONE);
    fixture.refresh();
    assertThat(scheduler().runOnce().decided()).as("the step was decided before the crash")
        .isZero();
    fixture.clock.advance(Duration.ofMinutes(2));
    fixture.recorder.recover();
    assertThat(actionsOf("c-1")).isEqualTo(2);
    assertThat(stepDocuments("c-1")).isEqualTo(1);
  }
}
