package io.relais.api.config;

import io.relais.engine.store.StoreGuard;
import io.relais.engine.store.StoreSettings;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where contacts, events and rulesets are stored ({@code relais.store.*}), and how calls to it
 * are guarded.
 *
 * @param url HTTP address of an Elasticsearch node or load balancer
 * @param indexPrefix prefix of every index Relais owns, e.g. {@code relais} gives {@code
 *     relais-contacts}
 * @param connectTimeout how long to wait for a connection to the store
 * @param responseTimeout how long to wait for the store to answer a request
 * @param maxConcurrentCalls store calls in flight at once (also the connection pool size)
 * @param maxCallsPerCaller store calls in flight at once for one caller, an API key or background
 *     work (default: half of {@code maxConcurrentCalls}); the slots are shared fairly between them
 * @param maxWait how long a call waits for a free slot before it fails with 503
 * @param failureThreshold consecutive failed calls that open the circuit breaker
 * @param openDuration how long the open circuit answers 503 at once before trying the store again
 * @param watchInterval how often the store's health is checked, to re-create indices when it
 *     comes back
 */
@ConfigurationProperties("relais.store")
public record StoreProperties(
    @DefaultValue("http://127.0.0.1:9200") URI url,
    @DefaultValue("relais") String indexPrefix,
    @DefaultValue("1s") Duration connectTimeout,
    @DefaultValue("3s") Duration responseTimeout,
    @DefaultValue("32") int maxConcurrentCalls,
    Integer maxCallsPerCaller,
    @DefaultValue("200ms") Duration maxWait,
    @DefaultValue("5") int failureThreshold,
    @DefaultValue("5s") Duration openDuration,
    @DefaultValue("2s") Duration watchInterval) {

  public StoreProperties {
    if (maxCallsPerCaller == null) {
      maxCallsPerCaller = StoreGuard.defaultCallsPerCaller(maxConcurrentCalls);
    }
  }

  /** The engine's view of these settings; validates them. */
  public StoreSettings toSettings() {
    return new StoreSettings(url, indexPrefix, connectTimeout, responseTimeout);
  }

  /** The guard of every store call; validates it. */
  public StoreGuard toGuard() {
    return new StoreGuard(maxConcurrentCalls, maxWait, failureThreshold, openDuration, maxCallsPerCaller);
  }
}
