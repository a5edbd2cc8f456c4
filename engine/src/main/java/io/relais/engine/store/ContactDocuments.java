package io.relais.engine.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.dsl.ast.ValueType;
import io.relais.dsl.schema.Schema;
import io.relais.engine.compile.Coercion;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.contact.JsonValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stored form of a contact and back. The API's maps become lists the store can query:
 * tags a {@code nested} {@code {name, count}} list (counts compare as numbers), alerts a
 * {@code nested} {@code {rule, at}} list (a map would add one mapped field per rule name).
 * Derived fields for queries ({@code stageRank}, {@code points} at {@code pointsAt}) and the
 * bookkeeping of the write protocol ({@code outbox}, {@code outboxSize}, {@code updatedAt})
 * are added here and dropped on reading.
 *
 * <p>Every event reads and writes its contact's document, so nothing here goes through the
 * object mapper's {@code convertValue} (which wrote each value out and read it back): the
 * contact's fields are {@link Contact#toJson()} and {@link Contact#fromJson}, the same maps and
 * contacts the mapper gave ({@code ContactDocumentsEquivalenceTest}).
 */
final class ContactDocuments {

  /** Fields of the document that are not the contact's own. */
  private static final Set<String> BOOKKEEPING =
      Set.of("stageRank", "points", "pointsAt", "updatedAt", "outbox", "outboxSize", "outboxOldest", "outboxNewest", "recent",
          "attributeValues", "nextDueAt");

  /** The fields a contact's JSON has; anything else stored is kept as an extra. */
  private static final Set<String> CONTACT_FIELDS = Set.copyOf(Schema.jsonProperties());

  /**
   * The batch events applied to the contact, newest last: the batch run's exactly-once marker
   * (docs/batch.md), written in the same conditional write as the state it applied. Not mapped
   * and not bookkeeping on purpose: it is kept as an extra, so every writer (live events,
   * profile updates, redemptions, the recovery sweep) carries it over unchanged.
   */
  static final String BATCH_EVENTS = "batchEvents";

  /**
   * Batch events a contact remembers. A run resumed after this many later runs applied the
   * same contact would not see its marker any more (docs/batch.md, limits).
   */
  static final int MAX_BATCH_EVENTS = 32;

  /**
   * The ids of the redemptions last applied to the contact: a redemption whose write was
   * applied and answered 409 (sent again after a fail-over) finds its own id here, rather than
   * taking the cost a second time (docs/store.md, "A 409 in doubt").
   */
  static final String REDEMPTIONS = "redemptions";

  /** Redemptions a contact remembers: far more than can be applied between a 409 and its re-read. */
  static final int MAX_REDEMPTIONS = 32;

  /** The earliest due step of the contact's active enrollments (docs/store.md). */
  static final String NEXT_DUE_AT = "nextDueAt"; // also in BOOKKEEPING: recomputed on every write

  private final ObjectMapper json;

  ContactDocuments(ObjectMapper json) {
    this.json = json;
  }

  Map<String, Object> toDocument(Contact contact, List<PendingEvent> outbox, RecentEvents recent,
      Map<String, Object> extras, Instant now) {
    Map<String, Object> document = new LinkedHashMap<>(extras);
    // By hand (Contact.toJson), not by the object mapper: it is on every event's write.
    document.putAll(contact.toJson());
    List<Map<String, Object>> tags = new ArrayList<>();
    contact.tags().forEach((name, count) -> tags.add(Map.of("name", name, "count", count)));
    document.put("tags", tags);
    List<Map<String, Object>> alerts = new ArrayList<>();
    contact.alerts().forEach((rule, at) -> alerts.add(Map.of("rule", rule, "at", at.toString())));
    document.put("alerts", alerts);
    document.put("attributeValues", attributeValues(contact.attributes()));
    // The due-step scheduler's range query: the earliest step due among active enrollments.
    // An alias has none: its steps are decided on the contact it was merged into.
    contact.enrollments().stream()
        .filter(e -> !extras.containsKey(ContactMerges.MERGED_INTO)).filter(Contact.Enrollment::active)
        .map(Contact.Enrollment::nextDueAt).filter(java.util.Objects::nonNull)
        .min(Instant::compareTo).ifPresent(next -> document.put(NEXT_DUE_AT, next.toString()));
    if (contact.stage().isOrdered()) {
      document.put("stageRank", contact.stage().ordinal());
    }
    document.put("points", balance(contact, now));
    document.put("pointsAt", now.toString());
    document.put("updatedAt", now.toString());
    List<Map<String, Object>> entries = new ArrayList<>(outbox.size());
    outbox.forEach(entry -> entries.add(entry.toOutboxEntry()));
    document.put("outbox", entries);
    document.put("outboxSize", outbox.size());
    // The recovery sweep's work list: contacts by their newest entry, each time window once
    // (docs/store.md). The oldest is kept for a Relais before that sweep, in a rolling upgrade.
    outbox.stream().map(PendingEvent::recordedAt).min(Instant::compareTo)
        .ifPresent(oldest -> document.put("outboxOldest", oldest.toString()));
    outbox.stream().map(PendingEvent::recordedAt).max(Instant::compareTo)
        .ifPresent(newest -> document.put("outboxNewest", newest.toString()));
    if (recent != null) {
      document.put("recent", recentDocument(recent, now));
    }
    return document;
  }

  /**
   * The custom attributes as the audience push-down queries them (docs/store.md): each one's
   * value read as text, as a number and as true/false, the way the engine reads a declared
   * attribute of that type ({@link Coercion}); a reading that fails is left out. Dates are not
   * indexed: they are read in the ruleset's zone.
   */
  static List<Map<String, Object>> attributeValues(Map<String, Object> attributes) {
    List<Map<String, Object>> values = new ArrayList<>(attributes.size());
    attributes.forEach((name, raw) -> {
      Map<String, Object> entry = new LinkedHashMap<>(8);
      entry.put("name", name);
      if (Coercion.read(raw, ValueType.TEXT, ZoneOffset.UTC) instanceof String text) {
        entry.put("text", text);
      }
      if (Coercion.number(raw) instanceof BigDecimal n && Double.isFinite(n.doubleValue())) {
        entry.put("number", n.doubleValue());
      }
      if (Coercion.read(raw, ValueType.BOOLEAN, ZoneOffset.UTC) instanceof Boolean b) {
        entry.put("boolean", b);
      }
      values.add(entry);
    });
    return values;
  }

  // Written by hand, not by the object mapper: it is on every event's write. `writtenAt` is the
  // document's `updatedAt`: a writer that does not know the list (an older Relais during a
  // rolling upgrade) keeps it as an unknown field while recording events it does not add, but
  // it moves `updatedAt`, so the list no longer matches and is read as unknown.
  private static Map<String, Object> recentDocument(RecentEvents recent, Instant now) {
    List<Map<String, Object>> events = new ArrayList<>(recent.events().size());
    for (Event event : recent.events()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", event.id());
      entry.put("type", event.type());
      entry.put("at", event.at().toString());
      entry.put("attributes", event.attributes());
      events.add(entry);
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("writtenAt", now.toString());
    document.put("from", recent.from() == null ? null : recent.from().toString());
    document.put("events", events);
    return document;
  }

  // Null when the document has no list (written before Relais kept one) or one it cannot read:
  // unknown, so every history read searches the events index as before.
  private static RecentEvents recentFrom(Object stored, Object updatedAt) {
    if (!(stored instanceof Map<?, ?> recent) || !(recent.get("events") instanceof List<?> list)
        || updatedAt == null || !updatedAt.equals(recent.get("writtenAt"))) {
      return null;
    }
    try {
      Instant from = recent.get("from") == null ? null : Coercion.instant(String.valueOf(recent.get("from")));
      List<Event> events = new ArrayList<>(list.size());
      for (Object item : list) {
        Map<?, ?> entry = (Map<?, ?>) item;
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (entry.get("attributes") instanceof Map<?, ?> given) {
          given.forEach((k, v) -> attributes.put(String.valueOf(k), v));
        }
        events.add(new Event(String.valueOf(entry.get("id")), String.valueOf(entry.get("type")),
            Coercion.instant(String.valueOf(entry.get("at"))), attributes));
      }
      return new RecentEvents(from, events);
    } catch (RuntimeException e) {
      return null;
    }
  }

  StoredContact fromDocument(Map<String, Object> document, long seqNo, long primaryTerm) {
    Map<String, Object> contact = new LinkedHashMap<>();
    Map<String, Object> extras = new LinkedHashMap<>();
    document.forEach((key, value) -> {
      if (CONTACT_FIELDS.contains(key)) {
        contact.put(key, value);
      } else if (!BOOKKEEPING.contains(key)) {
        extras.put(key, value);
      }
    });
    if (document.get("tags") instanceof List<?> nested) {
      Map<String, Object> tags = new LinkedHashMap<>();
      for (Object entry : nested) {
        if (entry instanceof Map<?, ?> tag) {
          tags.put(String.valueOf(tag.get("name")), tag.get("count"));
        }
      }
      contact.put("tags", tags);
    }
    if (document.get("alerts") instanceof List<?> nested) {
      Map<String, Object> alerts = new LinkedHashMap<>();
      for (Object entry : nested) {
        if (entry instanceof Map<?, ?> alert) {
          alerts.put(String.valueOf(alert.get("rule")), alert.get("at"));
        }
      }
      contact.put("alerts", alerts);
    }
    List<PendingEvent> outbox = new ArrayList<>();
    if (document.get("outbox") instanceof List<?> entries) {
      entries.forEach(entry -> outbox.add(PendingEvent.fromDocument((Map<?, ?>) entry)));
    }
    return new StoredContact(contact(contact), outbox, recentFrom(document.get("recent"), document.get("updatedAt")),
        extras, seqNo, primaryTerm);
  }

  // Contact.fromJson is the contact's @JsonCreator: the object mapper's conversion wrote the map
  // out and read it back before calling it, on every event's read, to the same map when its
  // values are plain JSON (as the store's are). Anything else still goes through the mapper.
  private Contact contact(Map<String, Object> fields) {
    return JsonValues.isPlain(fields) ? Contact.fromJson(fields) : json.convertValue(fields, Contact.class);
  }

  /** The batch event ids recorded in a contact's extras, newest last. */
  static List<String> batchEvents(Map<String, Object> extras) {
    return remembered(extras, BATCH_EVENTS);
  }

  /** The batch events with {@code eventId} added, the oldest dropped beyond {@link #MAX_BATCH_EVENTS}. */
  static List<String> withBatchEvent(Map<String, Object> extras, String eventId) {
    return withRemembered(extras, BATCH_EVENTS, eventId, MAX_BATCH_EVENTS);
  }

  /** The ids of the redemptions last applied to a contact, newest last. */
  static List<String> redemptions(Map<String, Object> extras) {
    return remembered(extras, REDEMPTIONS);
  }

  /** The redemptions with {@code id} added, the oldest dropped beyond {@link #MAX_REDEMPTIONS}. */
  static List<String> withRedemption(Map<String, Object> extras, String id) {
    return withRemembered(extras, REDEMPTIONS, id, MAX_REDEMPTIONS);
  }

  // The ids a contact's extras remember under {@code key}, newest last.
  private static List<String> remembered(Map<String, Object> extras, String key) {
    if (extras.get(key) instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  private static List<String> withRemembered(Map<String, Object> extras, String key, String id, int max) {
    List<String> out = new ArrayList<>(remembered(extras, key));
    out.remove(id);
    out.add(id);
    return newest(out, max);
  }

  /**
   * Puts into {@code merged} the marks both contacts remember (batch events, redemptions): the
   * alias's then the kept contact's, each once, the newest of each kind kept. A merged contact
   * thus never has a batch event applied twice, nor a redemption of the alias answered 409
   * across the merge (it re-reads the kept contact) its cost taken again.
   */
  static void rememberBoth(Map<String, Object> merged, Map<String, Object> kept, Map<String, Object> alias) {
    rememberBoth(merged, kept, alias, BATCH_EVENTS, MAX_BATCH_EVENTS);
    rememberBoth(merged, kept, alias, REDEMPTIONS, MAX_REDEMPTIONS);
  }

  private static void rememberBoth(Map<String, Object> merged, Map<String, Object> kept, Map<String, Object> alias,
      String key, int max) {
    Set<String> both = new LinkedHashSet<>(remembered(alias, key));
    both.addAll(remembered(kept, key));
    if (!both.isEmpty()) {
      merged.put(key, newest(List.copyOf(both), max));
    }
  }

  // The last {@code max} of {@code ids}, in order.
  private static List<String> newest(List<String> ids, int max) {
    return List.copyOf(ids.subList(Math.max(0, ids.size() - max), ids.size()));
  }

  /** The API's JSON of a contact (tags and alerts as maps) with its balance at {@code now}. */
  Map<String, Object> toJson(Contact contact, Instant now) {
    Map<String, Object> out = contact.toJson();
    out.put("points", balance(contact, now));
    return out;
  }

  /** Unexpired points at {@code now}. */
  static BigDecimal balance(Contact contact, Instant now) {
    return contact.ledger().stream()
        .filter(lot -> !lot.expiredAt(now))
        .map(Contact.LedgerLot::points)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
