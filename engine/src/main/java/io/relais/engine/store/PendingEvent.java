package io.relais.engine.store;

import io.relais.engine.compile.Coercion;
import io.relais.engine.contact.Event;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An event as recorded: the event, the ruleset version that decided on it, and the decision it
 * got (the JSON answered the first time, answered again on a replay). Kept in the contact's
 * outbox until its event document is searchable, then only in the events index. Its {@code
 * origin}, when it has one, says which recorder process wrote the entry under which number
 * ({@link DocumentWatermark}); only the outbox entry keeps it. An instance that writes the
 * document of an entry it cannot vouch for again gives the entry a ticket of its own (docs/store.md,
 * "Adopted entries"). An earlier Relais's mark {@code seenSearchable} is not read: a read of one
 * copy proves nothing about the others.
 */
public record PendingEvent(
    String eventId,
    String type,
    Instant at,
    Map<String, Object> attributes,
    String ruleset,
    int version,
    Instant recordedAt,
    DecisionJson decision,
    Origin origin) {

  /** Which recorder process wrote an outbox entry, and its number there. */
  public record Origin(String recorder, long sequence) {
    public Origin {
      Objects.requireNonNull(recorder, "recorder");
    }
  }

  /** An event recorded with no origin: by a batch run, a tool, or a test. */
  public PendingEvent(String eventId, String type, Instant at, Map<String, Object> attributes, String ruleset,
      int version, Instant recordedAt, DecisionJson decision) {
    this(eventId, type, at, attributes, ruleset, version, recordedAt, decision, null);
  }

  public PendingEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    decision = decision == null ? DecisionJson.stored(null) : decision;
  }

  /**
   * The stored form: an outbox entry of the contact document, and (with {@code contactId}) the
   * event's own document. Built by hand, not by the object mapper, which would write the
   * decision out and read it back on every write; the decision goes in compressed
   * ({@link DecisionJson#FIELD}).
   */
  public Map<String, Object> toDocument() {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("eventId", eventId);
    document.put("type", type);
    document.put("at", at.toString());
    document.put("attributes", attributes);
    document.put("recordedAt", recordedAt.toString());
    document.put("ruleset", ruleset);
    document.put("version", version);
    document.put(DecisionJson.FIELD, decision);
    return document;
  }

  /** The form of an outbox entry: {@link #toDocument()} with the origin, if any. */
  public Map<String, Object> toOutboxEntry() {
    Map<String, Object> entry = toDocument();
    if (origin != null) {
      entry.put("recorder", origin.recorder());
      entry.put("sequence", origin.sequence());
    }
    return entry;
  }

  /**
   * This entry under another recorder's ticket: adopted by the instance that writes its document
   * again (docs/store.md, "Adopted entries").
   */
  public PendingEvent adopted(Origin ticket) {
    return new PendingEvent(eventId, type, at, attributes, ruleset, version, recordedAt, decision, ticket);
  }

  /**
   * Back from {@link #toDocument()}'s or {@link #toOutboxEntry()}'s form (other fields of the
   * document are ignored).
   */
  @SuppressWarnings("unchecked")
  public static PendingEvent fromDocument(Map<?, ?> document) {
    Object version = document.get("version");
    return new PendingEvent(String.valueOf(document.get("eventId")), String.valueOf(document.get("type")),
        Coercion.instant(String.valueOf(document.get("at"))), (Map<String, Object>) document.get("attributes"),
        (String) document.get("ruleset"), version instanceof Number n ? n.intValue() : 0,
        Coercion.instant(String.valueOf(document.get("recordedAt"))), DecisionJson.fromDocument(document),
        document.get("recorder") instanceof String recorder && document.get("sequence") instanceof Number sequence
            ? new Origin(recorder, sequence.longValue()) : null);
  }

  /** The event the rules see in the history. */
  public Event toEvent() {
    return new Event(eventId, type, at, attributes);
  }
}
