package io.relais.api.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import io.relais.engine.compile.Coercion;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * A time in a request's own fields (such as {@code now}): ISO-8601 text with an offset, within
 * the years 0001 to 9999. A number is refused (Jackson would read it as epoch seconds), and so is
 * a year like {@code +999999999}, which no rule's date arithmetic can serve.
 */
public final class RequestInstant extends StdScalarDeserializer<Instant> {

  /** The earliest time a request may name: the first instant data may hold too. */
  public static final Instant MIN = Coercion.FIRST_INSTANT;
  /** The latest time a request may name. */
  public static final Instant MAX = Coercion.LAST_INSTANT;

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
