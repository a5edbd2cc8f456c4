package io.relais.api.config;

import io.relais.engine.actions.DeliverySettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How actions are delivered to webhooks ({@code relais.webhooks.*}, docs/webhooks.md).
 *
 * @param worker whether this instance sends deliveries (any instance creates them)
 * @param threads requests in flight at most from this instance, in a pool of their own
 * @param timeout how long a receiver has to answer before the attempt counts as failed
 * @param lease how long a claimed delivery stays this instance's (at least twice the time-out)
 * @param poll how often an idle instance looks for due deliveries
 * @param window how long a delivery is retried from its due time before it is failed
 * @param refresh how often an instance reads the subscriptions again (changes made on others)
 * @param secretKey base64 of 32 random bytes sealing the signing secrets in the store (AES-GCM);
 *     empty: secrets are stored in clear, with a warning at start
 */
@ConfigurationProperties("relais.webhooks")
public record WebhooksProperties(
    @DefaultValue("true") boolean worker,
    @DefaultValue("32") int threads,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("1m") Duration lease,
    @DefaultValue("250ms") Duration poll,
    @DefaultValue("3d") Duration window,
    @DefaultValue("5s") Duration refresh,
    String secretKey) {

  /** The engine's view of these settings. */
  public DeliverySettings toSettings() {
    return new DeliverySettings(threads, timeout, lease, poll, window, refresh);
  }
}
