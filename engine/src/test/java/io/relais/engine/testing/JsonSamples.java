package io.relais.engine.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.relais.dsl.ast.Stage;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random contacts, contact JSON and events for the equivalence tests of the hand-written
 * mappings: every field, present or absent, empty and full collections, ledger lots,
 * enrollments and alerts with and without their optional values, attributes of every JSON type
 * (nested too), and wrongly typed values as clients and old documents send them.
 */
public final class JsonSamples {

  /** The object mapper as the store and the service configure theirs for these conversions. */
  public static ObjectMapper storeMapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final String[] TEXTS = {"", "a", "Jean", "é\"\\{{x}}", "x".repeat(300), " MQL ",
      "2026-11-20", "2026-11-20T10:00:00Z", "12", "12.50", "true", "\u0000\n\t"};
  private static final String[] SEGMENTS = {"VIP", "S1", "leasing", "é"};
  private static final String[] CAMPAIGNS = {"welcome", "c0", "nurture-leasing"};

  private final Random random;

  public JsonSamples(Random random) {
    this.random = random;
  }

  /** Any JSON value as a parser gives it: of every type, nested now and then. */
  public Object jsonValue(int depth) {
    return switch (random.nextInt(depth > 2 ? 12 : 15)) {
      case 0 -> null;
      case 1 -> random.nextInt(2000) - 1000;
      case 2 -> random.nextDouble() * 1e6;
      case 3 -> TEXTS[random.nextInt(TEXTS.length)];
      case 4 -> random.nextBoolean();
      case 5 -> Long.MAX_VALUE - random.nextInt(10);
      case 6 -> new BigInteger("123456789012345678901234567890");
      case 7 -> new BigDecimal("12.50");
      case 8 -> -0.0d;
      case 9 -> 3_000_000_000L;
      case 10 -> String.valueOf(random.nextInt(500));
      case 11 -> 1e300;
      case 12 -> {
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          list.add(jsonValue(depth + 1));
        }
        yield list;
      }
      default -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          map.put("k" + random.nextInt(10), jsonValue(depth + 1));
        }
        yield map;
      }
    };
  }

  /** A value for a typed field: of its type mostly, now and then any JSON value. */
  private Object typedOrNot(Object typed) {
    return random.nextInt(5) == 0 ? jsonValue(1) : typed;
  }

  private Instant instant() {
    return switch (random.nextInt(6)) {
      case 0 -> Instant.parse("0001-01-01T00:00:00Z");
      case 1 -> Instant.parse("9999-12-31T23:59:59.999999999Z");
      case 2 -> NOW.plusMillis(random.nextInt(1000));
      case 3 -> NOW.plusNanos(random.nextInt(1_000_000));
      default -> NOW.minusSeconds(random.nextInt(86_400 * 400));
    };
  }

  private String instantText() {
    return random.nextInt(8) == 0 ? "2026-11-20" : instant().toString();
  }

  /** A contact's JSON as a client or the store sends it: any field, of its type or not. */
  public Map<String, Object> contactJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    for (String field : List.of("id", "email", "firstName", "lastName", "company", "city",
        "country", "owner", "tier")) {
      if (random.nextInt(3) > 0) {
        json.put(field, typedOrNot(TEXTS[random.nextInt(TEXTS.length)]));
      }
    }
    if (random.nextBoolean()) {
      json.put("companySize", typedOrNot(random.nextInt(5000)));
    }
    if (random.nextBoolean()) {
      json.put("score", typedOrNot(random.nextInt(400) - 100));
    }
    if (random.nextBoolean()) {
      json.put("birthDate", typedOrNot(LocalDate.of(1940 + random.nextInt(80), 1 + random.nextInt(12),
          1 + random.nextInt(28)).toString()));
    }
    if (random.nextBoolean()) {
      json.put("createdAt", typedOrNot(instantText()));
    }
    if (random.nextBoolean()) {
      json.put("lastActivityAt", typedOrNot(instantText()));
    }
    if (random.nextBoolean()) {
      Stage[] stages = Stage.values();
      json.put("stage", typedOrNot(stages[random.nextInt(stages.length)].name()));
    }
    if (random.nextBoolean()) {
      Map<String, Object> tags = new LinkedHashMap<>();
      for (int i = random.nextInt(4); i > 0; i--) {
        tags.put("T" + random.nextInt(6), typedOrNot(random.nextInt(9)));
      }
      json.put("tags", typedOrNot(tags));
    }
    if (random.nextBoolean()) {
      List<Object> segments = new ArrayList<>();
      for (int i = random.nextInt(4); i > 0; i--) {
        segments.add(typedOrNot(SEGMENTS[random.nextInt(SEGMENTS.length)]));
      }
      json.put("segments", typedOrNot(segments));
    }
    if (random.nextBoolean()) {
      List<Object> ledger = new ArrayList<>();
      for (int i = random.nextInt(4); i > 0; i--) {
        Map<String, Object> lot = new LinkedHashMap<>();
        lot.put("points", typedOrNot(random.nextBoolean() ? random.nextInt(3000) : new BigDecimal("12.5")));
        if (random.nextBoolean()) {
          lot.put("earnedAt", typedOrNot(instantText()));
        }
        if (random.nextBoolean()) {
          lot.put("expiresAt", typedOrNot(instantText()));
        }
        if (random.nextBoolean()) {
          lot.put("reason", typedOrNot("because"));
        }
        if (random.nextBoolean()) {
          lot.put("rule", typedOrNot("r" + random.nextInt(3)));
        }
        ledger.add(typedOrNot(lot));
      }
      json.put("ledger", typedOrNot(ledger));
    }
    if (random.nextBoolean()) {
      List<Object> enrollments = new ArrayList<>();
      for (int i = random.nextInt(3); i > 0; i--) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("campaign", typedOrNot(CAMPAIGNS[random.nextInt(CAMPAIGNS.length)]));
        if (random.nextBoolean()) {
          e.put("enrolledAt", typedOrNot(instantText()));
        }
        if (random.nextBoolean()) {
          e.put("active", typedOrNot(random.nextBoolean()));
        }
        enrollments.add(typedOrNot(e));
      }
      json.put("enrollments", typedOrNot(enrollments));
    }
    if (random.nextBoolean()) {
      Map<String, Object> alerts = new LinkedHashMap<>();
      for (int i = random.nextInt(3); i > 0; i--) {
        alerts.put("rule " + random.nextInt(5), typedOrNot(instantText()));
      }
      json.put("alerts", typedOrNot(alerts));
    }
    if (random.nextBoolean()) {
      Map<String, Object> attributes = new LinkedHashMap<>();
      for (int i = random.nextInt(6); i > 0; i--) {
        attributes.put("a" + random.nextInt(8), jsonValue(1));
      }
      json.put("attributes", typedOrNot(attributes));
    }
    if (random.nextBoolean()) {
      Map<String, Object> consent = new LinkedHashMap<>();
      if (random.nextBoolean()) {
        consent.put("email", typedOrNot(random.nextBoolean()));
      }
      if (random.nextBoolean()) {
        consent.put("sms", typedOrNot(random.nextBoolean()));
      }
      json.put("consent", typedOrNot(consent));
    }
    if (random.nextInt(10) == 0) {
      json.put("unknownField", jsonValue(1));
    }
    return json;
  }

  /** A contact read from {@link #contactJson()} (so with its invalid values kept aside). */
  public Contact contactFromJson() {
    return Contact.fromJson(contactJson());
  }

  /**
   * A contact built field by field, every field set or not, each collection absent, empty or
   * full; the nested records with and without their optional values.
   */
  public Contact contact() {
    Stage[] stages = Stage.values();
    Map<String, Integer> tags = null;
    if (random.nextInt(3) > 0) {
      tags = new LinkedHashMap<>();
      for (int i = random.nextInt(4); i > 0; i--) {
        tags.put("T" + random.nextInt(6), 1 + random.nextInt(9));
      }
    }
    Set<String> segments = null;
    if (random.nextInt(3) > 0) {
      segments = new LinkedHashSet<>();
      for (int i = random.nextInt(4); i > 0; i--) {
        segments.add(SEGMENTS[random.nextInt(SEGMENTS.length)]);
      }
    }
    List<Contact.LedgerLot> ledger = null;
    if (random.nextInt(3) > 0) {
      ledger = new ArrayList<>();
      for (int i = random.nextInt(4); i > 0; i--) {
        ledger.add(new Contact.LedgerLot(
            random.nextBoolean() ? BigDecimal.valueOf(random.nextInt(3000)) : new BigDecimal("0.50"),
            random.nextBoolean() ? instant() : null, random.nextBoolean() ? instant() : null,
            random.nextBoolean() ? "because" : null, random.nextBoolean() ? "r1" : null));
      }
    }
    List<Contact.Enrollment> enrollments = null;
    if (random.nextInt(3) > 0) {
      enrollments = new ArrayList<>();
      for (int i = random.nextInt(3); i > 0; i--) {
        enrollments.add(new Contact.Enrollment(CAMPAIGNS[random.nextInt(CAMPAIGNS.length)],
            random.nextBoolean() ? instant() : null, random.nextBoolean(),
            random.nextBoolean() ? instant() : null));
      }
    }
    List<Contact.SentMessage> messages = null;
    if (random.nextInt(3) > 0) {
      messages = new ArrayList<>();
      for (int i = random.nextInt(3); i > 0; i--) {
        messages.add(new Contact.SentMessage("m" + random.nextInt(4),
            random.nextBoolean() ? "email" : "sms", instant(),
            random.nextBoolean() ? CAMPAIGNS[random.nextInt(CAMPAIGNS.length)] : null));
      }
    }
    Map<String, Instant> alerts = null;
    if (random.nextInt(3) > 0) {
      alerts = new LinkedHashMap<>();
      for (int i = random.nextInt(3); i > 0; i--) {
        alerts.put("rule " + random.nextInt(5), instant());
      }
    }
    Map<String, Object> attributes = null;
    if (random.nextInt(3) > 0) {
      attributes = new LinkedHashMap<>();
      for (int i = random.nextInt(6); i > 0; i--) {
        Object value = jsonValue(1);
        if (value != null) {
          attributes.put("a" + random.nextInt(8), value);
        }
      }
    }
    Contact.Consent consent = switch (random.nextInt(4)) {
      case 0 -> null;
      case 1 -> Contact.Consent.NONE;
      case 2 -> new Contact.Consent(true, null);
      default -> new Contact.Consent(random.nextBoolean(), random.nextBoolean());
    };
    Map<String, Object> invalid = random.nextBoolean() ? Map.of("score", "abc") : null;
    Contact.Builder b = Contact.builder();
    // Every profile field of the schema, so that a field added there is sampled too.
    for (io.relais.dsl.schema.Schema.Field field : io.relais.dsl.schema.Schema.fields()) {
      if (field.origin() == io.relais.dsl.schema.Schema.Origin.PROFILE && !field.jsonProperty().equals("consent")) {
        b.profile(field.name(), profileValue(field));
      }
    }
    return b.consent(consent)
        .score(random.nextBoolean() ? random.nextInt(400) - 100 : null)
        .stage(random.nextBoolean() ? stages[random.nextInt(stages.length)] : null)
        .tags(tags).segments(segments).tier(random.nextBoolean() ? text() : null).ledger(ledger)
        .enrollments(enrollments).alerts(alerts).messages(messages).attributes(attributes).invalid(invalid).build();
  }

  private Object profileValue(io.relais.dsl.schema.Schema.Field field) {
    return switch (field.type()) {
      case TEXT -> text();
      case NUMBER -> random.nextBoolean()
          ? field.whole() ? (Object) random.nextInt(5000) : new java.math.BigDecimal(random.nextInt(5000)) : null;
      case DATE -> random.nextBoolean()
          ? LocalDate.of(1900 + random.nextInt(200), 1 + random.nextInt(12), 1) : null;
      case DATETIME -> random.nextBoolean() ? instant() : null;
      case BOOLEAN -> random.nextBoolean() ? random.nextBoolean() : null;
      case STAGE -> null;
    };
  }

  private String text() {
    return random.nextInt(3) == 0 ? null : TEXTS[random.nextInt(TEXTS.length)];
  }

  /** An event of {@code type} with attributes of any JSON type. */
  public Event event(String type, Instant at) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      Object value = jsonValue(1);
      if (value != null) {
        attributes.put(List.of("url", "amount", "items", "value", "seconds", "form", "campaign")
            .get(random.nextInt(7)), value);
      }
    }
    return new Event("e-" + random.nextInt(1000), type, at, attributes);
  }
}
