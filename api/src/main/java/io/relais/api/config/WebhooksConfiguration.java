package io.relais.api.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.relais.engine.actions.Actions;
import io.relais.engine.actions.Deliveries;
import io.relais.engine.actions.DeliveryListener;
import io.relais.engine.actions.DeliveryWorker;
import io.relais.engine.actions.SecretBox;
import io.relais.engine.actions.Webhooks;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.EventLog;
import io.relais.engine.store.StoreCalls;
import java.time.Clock;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Actions out: the subscriptions, the actions every event log writer creates, the deliveries and
 * this instance's worker (started when the application is ready, stopped with the context), and
 * their meters: {@code relais.webhook.deliveries} (by webhook and outcome), {@code
 * relais.webhook.attempts} (by webhook and result), {@code relais.webhook.oldest.pending} (seconds).
 */
@Configuration(proxyBeanMethods = false)
class WebhooksConfiguration {

  @Bean
  Webhooks webhooks(ElasticsearchStore store, StoreCalls calls, Clock clock, WebhooksProperties properties) {
    SecretBox box = SecretBox.of(properties.secretKey());
    if (!box.seals()) {
      LoggerFactory.getLogger(Webhooks.class).warn("relais.webhooks.secret-key is not set: webhook signing secrets "
          + "are stored in clear in the store (docs/operations.md)");
    }
    return new Webhooks(store, calls, box, clock);
  }

  @Bean(destroyMethod = "close")
  Deliveries deliveries(ElasticsearchStore store, StoreCalls calls) {
    return new Deliveries(store, calls);
  }

  /** Every event document this service writes creates its decision's actions first. */
  @Bean
  Actions actions(ElasticsearchStore store, Webhooks webhooks, Deliveries deliveries, ObjectMapper json,
      EventLog events) {
    Actions actions = new Actions(store, webhooks, deliveries, json);
    events.actions(actions);
    return actions;
  }

  @Bean(destroyMethod = "close")
  DeliveryWorker deliveryWorker(Deliveries deliveries, Webhooks webhooks, Clock clock, WebhooksProperties properties,
      MeterRegistry meters, Actions actions) {
    DeliveryWorker worker = new DeliveryWorker(deliveries, webhooks, clock, properties.toSettings(),
        new DeliveryListener() {
          @Override
          public void attempted(String webhook, String result) {
            meters.counter("relais.webhook.attempts", "webhook", webhook, "result", result).increment();
          }

          @Override
          public void ended(String webhook, String outcome) {
            meters.counter("relais.webhook.deliveries", "webhook", webhook, "outcome", outcome).increment();
          }
        });
    // Deliveries created here and due at once go straight to this deliverer while it runs.
    actions.handTo(worker);
    Gauge.builder("relais.webhook.oldest.pending", worker, DeliveryWorker::oldestPendingSeconds)
        .description("seconds since the oldest pending webhook delivery came due").baseUnit("seconds")
        .register(meters);
    return worker;
  }

  @Bean
  DeliveryWorkerStarter deliveryWorkerStarter(DeliveryWorker worker, Webhooks webhooks,
      WebhooksProperties properties) {
    return new DeliveryWorkerStarter(worker, webhooks, properties.worker());
  }

  /** Reads the subscriptions and starts this instance's deliverer when the application is ready. */
  static final class DeliveryWorkerStarter {
    private final DeliveryWorker worker;
    private final Webhooks webhooks;
    private final boolean enabled;

    DeliveryWorkerStarter(DeliveryWorker worker, Webhooks webhooks, boolean enabled) {
      this.worker = worker;
      this.webhooks = webhooks;
      this.enabled = enabled;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
      try {
        webhooks.refresh();
      } catch (RuntimeException e) {
        // The store may be down at start: the worker reads them on its first round that works.
        LoggerFactory.getLogger(Webhooks.class).warn("Webhook subscriptions not read at start: {}", e.toString());
      }
      if (enabled) {
        worker.start();
      }
    }
  }
}
