package io.relais.api.store;

import io.relais.engine.registry.RulesetRegistry;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/readiness} component {@code serving}: OUT_OF_SERVICE until this
 * instance has read the active rulesets from the store and ensured Relais' indices exist, so a
 * balancer sends it nothing it would answer differently from the others. Once both happened it
 * stays UP: a store outage later is every instance's, answered 503 with {@code Retry-After}, and
 * taking all instances out of the balancer would only turn those into the balancer's errors.
 */
@Component("serving")
public class ServingReadiness extends AbstractHealthIndicator {

  private final RulesetRegistry rulesets;
  private final StoreWatcher watcher;

  public ServingReadiness(RulesetRegistry rulesets, StoreWatcher watcher) {
    super("readiness check failed");
    this.rulesets = rulesets;
    this.watcher = watcher;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    boolean loaded = rulesets.loaded();
    boolean indices = watcher.timesEnsured() > 0;
    (loaded && indices ? builder.up() : builder.outOfService())
        .withDetail("rulesetsLoaded", loaded)
        .withDetail("indicesEnsured", indices);
  }
}
