package io.relais.engine.actions;

import static io.relais.engine.actions.ActionParts.await;
import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import io.relais.engine.contact.Event;
import io.relais.engine.store.DecisionJson;
import io.relais.engine.store.PendingEvent;
import io.relais.engine.testing.TestStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deliveries handed to the deliverer of the instance that creates them: created claimed by it,
 * sent without a search (the deliveries index is never refreshed here), never lost when that
 * instance stops first (its lease ends, another deliverer's claims find them), and no more
 * handed off than its queue's bound.
 */
class DeliveryHandoffIT {

  private ActionParts parts;
  private Receiver receiver;
  private final List<DeliveryWorker> workers = new ArrayList<>();
  private final Map<String, AtomicInteger> ended = new ConcurrentHashMap<>();
  private final DeliveryListener listener = ActionParts.counting(ended);

  @BeforeEach
  void setUp() throws Exception {
    parts = new ActionParts(TestStore.freshSettings());
    receiver = new Receiver();
    parts.webhooks.put("crm", receiver.url(), null, null);
  }

  @AfterEach
  void tearDown() throws Exception {
    workers.forEach(DeliveryWorker::close);
    receiver.close();
    parts.close();
  }

  private DeliveryWorker worker(DeliverySettings settings) {
    DeliveryWorker worker = parts.worker(listener, settings);
    workers.add(worker);
    worker.start();
    return worker;
  }

  private void record(String contact) {
    parts.recorder.record(contact, new Event("e-1", "page_visit", parts.clock.instant(), Map.of()),
        ActionParts.ALERTS);
  }

  private static String deliveryId(String contact) {
    return Deliveries.id(Actions.id(contact, "e-1", 0), "crm");
  }

  // Searches never see a delivery from now on: only a hand-off sends one.
  private void neverRefreshDeliveries() throws Exception {
    parts.store.client().indices().putSettings(p -> p.index(parts.deliveries.index())
        .settings(s -> s.refreshInterval(t -> t.time("-1"))));
  }

  // The stored document, read in real time (a search would not see it).
  @SuppressWarnings("unchecked")
  private Map<String, Object> stored(String contact) throws Exception {
    return parts.store.client().get(g -> g.index(parts.deliveries.index()).id(deliveryId(contact)).realtime(true),
        Map.class).source();
  }

  private int delivered() {
    return ended.getOrDefault(Delivery.DELIVERED, new AtomicInteger()).get();
  }

  /** Fails without the hand-off: no search ever finds the delivery. */
  @Test
  void aDeliveryCreatedHereIsDeliveredWithoutAnyRefreshOfTheDeliveriesIndex() throws Exception {
    neverRefreshDeliveries();
    worker(ActionParts.SHORT);
    record("c-1");
    await("the delivery at the receiver", Duration.ofSeconds(60), () -> receiver.received.size() == 1);
    await("its outcome recorded", Duration.ofSeconds(30), () -> delivered() == 1);
    assertThat(receiver.received.get(0).id()).isEqualTo(Actions.id("c-1", "e-1", 0));
    Delivery delivered = parts.deliveries.get(deliveryId("c-1")).orElseThrow();
    assertThat(delivered.state()).isEqualTo(Delivery.DELIVERED);
    assertThat(delivered.attempts()).isEqualTo(1);
    assertThat(stored("c-1")).containsEntry("leaseOwner", "");
  }

  /**
   * One slot (2 s time-outs, 6 s leases: two rounds): c-1's request hangs, c-2 is handed off and
   * waits for the slot; the instance stops. Both are held by its lease, then the other
   * deliverer's claims find them: c-2 is delivered once, by the other.
   */
  @Test
  void aHandedOffDeliveryWhoseInstanceStopsBeforeSendingIsDeliveredByAnotherAfterTheLease() throws Exception {
    DeliverySettings oneSlot = new DeliverySettings(1, 1, 100, Duration.ofSeconds(2), Duration.ofSeconds(6),
        Duration.ofMillis(50), Duration.ofDays(3), Duration.ofMillis(200), 1000);
    receiver.answering(0);
    DeliveryWorker first = worker(oneSlot);
    record("c-1");
    await("c-1's request hanging", Duration.ofSeconds(60), () -> receiver.received.size() == 1);
    record("c-2");
    await("c-2 handed off, waiting for the slot", Duration.ofSeconds(60), () -> first.waiting("crm") == 1);
    assertThat(stored("c-2")).containsEntry("leaseOwner", stored("c-1").get("leaseOwner"));
    first.close(); // stops before sending c-2
    receiver.release();

    worker(oneSlot);
    parts.refresh();
    Instant now = parts.clock.instant();
    // Held by the stopped instance's lease: nobody claims them before it ends.
    assertThat(parts.deliveries.claim("probe", now, now.plusSeconds(1), 10, List.of())).isEmpty();
    parts.clock.advance(Duration.ofSeconds(7));
    await("both delivered by the second deliverer", Duration.ofSeconds(60), () -> delivered() == 2);
    assertThat(receiver.perId()).containsEntry(Actions.id("c-2", "e-1", 0), 1L)
        .containsEntry(Actions.id("c-1", "e-1", 0), 2L);
    Delivery c2 = parts.deliveries.get(deliveryId("c-2")).orElseThrow();
    assertThat(c2.state()).isEqualTo(Delivery.DELIVERED);
    assertThat(c2.attempts()).isEqualTo(1);
  }

  /**
   * A hand-off queue of one: c-2 waits in it while c-1's request hangs, so c-3 is created
   * unclaimed, for the searches (here never refreshed, so nobody claims it meanwhile).
   */
  @Test
  void beyondItsBoundADeliveryIsNotHandedOffButCreatedForTheSearches() throws Exception {
    neverRefreshDeliveries();
    receiver.answering(0, 0, 0);
    // Three rounds of one slot (20 s time-outs, 80 s leases) would take three; the bound is one.
    DeliveryWorker worker = worker(new DeliverySettings(1, 1, 100, Duration.ofSeconds(20), Duration.ofSeconds(80),
        Duration.ofMillis(50), Duration.ofDays(3), Duration.ofMillis(200), 1));
    record("c-1");
    await("c-1's request hanging", Duration.ofSeconds(60), () -> receiver.received.size() == 1);
    record("c-2");
    await("c-2 handed off, waiting", Duration.ofSeconds(60), () -> worker.waiting("crm") == 1);
    record("c-3");
    await("c-3 created", Duration.ofSeconds(60), () -> parts.deliveries.get(deliveryId("c-3")).isPresent());
    String owner = (String) stored("c-1").get("leaseOwner");
    assertThat(owner).isNotBlank();
    assertThat(stored("c-2")).containsEntry("leaseOwner", owner);
    assertThat(stored("c-3")).doesNotContainKey("leaseOwner");
    assertThat(worker.waiting(null) + worker.inFlight(null) + worker.reserved()).isEqualTo(2);
    receiver.release();
  }

  /**
   * A creation that took longer than the lease leaves for the queue's wait and the attempt (2 s
   * here, of a 4 s lease) is not sent by the hand-off: it waits for its lease's end, then a claim.
   */
  @Test
  void aHandOffWhoseLeaseNoLongerCoversItsAttemptIsLeftToTheLeasesEnd() throws Exception {
    DeliveryWorker worker = worker(ActionParts.SHORT);
    List<BulkOperation> operations = parts.actions.operations("c-1", applied("c-1"));
    assertThat(worker.reserved()).isEqualTo(1);
    parts.clock.advance(Duration.ofSeconds(3)); // the lease ends at +4 s; the attempt may take 2 s
    List<BulkResponseItem> items = parts.writes.write(operations);
    parts.actions.written(operations, items);
    assertThat(worker.reserved()).isZero();
    // Read in this order: a delivery queued would be waiting, in flight or already received.
    assertThat(worker.waiting(null) + worker.inFlight(null)).isZero();
    assertThat(receiver.received).isEmpty();
    parts.clock.advance(Duration.ofSeconds(2));
    await("the delivery, claimed after the lease", Duration.ofSeconds(60), () -> delivered() == 1);
    assertThat(receiver.perId()).containsExactly(Map.entry(Actions.id("c-1", "e-1", 0), 1L));
  }

  /** A reservation the store never answered for is let go when its lease ends: the queue's room comes back. */
  @Test
  void aReservationNeverAnsweredIsLetGoWhenItsLeaseEnds() throws Exception {
    DeliveryWorker worker = worker(ActionParts.SHORT);
    parts.actions.operations("c-1", applied("c-1")); // never written
    assertThat(worker.reserved()).isEqualTo(1);
    parts.clock.advance(Duration.ofSeconds(5));
    await("the reservation let go", Duration.ofSeconds(30), () -> worker.reserved() == 0);
  }

  private PendingEvent applied(String contact) {
    Instant now = parts.clock.instant();
    Map<String, Object> alert = Map.of("type", "ALERT", "to", "sales@acme.fr", "channel", "email",
        "message", contact + " is back", "rule", "Hot lead", "source", "alerts.rules:2");
    return new PendingEvent("e-1", "page_visit", now, Map.of(), "test", 1, now,
        DecisionJson.of(Map.of("decisions", List.of(alert))));
  }
}
