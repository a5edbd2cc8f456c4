package io.relais.api.store;

import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.StoreHealth;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/** {@code /actuator/health} component {@code store}: the Elasticsearch cluster's health. */
@Component("store")
public class StoreHealthIndicator extends AbstractHealthIndicator {

  private final ElasticsearchStore store;

  public StoreHealthIndicator(ElasticsearchStore store) {
    super("store health check failed");
    this.store = store;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    StoreHealth health = store.health();
    builder
        .status(health.isUp() ? "UP" : "DOWN")
        .withDetail("url", store.settings().url().toString())
        .withDetail("cluster", health.cluster())
        .withDetail("status", health.status())
        .withDetail("nodes", health.nodes());
  }
}
