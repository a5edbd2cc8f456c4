package io.relais.engine.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** LocalTimes gives what atZone gives, also around transitions, with a bounded memory. */
class LocalTimesTest {

  private static final List<ZoneId> ZONES = List.of(ZoneId.of("Europe/Paris"),
      ZoneId.of("America/New_York"), ZoneId.of("Australia/Lord_Howe"), ZoneId.of("Asia/Kolkata"),
      ZoneId.of("Pacific/Apia"), ZoneId.of("UTC"), ZoneOffset.ofHoursMinutes(-3, -30));

  @Test
  void everyInstantReadsAsAtZoneReadsIt() {
    Random random = new Random(21);
    for (ZoneId zone : ZONES) {
      // Consecutive nows (the cache's case), then jumps back and forth over years.
      Instant now = Instant.parse("2026-01-01T00:00:00Z");
      for (int i = 0; i < 20_000; i++) {
        now = i % 1000 == 999
            ? Instant.ofEpochSecond(random.nextLong(-2_000_000_000L, 4_000_000_000L), random.nextInt(1_000_000_000))
            : now.plusSeconds(random.nextInt(4 * 3600)).plusNanos(random.nextInt(1_000_000_000));
        assertThat(LocalTimes.date(now, zone)).as("%s %s", zone, now).isEqualTo(now.atZone(zone).toLocalDate());
        assertThat(LocalTimes.dateTime(now, zone)).as("%s %s", zone, now).isEqualTo(now.atZone(zone).toLocalDateTime());
      }
    }
  }

  @Test
  void theSecondsAroundEachTransitionReadAsAtZoneReadsThem() {
    for (ZoneId zone : ZONES) {
      Instant at = Instant.parse("2025-01-01T00:00:00Z");
      for (int n = 0; n < 6; n++) {
        var next = zone.getRules().nextTransition(at);
        if (next == null) {
          break;
        }
        Instant t = next.getInstant();
        for (long nanos : new long[] {-1_000_000_001L, -1L, 0L, 1L, 999_999_999L, 1_000_000_000L}) {
          Instant i = t.plusNanos(nanos);
          assertThat(LocalTimes.dateTime(i, zone)).as("%s %s", zone, i).isEqualTo(i.atZone(zone).toLocalDateTime());
          assertThat(LocalTimes.date(i, zone)).as("%s %s", zone, i).isEqualTo(i.atZone(zone).toLocalDate());
        }
        at = t;
      }
    }
  }

  @Test
  void atMostSoManyZonesAreRemembered() {
    Instant now = Instant.parse("2026-07-01T12:00:00Z");
    for (int minutes = 0; minutes < 2 * LocalTimes.MAX_ZONES; minutes++) {
      ZoneId zone = ZoneOffset.ofTotalSeconds(minutes * 60);
      assertThat(LocalTimes.date(now, zone)).isEqualTo(now.atZone(zone).toLocalDate());
    }
    assertThat(LocalTimes.remembered()).isLessThanOrEqualTo(LocalTimes.MAX_ZONES);
    // A zone not remembered still reads right.
    ZoneId last = ZoneOffset.ofTotalSeconds((2 * LocalTimes.MAX_ZONES - 1) * 60);
    assertThat(LocalTimes.dateTime(now.plus(Duration.ofDays(1)), last))
        .isEqualTo(now.plus(Duration.ofDays(1)).atZone(last).toLocalDateTime());
  }
}
