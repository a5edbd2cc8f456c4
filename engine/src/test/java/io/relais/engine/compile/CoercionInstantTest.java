package io.relais.engine.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The stored instants' fast reading ({@link Coercion#parseIso}) gives what the formatter gives,
 * and leaves every text it does not read exactly to the formatter (a null), invalid ones
 * included.
 */
class CoercionInstantTest {

  private static final long FIRST = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
  private static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

  @Test
  void theStoredTextsReadAsTheFormatterReadsThem() {
    Random random = new Random(11);
    for (int i = 0; i < 200_000; i++) {
      Instant instant = Instant.ofEpochSecond(random.nextLong(FIRST, LAST + 1), nanos(random));
      String text = i % 2 == 0 ? instant.toString() : withFraction(instant, random.nextInt(10));
      assertThat(Coercion.parseIso(text)).as(text).isEqualTo(Instant.parse(text))
          .isEqualTo(OffsetDateTime.parse(text).toInstant());
      assertThat(Coercion.instant(text)).as(text).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void anyOtherTextIsLeftToTheFormatter() {
    List<String> others = List.of("2026-02-29T10:00:00Z", "2024-02-30T10:00:00Z", "2026-04-31T10:00:00Z",
        "2026-13-01T10:00:00Z", "2026-00-01T10:00:00Z", "2026-01-00T10:00:00Z", "2026-01-01T24:00:00Z",
        "2026-01-01T10:60:00Z", "2026-01-01T10:00:60Z", "2026-01-01t10:00:00z", "2026-01-01T10:00:00.Z",
        "2026-01-01T10:00:00.1234567891Z", "2026-01-01T10:00:00+01:00", "+10000-01-01T00:00:00Z",
        "2026-01-01 10:00:00Z", "2026-1-01T10:00:00Z", "2026-01-01T10:00:0aZ", "２026-01-01T10:00:00Z", "");
    for (String text : others) {
      assertThat(Coercion.parseIso(text)).as(text).isNull();
    }
    assertThatThrownBy(() -> Coercion.instant("2026-02-29T10:00:00Z")).isInstanceOf(DateTimeParseException.class);
    assertThat(Coercion.instant("2026-01-01T10:00:00+01:00")).isEqualTo(Instant.parse("2026-01-01T09:00:00Z"));
  }

  @Test
  void aMutatedTextIsReadOnlyWhenTheFormatterReadsItTheSame() {
    Random random = new Random(13);
    String alphabet = "0123456789-:.TZtz+ 9";
    for (int i = 0; i < 100_000; i++) {
      Instant instant = Instant.ofEpochSecond(random.nextLong(FIRST, LAST + 1), nanos(random));
      char[] text = withFraction(instant, random.nextInt(10)).toCharArray();
      text[random.nextInt(text.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
      String mutated = new String(text);
      Instant fast = Coercion.parseIso(mutated);
      if (fast != null) {
        assertThat(fast).as(mutated).isEqualTo(Instant.parse(mutated));
      }
      if (!reads(mutated)) {
        assertThat(fast).as(mutated).isNull();
      }
    }
  }

  private static boolean reads(String text) {
    try {
      Instant.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static int nanos(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> 0;
      case 1 -> random.nextInt(1000) * 1_000_000;
      case 2 -> random.nextInt(1_000_000) * 1000;
      default -> random.nextInt(1_000_000_000);
    };
  }

  // The instant with exactly `digits` digits of fraction (none: no point), truncated.
  private static String withFraction(Instant instant, int digits) {
    String whole = instant.toString();
    String base = whole.substring(0, 19);
    if (digits == 0) {
      return base + "Z";
    }
    String nanos = String.format("%09d", instant.getNano());
    return base + "." + nanos.substring(0, digits) + "Z";
  }
}
