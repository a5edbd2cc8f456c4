package io.relais.engine.actions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a delivery that failed is tried again: about 5 s, 30 s, 2 min, 10 min, 1 h, 6 h after
 * each failed attempt, then every 6 h, as long as the attempt falls within the window (3 days)
 * from the delivery's first due time; after that it has failed for good.
 */
public final class Backoff {

  private static final List<Duration> DELAYS = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30),
      Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(6));

  private final Duration window;

  public Backoff(Duration window) {
    this.window = window;
  }

  /** The wait after the {@code attempts}-th failed attempt (1 for the first). */
  public static Duration delay(int attempts) {
    return DELAYS.get(Math.max(0, Math.min(attempts, DELAYS.size()) - 1));
  }

  /**
   * The next attempt after {@code attempts} failed ones, the last at {@code now}, of a delivery
   * first due at {@code start}; empty when it would fall beyond the window: failed.
   */
  public Optional<Instant> next(int attempts, Instant start, Instant now) {
    Instant next = now.plus(delay(attempts));
    return next.isAfter(start.plus(window)) ? Optional.empty() : Optional.of(next);
  }
}
