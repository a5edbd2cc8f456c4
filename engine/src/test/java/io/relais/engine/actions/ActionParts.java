package io.relais.engine.actions;

import static org.assertj.core.api.Assertions.assertThat;
import io.relais.engine.testing.SettableClock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.EventLog;
import io.relais.engine.store.EventRecorder;
import io.relais.engine.store.EventSettings;
import io.relais.engine.store.GroupCommit;
import io.relais.engine.store.GroupCommitSettings;
import io.relais.engine.store.GroupRead;
import io.relais.engine.store.StoreCalls;
import io.relais.engine.store.StoreIndices;
import io.relais.engine.store.StoreReads;
import io.relais.engine.store.StoreSettings;
import io.relais.engine.store.StoreWrites;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** The event protocol with actions and webhooks, as the service wires it, on a fresh prefix of the build's node. */
final class ActionParts implements AutoCloseable {

  final ElasticsearchStore store;
  final ObjectMapper json = new ObjectMapper()
      .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
      .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
  final StoreCalls calls = StoreCalls.uncounted();
  final StoreIndices indices;
  final GroupCommit writes;
  final GroupRead reads;
  final GroupCommit documents;
  final ContactStore contacts;
  final EventLog events;
  final EventRecorder recorder;
  final Webhooks webhooks;
  final Deliveries deliveries;
  final Actions actions;

  ActionParts(StoreSettings settings) {
    store = ElasticsearchStore.connect(settings);
    indices = new StoreIndices(store, calls);
    indices.ensureAll();
    writes = new GroupCommit(StoreWrites.direct(store, calls), GroupCommitSettings.defaults());
    reads = new GroupRead(StoreReads.direct(store, calls), GroupCommitSettings.defaults());
    documents = new GroupCommit("relais-group-commit-documents", StoreWrites.searchable(store, calls),
        new GroupCommitSettings(4096, 8192, Duration.ZERO), refused -> { });
    contacts = new ContactStore(store, indices, calls, json, writes, reads);
    events = new EventLog(store, indices, calls, writes, StoreReads.searchable(store, calls), documents);
    recorder = new EventRecorder(contacts, events, clock,
        new EventSettings(200, Duration.ofMillis(20), 10_000, Duration.ofSeconds(30)));
    webhooks = new Webhooks(store, calls, SecretBox.of(null), clock);
    deliveries = new Deliveries(store, calls);
    actions = new Actions(store, webhooks, deliveries, json);
    events.actions(actions);
  }

  /** Short time-outs and polls. */
  static final DeliverySettings SHORT = new DeliverySettings(4, 4, 100, Duration.ofSeconds(2), Duration.ofSeconds(4),
      Duration.ofMillis(50), Duration.ofDays(3), Duration.ofMillis(200), 1000);

  /** A worker with short time-outs and polls, on the settable clock, handed the deliveries created here. */
  DeliveryWorker worker(DeliveryListener listener) {
    return worker(listener, SHORT);
  }

  /** A worker with {@code settings}, on the settable clock, handed the deliveries created here (as the service's). */
  DeliveryWorker worker(DeliveryListener listener, DeliverySettings settings) {
    DeliveryWorker worker = new DeliveryWorker(deliveries, webhooks, clock, settings, listener);
    actions.handTo(worker);
    return worker;
  }

  /** One ALERT on every page visit. */
  static final CompiledRuleset ALERTS = compile("""
      alert "Hot lead"
      when event is page_visit
      then notify "sales@acme.fr" with "{{contact.id}} is back"
      end
      """);

  /** A listener counting attempts ({@code attempt <result>}) and ended deliveries (by outcome) in {@code counted}. */
  static DeliveryListener counting(java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> counted) {
    return new DeliveryListener() {
      @Override
      public void attempted(String webhook, String result) {
        counted.computeIfAbsent("attempt " + result, k -> new java.util.concurrent.atomic.AtomicInteger())
            .incrementAndGet();
      }

      @Override
      public void ended(String webhook, String outcome) {
        counted.computeIfAbsent(outcome, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
      }
    };
  }

  static CompiledRuleset compile(String text) {
    CheckResult checked = RuleLanguage.check("test", List.of(new Source("test.rules", text)));
    assertThat(checked.errors()).extracting(Diagnostic::render).isEmpty();
    return CompiledRuleset.compile(checked.ruleset().orElseThrow(), 1);
  }

  /** Makes everything written so far searchable. */
  void refresh() throws Exception {
    assertThat(writes.awaitIdle(Duration.ofSeconds(30))).isTrue();
    assertThat(documents.awaitIdle(Duration.ofSeconds(30))).isTrue();
    store.client().indices().refresh(r -> r.index(indices.events(), indices.contacts(), actions.index(),
        deliveries.index()));
  }

  long count(String index) throws Exception {
    refresh();
    return store.client().count(c -> c.index(index)).count();
  }

  static void await(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // a polling interval, not a wait for an outcome
    }
  }

  @Override
  public void close() throws Exception {
    deliveries.close();
    documents.close();
    writes.close();
    reads.close();
    store.client().indices().delete(d -> d.index(indices.contacts(), indices.events(), indices.recovery(), actions.index(),
        deliveries.index(), webhooks.index()).ignoreUnavailable(true));
    store.close();
  }
}
