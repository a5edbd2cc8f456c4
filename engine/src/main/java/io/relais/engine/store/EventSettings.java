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
 * @param recentWindow how far back a contact's document keeps its recent events (docs/store.md):
 *     a ruleset whose history windows fit in it reads no events index
 * @param recentMax the most recent events a contact's document keeps (the oldest leave first);
 *     0 keeps none, so every history read searches the events index
 * @param recoveryLag how old an outbox entry is when the recovery sweep checks that its document
 *     exists (docs/store.md, "Crash recovery"): longer than a contact write can take to be
 *     searchable (the store's response time-out plus the contacts index's refresh interval)
 */
public record EventSettings(int maxAttempts, Duration maxBackoff, int maxHistory, Duration outboxGrace,
    Duration recentWindow, int recentMax, Duration recoveryLag) {

  static final Duration DEFAULT_RECENT_WINDOW = Duration.ofDays(90);
  static final int DEFAULT_RECENT_MAX = 100;
  static final Duration DEFAULT_RECOVERY_LAG = Duration.ofMinutes(1);

  public EventSettings {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (maxHistory < 1) {
      throw new IllegalArgumentException("maxHistory must be at least 1");
    }
    if (maxBackoff.isNegative() || outboxGrace.isNegative() || recentWindow.isNegative()
        || recoveryLag.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (recentMax < 0 || recentMax > RecentEvents.HARD_MAX_EVENTS) {
      throw new IllegalArgumentException("recentMax must be between 0 and " + RecentEvents.HARD_MAX_EVENTS);
    }
  }

  /** The settings with the default recovery lag (1 minute). */
  public EventSettings(int maxAttempts, Duration maxBackoff, int maxHistory, Duration outboxGrace,
      Duration recentWindow, int recentMax) {
    this(maxAttempts, maxBackoff, maxHistory, outboxGrace, recentWindow, recentMax, DEFAULT_RECOVERY_LAG);
  }

  /** The settings with the default recent events (90 days, at most 100) and recovery lag. */
  public EventSettings(int maxAttempts, Duration maxBackoff, int maxHistory, Duration outboxGrace) {
    this(maxAttempts, maxBackoff, maxHistory, outboxGrace, DEFAULT_RECENT_WINDOW, DEFAULT_RECENT_MAX);
  }

  public static EventSettings defaults() {
    return new EventSettings(100, Duration.ofMillis(50), 10_000, Duration.ofSeconds(5));
  }
}
