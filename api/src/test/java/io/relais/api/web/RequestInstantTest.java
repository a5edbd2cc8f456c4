package io.relais.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestInstantTest {

  record Request(@JsonDeserialize(using = RequestInstant.class) Instant now) {}

  private final ObjectMapper json = new ObjectMapper();

  private Instant read(String value) throws Exception {
    return json.readValue("{\"now\": " + value + "}", Request.class).now();
  }

  @Test
  void readsIsoTimesWithAnOffset() throws Exception {
    assertThat(read("\"2026-11-22T11:00:00+01:00\"")).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
    assertThat(read("\"9999-12-31T23:59:59Z\"")).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    assertThat(read("\"0001-01-01T00:00:00Z\"")).isEqualTo(RequestInstant.MIN);
  }

  @Test
  void refusesNumbersTimesWithoutOffsetAndYearsOutOfRange() {
    for (String value : new String[] {"1700000000", "1.5", "true", "\"2026-11-22T10:00:00\"",
        "\"+999999999-12-31T23:59:59Z\"", "\"+10000-01-01T00:00:00Z\"", "\"-0001-12-31T23:59:59Z\"", "\"soon\""}) {
      assertThatThrownBy(() -> read(value)).as(value).isInstanceOf(MismatchedInputException.class);
    }
  }
}
