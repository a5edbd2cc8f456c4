package io.relais.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.relais.engine.fair.Callers;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.StoreSettings;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The store guard's Resilience4j metrics reach Micrometer, a caller's bulkhead once it has called. */
class StoreGuardMetricsTest {

  @Test
  void bulkheadsRetryAndCircuitBreakerArePublished() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (ElasticsearchStore store = ElasticsearchStore.connect(StoreSettings.local(URI.create("http://127.0.0.1:9")))) {
      new StoreConfiguration().storeGuardMetrics(store).bindTo(meters);
      try (Callers.Scope caller = Callers.as("key:crm")) {
        assertThat(store.read("test", () -> "ok")).isEqualTo("ok");
      }

      assertThat(meters.get("resilience4j.bulkhead.max.allowed.concurrent.calls").tag("name", "store").gauge().value())
          .isEqualTo(32);
      assertThat(meters.get("resilience4j.bulkhead.max.allowed.concurrent.calls").tag("name", "key:crm").gauge()
          .value()).isEqualTo(16);
      assertThat(meters.get("resilience4j.retry.calls").tag("name", "store-reads")
          .tag("kind", "successful_without_retry").functionCounter().count()).isEqualTo(1);
      assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "store").tag("state", "closed").gauge()
          .value()).isEqualTo(1);
    }
  }
}
