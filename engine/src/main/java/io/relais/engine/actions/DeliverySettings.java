package io.relais.engine.actions;

import java.time.Duration;

/**
 * How this instance delivers webhooks.
 *
 * @param concurrency requests in flight at most (a receiver that hangs holds one for {@code timeout})
 * @param perWebhook requests in flight to one webhook at most, so a slow receiver leaves the others room
 * @param batch deliveries claimed at most in one round (one search and one bulk of conditional updates)
 * @param timeout how long a receiver has to answer (its status and the first bytes of its body)
 * @param lease how long a claimed delivery stays this instance's; at least twice {@code timeout}
 * @param poll how often an idle worker looks for due deliveries
 * @param window how long a delivery is retried from its due time before it has failed
 * @param refresh how often the subscriptions are read again (changes on other instances)
 * @param handoff deliveries at most waiting in this deliverer (handed off or claimed, not yet sent) for one
 *     created on this instance to be handed to it; beyond, it is created unclaimed and found by a search
 */
public record DeliverySettings(int concurrency, int perWebhook, int batch, Duration timeout, Duration lease,
    Duration poll, Duration window, Duration refresh, int handoff) {

  public DeliverySettings {
    if (concurrency < 1) {
      throw new IllegalArgumentException("relais.webhooks.concurrency must be at least 1");
    }
    if (perWebhook < 1) {
      throw new IllegalArgumentException("relais.webhooks.per-webhook must be at least 1");
    }
    if (batch < 1) {
      throw new IllegalArgumentException("relais.webhooks.batch must be at least 1");
    }
    if (handoff < 0) {
      throw new IllegalArgumentException("relais.webhooks.handoff must be at least 0");
    }
    if (lease.compareTo(timeout.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("relais.webhooks.lease must be at least twice relais.webhooks.timeout");
    }
  }

  /** The documented defaults. */
  public static DeliverySettings defaults() {
    return new DeliverySettings(128, 64, 500, Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMillis(250),
        Duration.ofDays(3), Duration.ofSeconds(5), 1000);
  }

  /** These settings with {@code handoff} instead. */
  public DeliverySettings withHandoff(int handoff) {
    return new DeliverySettings(concurrency, perWebhook, batch, timeout, lease, poll, window, refresh, handoff);
  }

  /**
   * How many time-outs a claimed delivery may wait for a free request before its own attempt:
   * one less than the time-outs in a lease, so every attempt ends within its lease.
   */
  int rounds() {
    return (int) Math.max(1, lease.toMillis() / Math.max(1, timeout.toMillis()) - 1);
  }

  /** How long a claimed delivery may take from joining the queue to its attempt's end: rounds time-outs. */
  Duration budget() {
    return timeout.multipliedBy(rounds());
  }
}
