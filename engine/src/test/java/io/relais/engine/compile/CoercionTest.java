package io.relais.engine.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.ast.ValueType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Dates and date-times read only within years 1 to 9999: beyond, Java reads them, the store does not. */
class CoercionTest {

  @Test
  void datesOfTheYearsOneTo9999ReadAndOthersAreOfTheWrongType() {
    assertThat(Coercion.read("0001-01-01", ValueType.DATE, ZoneOffset.UTC)).isEqualTo(LocalDate.of(1, 1, 1));
    assertThat(Coercion.read("9999-12-31", ValueType.DATE, ZoneOffset.UTC)).isEqualTo(LocalDate.of(9999, 12, 31));
    assertThat(Coercion.read("+999999999-12-31", ValueType.DATE, ZoneOffset.UTC)).isSameAs(Coercion.INVALID);
    assertThat(Coercion.read("-0001-12-31", ValueType.DATE, ZoneOffset.UTC)).isSameAs(Coercion.INVALID);
    assertThat(Coercion.read(LocalDate.MAX, ValueType.DATE, ZoneOffset.UTC)).isSameAs(Coercion.INVALID);
  }

  @Test
  void dateTimesOfTheYearsOneTo9999ReadAndOthersAreOfTheWrongType() {
    assertThat(Coercion.read("9999-12-31T23:59:59.999999999Z", ValueType.DATETIME, ZoneOffset.UTC))
        .isEqualTo(Coercion.LAST_INSTANT);
    assertThat(Coercion.read("0001-01-01T00:00:00Z", ValueType.DATETIME, ZoneOffset.UTC))
        .isEqualTo(Coercion.FIRST_INSTANT);
    assertThat(Coercion.read("+10000-01-01T00:00:00Z", ValueType.DATETIME, ZoneOffset.UTC)).isSameAs(Coercion.INVALID);
    assertThat(Coercion.read(Instant.MAX, ValueType.DATETIME, ZoneOffset.UTC)).isSameAs(Coercion.INVALID);
    assertThat(Coercion.inRange(Instant.parse("2026-11-29T00:00:00Z"))).isTrue();
    assertThat(Coercion.inRange(Instant.MIN)).isFalse();
  }
}
