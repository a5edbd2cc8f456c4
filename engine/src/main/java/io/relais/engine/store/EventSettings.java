package io.relais.engine.store;

import java.time.Duration;

/**
 * How events are recorded.
 *
 * @param maxAttempts conditional writes tried per event before giving up (contention)
 * @param maxBackoff the longest pause between two attempts (pauses grow and are randomised)
 * @param maxHistory the most events read for one evaluation, newest first
 * @param outboxGrace how long an event stays in its contact's outbox at least: well above the
 *     events index's refresh interval (1 s), so its document is searchable by then, and long
 *     enough for the instance that recorded it to have written that document
 */
public record EventSettings(int maxAttempts, Duration maxBackoff, int maxHistory, Duration outboxGrace) {

  public EventSettings {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (maxHistory < 1) {
      throw new IllegalArgumentException("maxHistory must be at least 1");
    }
    if (maxBackoff.isNegative() || outboxGrace.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }

  public static EventSettings defaults() {
    return new EventSettings(100, Duration.ofMillis(50), 10_000, Duration.ofSeconds(5));
  }
}
