package io.relais.engine.actions;

import static io.relais.engine.actions.ActionParts.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.store.DecisionJson;
import io.relais.engine.store.EventRecorder;
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
 * Actions created when events are applied, and delivered to a local receiver: signed, retried
 * with the same id, failed after the window and sent again on demand, never lost or doubled when
 * the deliverer stops mid-delivery.
 */
class WebhookDeliveryIT {

  private static final CompiledRuleset ALERTS = ActionParts.ALERTS;

  private ActionParts parts;
  private Receiver receiver;
  private final List<DeliveryWorker> workers = new ArrayList<>();
  private final Map<String, AtomicInteger> counted = new ConcurrentHashMap<>();
  private final DeliveryListener listener = ActionParts.counting(counted);

  @BeforeEach
  void setUp() throws Exception {
    parts = new ActionParts(TestStore.freshSettings());
    receiver = new Receiver();
  }

  @AfterEach
  void tearDown() throws Exception {
    workers.forEach(DeliveryWorker::close);
    receiver.close();
    parts.close();
  }

  private DeliveryWorker worker() {
    DeliveryWorker worker = parts.worker(listener);
    workers.add(worker);
    worker.start();
    return worker;
  }

  private Event visit(String id) {
    return new Event(id, "page_visit", parts.clock.instant(), Map.of("url", "/offers"));
  }

  private Delivery theDelivery() throws Exception {
    parts.refresh();
    List<Delivery> all = parts.deliveries.list(null, null, 10);
    assertThat(all).hasSize(1);
    return parts.deliveries.get(all.get(0).id()).orElseThrow();
  }

  // The listener counts an outcome when it is decided; the store writes it a moment later (in
  // the outcomes' shared bulk), so what the document says is awaited, not read at once.
  private Delivery awaitStored(String what, java.util.function.Predicate<Delivery> stored) {
    await(what, Duration.ofSeconds(30), () -> stored.test(attempt(this::theDelivery)));
    return attempt(this::theDelivery);
  }

  private static Delivery attempt(java.util.concurrent.Callable<Delivery> read) {
    try {
      return read.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void awaitRequests(int n) {
    await(n + " requests at the receiver", Duration.ofSeconds(60), () -> receiver.received.size() >= n);
  }

  @Test
  void anAppliedAlertIsOneActionDeliveredOnceSignedAndAReplayMakesNoSecond() throws Exception {
    String secret = parts.webhooks.put("crm", receiver.url(), null, null).secret().orElseThrow();
    worker();
    EventRecorder.Outcome first = parts.recorder.record("c-1", visit("e-1"), ALERTS);
    EventRecorder.Outcome again = parts.recorder.record("c-1", visit("e-1"), ALERTS);
    assertThat(again.replayed()).isTrue();
    awaitRequests(1);
    await("the delivery recorded", Duration.ofSeconds(30), () -> counted.containsKey(Delivery.DELIVERED));

    Receiver.Received got = receiver.received.get(0);
    String actionId = Actions.id("c-1", "e-1", 0);
    assertThat(got.id()).isEqualTo(actionId);
    // Checked with the Standard Webhooks library, not the code that signed it.
    assertThat(got.signature()).isEqualTo(new com.standardwebhooks.Webhook(secret)
        .sign(got.id(), Long.parseLong(got.timestamp()), got.body()));
    JsonNode body = parts.json.readTree(got.body());
    assertThat(body.get("id").asText()).isEqualTo(actionId);
    assertThat(body.get("type").asText()).isEqualTo("ALERT");
    assertThat(body.at("/data/contactId").asText()).isEqualTo("c-1");
    assertThat(body.at("/data/ruleset").asText()).isEqualTo("test");
    assertThat(body.at("/data/decision/to").asText()).isEqualTo("sales@acme.fr");
    assertThat(body.at("/data/decision/message").asText()).isEqualTo("c-1 is back");
    assertThat(first.decision().toString()).contains("ALERT");

    assertThat(parts.count(parts.actions.index())).isEqualTo(1);
    assertThat(parts.count(parts.deliveries.index())).isEqualTo(1);
    Delivery delivered = awaitStored("the delivery stored as delivered", d -> Delivery.DELIVERED.equals(d.state()));
    assertThat(delivered.attempts()).isEqualTo(1);
    assertThat(delivered.lastStatus()).isEqualTo(200);
    assertThat(delivered.excerpt()).isEqualTo("\\u003chtml\\u003eanswer 200\\u003c/html\\u003e");
    assertThat(receiver.received).hasSize(1);
  }

  @Test
  void aReceiverAnswering503TwiceGetsTheSameIdThreeTimes() throws Exception {
    receiver.answering(503, 503);
    parts.webhooks.put("crm", receiver.url(), List.of("ALERT"), null);
    worker();
    parts.recorder.record("c-1", visit("e-1"), ALERTS);
    awaitRequests(1);
    await("the first failure recorded", Duration.ofSeconds(30), () -> attempts() == 1);
    // Not before its time: about 5 s later on the service's clock.
    assertThat(theDelivery().nextAttemptAt()).isEqualTo(parts.clock.instant().plusSeconds(5));
    parts.clock.advance(Duration.ofSeconds(5));
    awaitRequests(2);
    await("the second failure recorded", Duration.ofSeconds(30), () -> attempts() == 2);
    assertThat(theDelivery().nextAttemptAt()).isEqualTo(parts.clock.instant().plusSeconds(30));
    parts.clock.advance(Duration.ofSeconds(30));
    awaitRequests(3);
    await("the delivery recorded", Duration.ofSeconds(30), () -> counted.containsKey(Delivery.DELIVERED));

    assertThat(receiver.perId()).containsExactly(Map.entry(Actions.id("c-1", "e-1", 0), 3L));
    Delivery delivered = awaitStored("the delivery stored as delivered", d -> Delivery.DELIVERED.equals(d.state()));
    assertThat(delivered.attempts()).isEqualTo(3);
    assertThat(counted.get("attempt 5xx").get()).isEqualTo(2);
    assertThat(counted.get("attempt 2xx").get()).isEqualTo(1);
  }

  private int attempts() {
    return attempt(this::theDelivery).attempts();
  }

  @Test
  void aReceiverDownForTheWholeWindowEndsFailedAndARetryDeliversIt() throws Exception {
    int port = receiver.port();
    receiver.close(); // nothing listens there: every attempt is refused
    parts.webhooks.put("crm", "http://127.0.0.1:" + port + "/in", null, null);
    worker();
    parts.recorder.record("c-1", visit("e-1"), ALERTS);
    Instant due = parts.clock.instant();
    int seen = 0;
    while (!Delivery.FAILED.equals(theDelivery().state())) {
      int before = seen;
      await("attempt " + (before + 1), Duration.ofSeconds(30), () -> attempts() > before);
      seen = attempts();
      Delivery pending = theDelivery();
      if (Delivery.PENDING.equals(pending.state())) {
        parts.clock.advance(Duration.between(parts.clock.instant(), pending.nextAttemptAt()));
      }
    }
    Delivery failed = theDelivery();
    assertThat(failed.attempts()).isEqualTo(17);
    assertThat(failed.lastError()).isEqualTo("connection refused");
    assertThat(failed.lastAttemptAt()).isBefore(due.plus(Duration.ofDays(3)));
    assertThat(parts.deliveries.list(null, Delivery.FAILED, 10)).extracting(Delivery::id).containsExactly(failed.id());
    assertThat(counted.get(Delivery.FAILED).get()).isEqualTo(1);

    receiver = new Receiver(port);
    assertThat(parts.deliveries.retry(failed.id(), parts.clock.instant())).isEqualTo(Deliveries.Retry.RETRIED);
    await("the retried delivery", Duration.ofSeconds(30), () -> counted.containsKey(Delivery.DELIVERED));
    assertThat(receiver.perId()).containsExactly(Map.entry(failed.actionId(), 1L));
    awaitStored("the retried delivery stored as delivered", d -> Delivery.DELIVERED.equals(d.state()));
    assertThat(parts.deliveries.retry(failed.id(), parts.clock.instant())).isEqualTo(Deliveries.Retry.NOT_FAILED);
  }

  @Test
  void aDelivererStoppedMidDeliveryLosesNothingAndTheNextSendsTheSameId() throws Exception {
    receiver.answering(0); // the first request hangs
    parts.webhooks.put("crm", receiver.url(), null, null);
    DeliveryWorker first = worker();
    parts.recorder.record("c-1", visit("e-1"), ALERTS);
    awaitRequests(1);
    first.close(); // stopped while its request is in flight: it records nothing
    receiver.release();

    DeliveryWorker second = worker();
    assertThat(second.running()).isTrue();
    // Its lease (4 s here) holds the delivery for the stopped instance until it ends.
    parts.clock.advance(Duration.ofSeconds(5));
    await("the delivery by the second deliverer", Duration.ofSeconds(30),
        () -> counted.containsKey(Delivery.DELIVERED));
    assertThat(receiver.perId()).containsExactly(Map.entry(Actions.id("c-1", "e-1", 0), 2L));
    Delivery delivered = awaitStored("the delivery stored as delivered", d -> Delivery.DELIVERED.equals(d.state()));
    assertThat(delivered.attempts()).isEqualTo(1);
    assertThat(parts.count(parts.actions.index())).isEqualTo(1);
  }

  @Test
  void aLeaseHeldByAnotherInstanceIsNotTakenBeforeItEnds() throws Exception {
    parts.webhooks.put("crm", receiver.url(), null, null);
    parts.recorder.record("c-1", visit("e-1"), ALERTS);
    parts.refresh();
    Instant now = parts.clock.instant();
    List<Deliveries.Claimed> mine = parts.deliveries.claim("a", now, now.plusSeconds(60), 10, List.of());
    assertThat(mine).hasSize(1);
    parts.refresh();
    assertThat(parts.deliveries.claim("b", now.plusSeconds(59), now.plusSeconds(120), 10, List.of())).isEmpty();
    List<Deliveries.Claimed> taken = parts.deliveries.claim("b", now.plusSeconds(61), now.plusSeconds(120), 10,
        List.of());
    assertThat(taken).hasSize(1);
    // The first holder, late, cannot write over the instance that took the delivery over.
    assertThat(parts.deliveries.finish(mine.get(0), Map.of("state", Delivery.DELIVERED))).isFalse();
    assertThat(parts.deliveries.finish(taken.get(0), Map.of("state", Delivery.DELIVERED))).isTrue();
  }

  @Test
  void aMessageWithALaterSendAtIsDeliveredAtSendAtNotBefore() throws Exception {
    parts.webhooks.put("mailer", receiver.url(), List.of("MESSAGE"), List.of("email"));
    worker();
    Instant now = parts.clock.instant();
    Instant sendAt = now.plus(Duration.ofHours(11));
    Map<String, Object> message = Map.of("type", "MESSAGE", "message", "leasing-intro", "channel", "email",
        "sendAt", sendAt.toString(), "rule", "Welcome", "source", "nurture.rules:3");
    PendingEvent applied = new PendingEvent("e-1", "page_visit", now, Map.of(), "test", 1, now,
        DecisionJson.of(Map.of("decisions", List.of(message))));
    parts.events.createActions(Map.of("c-1", List.of(applied)));
    parts.refresh();
    Delivery pending = theDelivery();
    assertThat(pending.nextAttemptAt()).isEqualTo(sendAt);
    // Not due a second before its sendAt: no instance claims it.
    assertThat(parts.deliveries.claim("probe", sendAt.minusSeconds(1), sendAt, 10, List.of())).isEmpty();
    parts.clock.advance(Duration.ofHours(11));
    awaitRequests(1);
    assertThat(receiver.received.get(0).id()).isEqualTo(Actions.id("c-1", "e-1", 0));
  }

  @Test
  void aDeletedWebhooksPendingDeliveryEndsFailed() throws Exception {
    receiver.answering(503);
    parts.webhooks.put("crm", receiver.url(), null, null);
    worker();
    parts.recorder.record("c-1", visit("e-1"), ALERTS);
    await("the first failure recorded", Duration.ofSeconds(30), () -> attempts() == 1);
    assertThat(parts.webhooks.delete("crm")).isTrue();
    parts.clock.advance(Duration.ofSeconds(5));
    await("the delivery failed", Duration.ofSeconds(30), () -> counted.containsKey(Delivery.FAILED));
    assertThat(awaitStored("the failure stored", d -> Delivery.FAILED.equals(d.state())).lastError())
        .isEqualTo("webhook deleted");
    assertThat(receiver.received).hasSize(1);
  }

  /**
   * A receiver that never answers holds one sender for the time-out (2 s here), then the attempt
   * counts as failed; events are recorded meanwhile as ever (they never wait for a delivery).
   */
  @Test
  void aReceiverThatHangsIsCutOffAtTheTimeOutAndEventsGoOn() throws Exception {
    receiver.answering(0);
    parts.webhooks.put("crm", receiver.url(), null, null);
    worker();
    parts.recorder.record("c-1", visit("e-1"), ALERTS);
    awaitRequests(1);
    for (int i = 2; i <= 20; i++) {
      assertThat(parts.recorder.record("c-" + i, visit("e-" + i), ALERTS).replayed()).isFalse();
    }
    await("the hanging attempt cut off", Duration.ofSeconds(30), () -> counted.containsKey("attempt timeout"));
    String id = Deliveries.id(Actions.id("c-1", "e-1", 0), "crm");
    await("the cut-off attempt stored", Duration.ofSeconds(30),
        () -> attempt(() -> parts.deliveries.get(id).orElseThrow()).lastError() != null);
    Delivery cut = parts.deliveries.get(id).orElseThrow();
    assertThat(cut.state()).isEqualTo(Delivery.PENDING);
    assertThat(cut.lastError()).isEqualTo("no answer within 2 s");
    assertThat(cut.lastStatus()).isNull();
    receiver.release();
  }

  // Hanging receivers hold their requests for the whole time-out (20 s here): what is in flight
  // and what is claimed stay put while the test looks. A claimed delivery may wait for a slot
  // leaseSeconds / 20 - 1 time-outs: as many rounds of requests are claimed.
  private DeliveryWorker worker(int concurrency, int perWebhook, int leaseSeconds) {
    DeliveryWorker worker = parts.worker(listener, new DeliverySettings(concurrency, perWebhook, 100,
        Duration.ofSeconds(20), Duration.ofSeconds(leaseSeconds), Duration.ofMillis(50), Duration.ofDays(3),
        Duration.ofMillis(200), 1000));
    workers.add(worker);
    worker.start();
    return worker;
  }

  /** A receiver that hangs holds at most per-webhook requests; another webhook's go on meanwhile. */
  @Test
  void aHangingReceiverHoldsAtMostItsPerWebhookRequestsAndOthersAreDelivered() throws Exception {
    try (Receiver slow = new Receiver().answering(0, 0, 0, 0, 0, 0)) {
      parts.webhooks.put("slow", slow.url(), null, null);
      parts.webhooks.put("fast", receiver.url(), null, null);
      // Two rounds: six may be claimed for three requests.
      DeliveryWorker worker = worker(8, 3, 60);
      for (int i = 1; i <= 6; i++) {
        parts.recorder.record("c-" + i, visit("e-" + i), ALERTS);
      }
      await("the fast receiver's six deliveries", Duration.ofSeconds(60),
          () -> counted.getOrDefault(Delivery.DELIVERED, new AtomicInteger()).get() == 6);
      await("the slow receiver's six claimed", Duration.ofSeconds(60),
          () -> worker.inFlight("slow") + worker.waiting("slow") == 6);
      assertThat(worker.inFlight("slow")).isEqualTo(3);
      assertThat(worker.waiting("slow")).isEqualTo(3);
      await("three requests at the slow receiver", Duration.ofSeconds(60), () -> slow.received.size() == 3);
      assertThat(worker.inFlight("slow")).isEqualTo(3);
      assertThat(receiver.received).hasSize(6);
    }
  }

  /** Requests in flight stay within the concurrency whatever the webhook. */
  @Test
  void requestsInFlightStayWithinTheConcurrency() throws Exception {
    receiver.answering(0, 0, 0, 0, 0, 0);
    parts.webhooks.put("crm", receiver.url(), null, null);
    DeliveryWorker worker = worker(2, 8, 80); // three rounds: six claimed for two requests
    for (int i = 1; i <= 6; i++) {
      parts.recorder.record("c-" + i, visit("e-" + i), ALERTS);
    }
    await("the six claimed", Duration.ofSeconds(60), () -> worker.inFlight(null) + worker.waiting(null) == 6);
    assertThat(worker.inFlight(null)).isEqualTo(2);
    await("two requests at the receiver", Duration.ofSeconds(60), () -> receiver.received.size() == 2);
    assertThat(worker.inFlight(null)).isEqualTo(2);
  }

  /**
   * A deliverer claims no more than its request slots send within a lease (one round here: 40 s
   * leases, 20 s time-outs) to one webhook: the rest stays free for other instances.
   */
  @Test
  void aDelivererClaimsNoMoreForAWebhookThanItSendsWithinALease() throws Exception {
    receiver.answering(0, 0, 0, 0, 0, 0);
    try (Receiver other = new Receiver().answering(0, 0, 0, 0, 0, 0)) {
      parts.webhooks.put("crm", receiver.url(), null, null);
      parts.webhooks.put("erp", other.url(), null, null);
      // Per webhook: one slot, one round: one claimed of crm's three, one of erp's three.
      DeliveryWorker perWebhook = worker(4, 1, 40);
      for (int i = 1; i <= 3; i++) {
        parts.recorder.record("c-" + i, visit("e-" + i), ALERTS);
      }
      await("one request at each receiver", Duration.ofSeconds(60),
          () -> receiver.received.size() == 1 && other.received.size() == 1);
      assertThat(perWebhook.inFlight(null) + perWebhook.waiting(null)).isEqualTo(2);
      parts.refresh();
      Instant now = parts.clock.instant();
      assertThat(parts.deliveries.claim("probe", now, now.plusSeconds(60), 10, List.of())).hasSize(4);
    }
  }

  /** Overall: one slot, one round: one claimed of the two webhooks' four deliveries. */
  @Test
  void aDelivererClaimsNoMoreThanItsConcurrencySendsWithinALease() throws Exception {
    receiver.answering(0, 0, 0, 0);
    try (Receiver other = new Receiver().answering(0, 0, 0, 0)) {
      parts.webhooks.put("crm", receiver.url(), null, null);
      parts.webhooks.put("erp", other.url(), null, null);
      DeliveryWorker overall = worker(1, 4, 40);
      for (int i = 1; i <= 2; i++) {
        parts.recorder.record("c-" + i, visit("e-" + i), ALERTS);
      }
      await("one request", Duration.ofSeconds(60), () -> receiver.received.size() + other.received.size() == 1);
      assertThat(overall.inFlight(null) + overall.waiting(null)).isEqualTo(1);
      parts.refresh();
      Instant now = parts.clock.instant();
      assertThat(parts.deliveries.claim("probe", now, now.plusSeconds(60), 10, List.of())).hasSize(3);
    }
  }
}
