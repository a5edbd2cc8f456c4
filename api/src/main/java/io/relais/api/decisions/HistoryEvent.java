package io.relais.api.decisions;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.relais.api.web.RequestInstant;
import io.relais.engine.contact.Event;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An event of a decision request's {@code history}: {@code type} and {@code at} required, {@code
 * at} read as every time in a request ({@link RequestInstant}: ISO-8601 text with an offset,
 * within the years 0001 to 9999, never a number).
 */
public record HistoryEvent(String id, String type, @JsonDeserialize(using = RequestInstant.class) Instant at,
    Map<String, Object> attributes) {

  public HistoryEvent {
    // The bare names are the messages: the problem says "Field 'history[2]' needs \"at\"".
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
  }

  /** The event the engine evaluates. */
  public Event event() {
    return new Event(id, type, at, attributes);
  }
}
