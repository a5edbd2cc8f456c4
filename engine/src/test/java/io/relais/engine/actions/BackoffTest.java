package io.relais.engine.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The retry schedule: 5 s, 30 s, 2 min, 10 min, 1 h, 6 h, then every 6 h, within 3 days. */
class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofDays(3));

  @Test
  void theDelaysGrowThenStayAtSixHours() {
    List<Duration> delays = new ArrayList<>();
    for (int attempts = 1; attempts <= 8; attempts++) {
      delays.add(Backoff.delay(attempts));
    }
    assertThat(delays).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2),
        Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(6), Duration.ofHours(6), Duration.ofHours(6));
  }

  @Test
  void aDeliveryFailingEveryAttemptFailsOnceThreeDaysHavePassed() {
    Instant start = Instant.parse("2026-11-22T10:00:00Z");
    Instant now = start;
    int attempts = 0;
    Optional<Instant> next;
    while (true) {
      attempts++;
      next = backoff.next(attempts, start, now);
      if (next.isEmpty()) {
        break;
      }
      now = next.get();
    }
    // The last attempt is within the window and the one after it would not be.
    assertThat(now).isBefore(start.plus(Duration.ofDays(3)));
    assertThat(now.plus(Duration.ofHours(6))).isAfter(start.plus(Duration.ofDays(3)));
    // 0, 5 s, 35 s, 2 min 35 s, 12 min 35 s, 1 h 12 min 35 s, then eleven every 6 h: 17 attempts.
    assertThat(attempts).isEqualTo(17);
  }
}
