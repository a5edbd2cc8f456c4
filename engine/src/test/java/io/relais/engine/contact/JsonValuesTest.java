package io.relais.engine.contact;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link JsonValues#iso} writes what {@link Instant#toString()} writes, for every instant. */
class JsonValuesTest {

  @Test
  void isoIsInstantToString() {
    List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.MIN, Instant.MAX,
        Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("0000-01-01T00:00:00Z").minusNanos(1),
        Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("9999-12-31T23:59:59.999999999Z").plusNanos(1),
        Instant.parse("1969-12-31T23:59:59.5Z"), Instant.parse("2026-11-22T10:00:00Z"),
        Instant.parse("2026-11-22T10:00:00.120Z"), Instant.parse("2026-11-22T10:00:00.000120Z"),
        Instant.parse("2026-11-22T10:00:00.000000120Z"), Instant.parse("2024-02-29T23:59:59.100000001Z")));
    Random random = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      long seconds = switch (i % 3) {
        case 0 -> random.nextLong(-62_167_219_200L - 86_400L * 400, 253_402_300_799L + 86_400L * 400);
        case 1 -> random.nextLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond());
        default -> random.nextLong(0, 4_102_444_800L);
      };
      int nanos = switch (random.nextInt(4)) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        default -> random.nextInt(1_000_000_000);
      };
      instants.add(Instant.ofEpochSecond(seconds, nanos));
    }
    for (Instant instant : instants) {
      assertThat(JsonValues.iso(instant)).as("%s", instant).isEqualTo(instant.toString());
    }
  }
}
