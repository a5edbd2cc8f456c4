package io.relais.engine.contact;

import io.relais.engine.compile.Facts;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A behavioural event: a page visit, an e-mail open, a purchase... */
public record Event(String id, String type, Instant at, Map<String, Object> attributes)
    implements Facts.EventFact {

  public Event {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    attributes =
        attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

}
