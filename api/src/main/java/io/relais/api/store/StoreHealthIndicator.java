package io.relais.api.store;

import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.StoreHealth;
import io.relais.engine.store.StoreUnavailableException;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code store}: the Elasticsearch cluster's health. Details
 * (shown to admin keys only) name the store and its circuit, never an exception's text.
 */
@Component("store")
public class StoreHealthIndicator extends AbstractHealthIndicator {

  private final ElasticsearchStore store;

  public StoreHealthIndicator(ElasticsearchStore store) {
    super("store health check failed");
    this.store = store;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    builder.withDetail("urls", store.settings().urls().toString())
        .withDetail("circuit", store.circuit().name().toLowerCase(java.util.Locale.ROOT));
    try {
      StoreHealth health = store.health();
      builder
          .status(health.isUp() ? "UP" : "DOWN")
          .withDetail("cluster", health.cluster())
          .withDetail("status", health.status())
          .withDetail("nodes", health.nodes())
          .withDetail("dataNodes", health.dataNodes());
    } catch (StoreUnavailableException e) {
      builder.down().withDetail("reachable", false);
    }
  }
}
