package io.relais.engine.actions;

import java.time.Duration;

/**
 * How this instance delivers webhooks.
 *
 * @param threads requests in flight at most (a receiver that hangs holds one for {@code timeout})
 * @param timeout how long a receiver has to answer
 * @param lease how long a claimed delivery stays this instance's; longer than {@code timeout}
 * @param poll how often an idle worker looks for due deliveries
 * @param window how long a delivery is retried from its due time before it has failed
 * @param refresh how often the subscriptions are read again (changes on other instances)
 */
public record DeliverySettings(int threads, Duration timeout, Duration lease, Duration poll, Duration window,
    Duration refresh) {

  public DeliverySettings {
    if (threads < 1) {
      throw new IllegalArgumentException("relais.webhooks.threads must be at least 1");
    }
    if (lease.compareTo(timeout.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("relais.webhooks.lease must be at least twice relais.webhooks.timeout");
    }
  }

  /** The documented defaults. */
  public static DeliverySettings defaults() {
    return new DeliverySettings(32, Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMillis(250),
        Duration.ofDays(3), Duration.ofSeconds(5));
  }
}
