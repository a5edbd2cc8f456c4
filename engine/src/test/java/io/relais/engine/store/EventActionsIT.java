package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.core.SearchResponse;
import io.relais.engine.actions.Actions;
import io.relais.engine.actions.Deliveries;
import io.relais.engine.actions.SecretBox;
import io.relais.engine.actions.Webhooks;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every applied MESSAGE and ALERT becomes one action, whatever crashes when: actions are created
 * before the event's document (so an event whose document exists has its actions), by every
 * writer of documents (write B, the pruning, the recovery sweep), and by batch runs once their
 * contacts are applied, from the event documents when a page is done again.
 */
class EventActionsIT {

  private static final CompiledRuleset ALERTS = StoreFixture.compile("""
      alert "Hot lead"
      when event is page_visit or event is daily
      then notify "sales@acme.fr" with "{{contact.id}} is back"
      end
      """);

  private StoreFixture fixture;
  private Actions actions;
  private Deliveries deliveries;

  /** A crash, thrown at a write hook. */
  static final class Crash extends RuntimeException {}

  @BeforeEach
  void setUp() {
    fixture = new StoreFixture();
    Webhooks webhooks = new Webhooks(fixture.store, fixture.calls, SecretBox.of(null), fixture.clock);
    deliveries = new Deliveries(fixture.store, fixture.calls);
    actions = new Actions(fixture.store, webhooks, deliveries, fixture.json);
    webhooks.put("crm", "http://127.0.0.1:9/in", null, null);
    fixture.events.actions(actions);
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.store.client().indices().delete(d -> d.index(actions.index(), deliveries.index()).ignoreUnavailable(true));
    fixture.close();
  }

  private long count(String index) throws Exception {
    fixture.refresh();
    fixture.store.client().indices().refresh(r -> r.index(index));
    return fixture.store.client().count(c -> c.index(index)).count();
  }

  private void crashOnceAt(WriteHook.Point point) {
    fixture.recorder.hook(reached -> {
      if (reached == point) {
        throw new Crash();
      }
    });
  }

  @ParameterizedTest
  @EnumSource(value = WriteHook.Point.class, names = {"CONTACT_WRITTEN", "EVENT_WRITTEN"})
  void aCrashAfterTheContactWriteGetsItsActionFromTheRecoveryOnce(WriteHook.Point point) throws Exception {
    crashOnceAt(point);
    assertThatThrownBy(() -> fixture.recorder.record("c-1", fixture.visit("e-1"), ALERTS)).isInstanceOf(Crash.class);
    fixture.recorder.hook(WriteHook.NONE);
    fixture.refresh(); // the sweep finds contacts by a search
    fixture.clock.advance(Duration.ofMinutes(2));
    fixture.recorder.recover();
    assertThat(fixture.recorder.record("c-1", fixture.visit("e-1"), ALERTS).replayed()).isTrue();
    fixture.clock.advance(Duration.ofMinutes(2));
    fixture.recorder.recover();

    assertThat(count(actions.index())).isEqualTo(1);
    assertThat(count(deliveries.index())).isEqualTo(1);
    assertThat(deliveries.get(Deliveries.id(Actions.id("c-1", "e-1", 0), "crm"))).isPresent();
  }

  /** The guard: a document is written only once its actions are, so the outbox keeps the event meanwhile. */
  @Test
  void anEventDocumentWaitsForItsActions() throws Exception {
    blockWrites(actions.index(), true);
    try {
      fixture.recorder.record("c-1", fixture.visit("e-1"), ALERTS);
      assertThat(fixture.eventDocuments("c-1")).isZero();
      assertThat(fixture.contacts.read("c-1").orElseThrow().outbox()).extracting(PendingEvent::eventId)
          .containsExactly("e-1");
    } finally {
      blockWrites(actions.index(), false);
    }
    fixture.refresh();
    fixture.clock.advance(Duration.ofMinutes(2));
    fixture.recorder.recover();
    assertThat(count(actions.index())).isEqualTo(1);
    assertThat(fixture.eventDocuments("c-1")).isEqualTo(1);
  }

  /** The pruning writes the documents a crash left unwritten: their actions first. */
  @Test
  void theContactsNextEventWritesTheActionsACrashLeft() throws Exception {
    crashOnceAt(WriteHook.Point.CONTACT_WRITTEN);
    assertThatThrownBy(() -> fixture.recorder.record("c-1", fixture.visit("e-1"), ALERTS)).isInstanceOf(Crash.class);
    fixture.recorder.hook(WriteHook.NONE);
    fixture.clock.advance(Duration.ofMinutes(1));
    fixture.recorder.record("c-1", fixture.visit("e-2"), ALERTS);
    assertThat(count(actions.index())).isEqualTo(2);
    assertThat(fixture.eventDocuments("c-1")).isEqualTo(2);
  }

  @Test
  void aBatchPageDoneAgainMakesNoSecondAction() throws Exception {
    List<String> ids = contacts(20);
    BulkApplier applier = applier();
    Event daily = new Event("batch-r1", "daily", fixture.clock.instant(), Map.of());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<BulkApplier.Snapshot> page = snapshots();
      applier.apply(page, daily, ALERTS, 2, pool);
      assertThat(applier.apply(page, daily, ALERTS, 2, pool)).allMatch(r -> r.outcome().orElseThrow().replayed());
      assertThat(applier.apply(snapshots(), daily, ALERTS, 2, pool)).allMatch(r -> r.outcome().orElseThrow().replayed());
    } finally {
      pool.shutdownNow();
    }
    assertThat(actionsOf("batch-r1")).isEqualTo(ids.size());
  }

  /**
   * A batch page whose contacts were applied but whose actions were not created (the process died
   * in between): done again, its contacts replay and get their actions from their event documents.
   */
  @Test
  void aBatchPageCutBeforeItsActionsGetsThemWhenDoneAgain() throws Exception {
    List<String> ids = contacts(20);
    BulkApplier applier = applier();
    Event daily = new Event("batch-r2", "daily", fixture.clock.instant(), Map.of());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<BulkApplier.Snapshot> page = snapshots();
      fixture.events.actions(EventActions.NONE); // the page's actions never made it
      applier.apply(page, daily, ALERTS, 2, pool);
      assertThat(actionsOf("batch-r2")).isZero();
      fixture.events.actions(actions);
      assertThat(applier.apply(page, daily, ALERTS, 2, pool)).allMatch(r -> r.outcome().orElseThrow().replayed());
    } finally {
      pool.shutdownNow();
    }
    assertThat(actionsOf("batch-r2")).isEqualTo(ids.size());
  }

  private BulkApplier applier() {
    return new BulkApplier(fixture.store, fixture.indices, fixture.calls, fixture.contacts, fixture.events,
        fixture.recorder, fixture.json, fixture.clock);
  }

  // Contacts recorded by an event that decides nothing.
  private List<String> contacts(int n) throws Exception {
    CompiledRuleset nothing = StoreFixture.compile("""
        scoring "Visit"
        when event is page_visit
        then add 1 to score
        end
        """);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("c-" + i);
      fixture.recorder.record("c-" + i, fixture.visit("e-" + i), nothing);
    }
    fixture.refresh();
    return ids;
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private List<BulkApplier.Snapshot> snapshots() throws Exception {
    fixture.refresh();
    SearchResponse<Map> found = fixture.store.client().search(s -> s.index(fixture.indices.contacts()).size(1000)
        .seqNoPrimaryTerm(true), Map.class);
    List<BulkApplier.Snapshot> out = new ArrayList<>();
    found.hits().hits().forEach(hit -> out.add(new BulkApplier.Snapshot(hit.id(), (Map<String, Object>) hit.source(),
        hit.seqNo(), hit.primaryTerm())));
    return out;
  }

  private long actionsOf(String eventId) throws Exception {
    count(actions.index());
    return fixture.store.client().count(c -> c.index(actions.index())
        .query(q -> q.term(t -> t.field("eventId").value(eventId)))).count();
  }

  private void blockWrites(String index, boolean blocked) throws Exception {
    fixture.store.putSettings(index, "{\"index.blocks.write\": " + blocked + "}");
  }
}
