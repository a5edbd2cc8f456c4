package io.relais.api.config;

import io.relais.engine.actions.DeliverySettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How actions are delivered to webhooks ({@code relais.webhooks.*}, docs/webhooks.md).
 *
 * @param worker whether this instance sends deliveries (any instance creates them)
 * @param concurrency requests in flight at most from this instance (asynchronous: no thread each)
 * @param perWebhook requests in flight at most to one webhook, so a slow receiver leaves others room
 * @param batch deliveries claimed at most in one round (one search, one bulk of conditional updates)
 * @param timeout how long a receiver has to answer before the attempt counts as failed
 * @param lease how long a claimed delivery stays this instance's (at least twice the time-out)
 * @param poll how often an idle instance looks for due deliveries
 * @param window how long a delivery is retried from its due time before it is failed
 * @param refresh how often an instance reads the subscriptions again (changes made on others)
 * @param handoff deliveries at most waiting in this instance's deliverer for one created here to be handed
 *     to it (claimed at creation, no search); beyond, it is created unclaimed and found by a search
 * @param secretKey base64 of 32 random bytes sealing the signing secrets in the store (AES-GCM);
 *     empty: secrets are stored in clear, with a warning at start
 */
@ConfigurationProperties("relais.webhooks")
public record WebhooksProperties(
    @DefaultValue("true") boolean worker,
    @DefaultValue("128") int concurrency,
    @DefaultValue("64") int perWebhook,
    @DefaultValue("500") int batch,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("1m") Duration lease,
    @DefaultValue("250ms") Duration poll,
    @DefaultValue("3d") Duration window,
    @DefaultValue("5s") Duration refresh,
    @DefaultValue("1000") int handoff,
    String secretKey) {

  /** The engine's view of these settings. */
  public DeliverySettings toSettings() {
    return new DeliverySettings(concurrency, perWebhook, batch, timeout, lease, poll, window, refresh, handoff);
  }
}
