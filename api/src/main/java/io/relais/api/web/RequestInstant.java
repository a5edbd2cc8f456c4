package io.relais.api.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A time in a request's own fields (such as {@code now}): ISO-8601 text with an offset, within
 * the years 0001 to 9999. A number is refused (Jackson would read it as epoch seconds), and so is
 * a year like {@code +999999999}, which no rule's date arithmetic can serve.
 */
public final class RequestInstant extends StdScalarDeserializer<Instant> {

  /** The earliest time a request may name. */
  public static final Instant MIN = OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toInstant();
  /** The latest time a request may name. */
  public static final Instant MAX = OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999, ZoneOffset.UTC).toInstant();

  public RequestInstant() {
    super(Instant.class);
  }

  @Override
  public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      return (Instant) context.handleUnexpectedToken(Instant.class, parser);
    }
    String text = parser.getText().trim();
    try {
      Instant instant = OffsetDateTime.parse(text).toInstant();
      if (instant.isBefore(MIN) || instant.isAfter(MAX)) {
        return (Instant) context.handleWeirdStringValue(Instant.class, text, "out of range");
      }
      return instant;
    } catch (DateTimeException e) {
      return (Instant) context.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 time");
    }
  }
}
