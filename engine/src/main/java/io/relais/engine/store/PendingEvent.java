package io.relais.engine.store;

import io.relais.engine.contact.Event;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An event as recorded: the event, the ruleset version that decided on it, and the decision it
 * got (the JSON answered the first time, answered again on a replay). Kept in the contact's
 * outbox until its event document is searchable, then only in the events index.
 */
public record PendingEvent(
    String eventId,
    String type,
    Instant at,
    Map<String, Object> attributes,
    String ruleset,
    int version,
    Instant recordedAt,
    Map<String, Object> decision) {

  public PendingEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    decision = decision == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(decision));
  }

  /** The event the rules see in the history. */
  public Event toEvent() {
    return new Event(eventId, type, at, attributes);
  }
}
