package io.relais.engine.contact;

import io.relais.dsl.ast.Stage;
import io.relais.dsl.ast.ValueType;
import io.relais.dsl.schema.Schema;
import io.relais.engine.compile.Coercion;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a contact from its JSON (as a map) without ever failing on a value of the wrong type:
 * every field is read as its type when it can be (docs/language.md ("Rules, kinds and phases")), and what cannot be read
 * is left empty and kept, with its JSON name, in {@link Contact#invalid()} so that the
 * evaluation names it in its warnings and a stored contact keeps what it was sent.
 */
final class ContactJson {

  /** Fields that hold an object or a list, not one value. */
  private static final Set<String> SHAPED = shaped();

  private final Map<String, Object> json;
  private final Map<String, Object> invalid = new LinkedHashMap<>();
  /** The objects holding dotted profile fields ({@code consent}), read once each. */
  private final Map<String, Map<String, Object>> groups = new LinkedHashMap<>();

  private ContactJson(Map<String, Object> json) {
    this.json = json == null ? Map.of() : json;
  }

  // The state parts that are lists or objects, the custom attributes and the profile's objects.
  private static Set<String> shaped() {
    Set<String> shaped = new LinkedHashSet<>(List.of("tags", "segments", "ledger", "enrollments",
        "alerts", "messages", "attributes"));
    Contact.PROFILE.stream().filter(f -> !f.name().equals(f.jsonProperty()))
        .forEach(f -> shaped.add(f.jsonProperty()));
    return Set.copyOf(shaped);
  }

  static Contact read(Map<String, Object> json) {
    return new ContactJson(json).contact();
  }

  /**
   * The contact's JSON as plain values, exactly as the object mapper converts a contact (fields
   * in declaration order, {@code null} ones left out, {@code invalid} not written; the nested
   * records with their {@code null}s), written by hand: it is on every event's write.
   */
  static Map<String, Object> write(Contact c) {
    Map<String, Object> out = new LinkedHashMap<>(32);
    // The schema's profile fields, in its order; a dotted one inside its object, written whole.
    for (int slot = 0; slot < Contact.PROFILE.size(); slot++) {
      Schema.Field field = Contact.PROFILE.get(slot);
      Object value = json(c.profileSlot(slot));
      if (field.name().equals(field.jsonProperty())) {
        putIfSet(out, field.name(), value);
      } else {
        @SuppressWarnings("unchecked")
        Map<String, Object> group = (Map<String, Object>) out.computeIfAbsent(
            field.jsonProperty(), k -> new LinkedHashMap<>(4));
        group.put(field.name().substring(field.jsonProperty().length() + 1), value);
      }
    }
    putIfSet(out, "score", c.score());
    putIfSet(out, "stage", c.stage() == null ? null : c.stage().name());
    putIfSet(out, "tags", c.tags() == null ? null : new LinkedHashMap<>(c.tags()));
    putIfSet(out, "segments", c.segments() == null ? null : new ArrayList<>(c.segments()));
    putIfSet(out, "tier", c.tier());
    if (c.ledger() != null) {
      List<Object> ledger = new ArrayList<>(c.ledger().size());
      for (Contact.LedgerLot lot : c.ledger()) {
        Map<String, Object> entry = new LinkedHashMap<>(8);
        entry.put("points", lot.points());
        entry.put("earnedAt", text(lot.earnedAt()));
        entry.put("expiresAt", text(lot.expiresAt()));
        entry.put("reason", lot.reason());
        entry.put("rule", lot.rule());
        entry.put("earned", lot.earned());
        ledger.add(entry);
      }
      out.put("ledger", ledger);
    }
    if (c.enrollments() != null) {
      List<Object> enrollments = new ArrayList<>(c.enrollments().size());
      for (Contact.Enrollment e : c.enrollments()) {
        Map<String, Object> entry = new LinkedHashMap<>(4);
        entry.put("campaign", e.campaign());
        entry.put("enrolledAt", text(e.enrolledAt()));
        entry.put("active", e.active());
        if (e.nextDueAt() != null) {
          entry.put("nextDueAt", text(e.nextDueAt()));
        }
        enrollments.add(entry);
      }
      out.put("enrollments", enrollments);
    }
    if (c.alerts() != null) {
      Map<String, Object> alerts = new LinkedHashMap<>(JsonValues.capacity(c.alerts().size()));
      c.alerts().forEach((rule, at) -> alerts.put(rule, text(at)));
      out.put("alerts", alerts);
    }
    if (c.messages() != null && !c.messages().isEmpty()) {
      List<Object> messages = new ArrayList<>(c.messages().size());
      for (Contact.SentMessage m : c.messages()) {
        Map<String, Object> entry = new LinkedHashMap<>(6);
        entry.put("message", m.message());
        entry.put("channel", m.channel());
        entry.put("sendAt", text(m.sendAt()));
        entry.put("campaign", m.campaign());
        messages.add(entry);
      }
      out.put("messages", messages);
    }
    putIfSet(out, "attributes", c.attributes() == null ? null : JsonValues.plainMap(c.attributes()));
    return out;
  }

  private static void putIfSet(Map<String, Object> out, String name, Object value) {
    if (value != null) {
      out.put(name, value);
    }
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }

  /** A profile value as JSON: dates and date-times as ISO text. */
  private static Object json(Object value) {
    return value instanceof Instant || value instanceof LocalDate ? value.toString() : value;
  }

  private Contact contact() {
    Contact.Builder b = Contact.builder();
    for (Schema.Field field : Contact.PROFILE) {
      b.profile(field.name(), profileValue(field));
    }
    return b.score(integer("score", json.get("score"))).stage(stage()).tags(tags())
        .segments(segments()).tier(text("tier")).ledger(ledger()).enrollments(enrollments())
        .alerts(alerts()).messages(messages()).attributes(attributes()).invalid(invalid).build();
  }

  /** A profile field read as its type; a dotted one from its object (an object once read). */
  private Object profileValue(Schema.Field field) {
    String name = field.name();
    Object raw;
    if (name.equals(field.jsonProperty())) {
      raw = json.get(name);
    } else {
      Map<String, Object> group = groups.computeIfAbsent(field.jsonProperty(), this::object);
      raw = group.get(name.substring(field.jsonProperty().length() + 1));
    }
    return field.whole() ? integer(name, raw) : typed(name, raw, field.type());
  }

  /** The type of a contact field by its JSON name as {@link Contact#invalid()} keys it. */
  static ValueType typeOf(String name) {
    Schema.Field field = Schema.field(name).orElse(null);
    if (field != null) {
      return field.type();
    }
    String property = name.replaceFirst("\\..*$", "").replace("[]", "");
    if (name.equals(property) && SHAPED.contains(property)) {
      return null;
    }
    return switch (property) {
      case "tags" -> ValueType.NUMBER;
      case "alerts" -> ValueType.DATETIME;
      case "ledger" -> name.equals("ledger[].points") || name.equals("ledger[].earned") ? ValueType.NUMBER
          : name.endsWith("At") ? ValueType.DATETIME : ValueType.TEXT;
      case "messages" -> name.endsWith("At") ? ValueType.DATETIME : ValueType.TEXT;
      case "enrollments" -> name.endsWith("active") ? ValueType.BOOLEAN
          : name.endsWith("At") ? ValueType.DATETIME : ValueType.TEXT;
      default -> null;
    };
  }

  private Object typed(String name, Object raw, ValueType type) {
    Object value = Coercion.read(raw, type, ZoneOffset.UTC);
    if (value == Coercion.INVALID) {
      invalid.put(name, raw);
      return null;
    }
    return value;
  }

  private String text(String name) {
    return (String) typed(name, json.get(name), ValueType.TEXT);
  }

  // Whole numbers: score, company size, tag counts. 12.7 reads as 12, as actions floor.
  private Integer integer(String name, Object raw) {
    Object n = typed(name, raw, ValueType.NUMBER);
    if (n == null) {
      return null;
    }
    if (((BigDecimal) n).abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      invalid.put(name, raw);
      return null;
    }
    return ((BigDecimal) n).setScale(0, RoundingMode.FLOOR).intValue();
  }

  private Boolean bool(String name, Object raw) {
    return (Boolean) typed(name, raw, ValueType.BOOLEAN);
  }

  private Stage stage() {
    Object raw = json.get("stage");
    if (raw == null) {
      return null;
    }
    if (raw instanceof String s) {
      try {
        return Stage.valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        // falls through: not a stage
      }
    }
    invalid.put("stage", raw);
    return null;
  }

  private Map<String, Integer> tags() {
    Map<String, Integer> tags = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : object("tags").entrySet()) {
      Integer count = integer("tags." + e.getKey(), e.getValue());
      if (count != null) {
        tags.put(e.getKey(), count);
      }
    }
    return tags;
  }

  private Set<String> segments() {
    Set<String> segments = new LinkedHashSet<>();
    for (Object item : list("segments")) {
      Object s = Coercion.read(item, ValueType.TEXT, ZoneOffset.UTC);
      if (s instanceof String text) {
        segments.add(text);
      } else if (item != null) {
        invalid.put("segments[]", item);
      }
    }
    return segments;
  }

  private List<Contact.LedgerLot> ledger() {
    List<Contact.LedgerLot> lots = new ArrayList<>();
    for (Object item : list("ledger")) {
      Map<String, Object> lot = asObject("ledger[]", item);
      Object points = typed("ledger[].points", lot.get("points"), ValueType.NUMBER);
      if (points != null) {
        lots.add(new Contact.LedgerLot((BigDecimal) points,
            (Instant) typed("ledger[].earnedAt", lot.get("earnedAt"), ValueType.DATETIME),
            (Instant) typed("ledger[].expiresAt", lot.get("expiresAt"), ValueType.DATETIME),
            (String) typed("ledger[].reason", lot.get("reason"), ValueType.TEXT),
            (String) typed("ledger[].rule", lot.get("rule"), ValueType.TEXT),
            // Lots written before the field existed: all of the award was left.
            (BigDecimal) typed("ledger[].earned", lot.get("earned"), ValueType.NUMBER)));
      }
    }
    return lots;
  }

  private List<Contact.Enrollment> enrollments() {
    List<Contact.Enrollment> enrollments = new ArrayList<>();
    for (Object item : list("enrollments")) {
      Map<String, Object> e = asObject("enrollments[]", item);
      String campaign = (String) typed("enrollments[].campaign", e.get("campaign"), ValueType.TEXT);
      if (campaign != null) {
        Boolean active = bool("enrollments[].active", e.get("active"));
        enrollments.add(new Contact.Enrollment(campaign,
            (Instant) typed("enrollments[].enrolledAt", e.get("enrolledAt"), ValueType.DATETIME),
            active == null || active,
            (Instant) typed("enrollments[].nextDueAt", e.get("nextDueAt"), ValueType.DATETIME)));
      }
    }
    return enrollments;
  }

  private List<Contact.SentMessage> messages() {
    List<Contact.SentMessage> messages = new ArrayList<>();
    for (Object item : list("messages")) {
      Map<String, Object> m = asObject("messages[]", item);
      String message = (String) typed("messages[].message", m.get("message"), ValueType.TEXT);
      Instant sendAt = (Instant) typed("messages[].sendAt", m.get("sendAt"), ValueType.DATETIME);
      if (message != null && sendAt != null) {
        String channel = (String) typed("messages[].channel", m.get("channel"), ValueType.TEXT);
        messages.add(new Contact.SentMessage(message, channel == null ? "email" : channel, sendAt,
            (String) typed("messages[].campaign", m.get("campaign"), ValueType.TEXT)));
      }
    }
    return messages;
  }

  private Map<String, Instant> alerts() {
    Map<String, Instant> alerts = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : object("alerts").entrySet()) {
      Object at = typed("alerts." + e.getKey(), e.getValue(), ValueType.DATETIME);
      if (at != null) {
        alerts.put(e.getKey(), (Instant) at);
      }
    }
    return alerts;
  }

  // Custom attributes stay as sent: their types are the ruleset's declarations, read at use.
  private Map<String, Object> attributes() {
    Map<String, Object> attributes = new LinkedHashMap<>();
    object("attributes").forEach((k, v) -> {
      if (v != null) {
        attributes.put(k, v);
      }
    });
    return attributes;
  }

  private Map<String, Object> object(String name) {
    return asObject(name, json.get(name));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> asObject(String name, Object raw) {
    if (raw == null) {
      return Map.of();
    }
    if (raw instanceof Map<?, ?> map) {
      Map<String, Object> result = new LinkedHashMap<>();
      map.forEach((k, v) -> result.put(String.valueOf(k), v));
      return result;
    }
    invalid.put(name, raw);
    return Map.of();
  }

  private Collection<?> list(String name) {
    Object raw = json.get(name);
    if (raw == null) {
      return List.of();
    }
    if (raw instanceof Collection<?> c) {
      return c;
    }
    invalid.put(name, raw);
    return List.of();
  }
}
