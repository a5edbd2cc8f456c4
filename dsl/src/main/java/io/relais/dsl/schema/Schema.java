package io.relais.dsl.schema;

import io.relais.dsl.ast.ValueType;
import io.relais.dsl.program.Operation;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in contact fields, state parts and event types of docs/language.md ("What rules can
 * read"), declared once. Everything that lists fields derives from here: the checker's
 * vocabulary, the engine's field accessors (bound when a ruleset compiles), the contact's JSON
 * codec, the stored document and its mapping, the phase analysis, the history a ruleset needs and
 * the audience push-down. Adding a built-in field is one {@link #FIELDS} entry (docs/engine.md,
 * "The schema").
 */
public final class Schema {

  private Schema() {}

  /** Who gives a contact field its value. */
  public enum Origin {
    /** Sent with the contact ({@code PUT /contacts/{id}}) and stored as sent. */
    PROFILE,
    /** Managed by rules: written by actions and lifecycle steps, stored. */
    STATE,
    /** Computed by the engine at {@code now} from the stored state and history; not stored. */
    DERIVED
  }

  /** How the contacts index keeps a stored value (docs/store.md, "Mapping"). */
  public enum Indexing {
    /** A keyword as written, without a length limit: the contact's id. */
    ID,
    /** A keyword as written (at most 1,024 characters indexed): exact equality, code-point order. */
    KEYWORD,
    /** A keyword indexed lower-cased (e-mail addresses). */
    FOLDED,
    /** A 32-bit integer. */
    INTEGER,
    /** A calendar date ({@code strict_date}). */
    DATE,
    /** An instant. */
    DATETIME,
    /** true or false. */
    BOOLEAN,
    /** A stage name (a keyword), with its rank beside it for ordered comparisons. */
    STAGE
  }

  /**
   * A part of the contact's state that an evaluation can change; {@code writtenBy} are the
   * actions that write it (lifecycle steps are the phase analysis' business).
   */
  public enum StatePart {
    SCORE("score", Operation.AddScore.class, Operation.SubtractScore.class, Operation.SetScore.class),
    STAGE("stage", Operation.SetStage.class, Operation.AdvanceStage.class, Operation.Disqualify.class),
    TIER("tier"),
    TAGS("tags", Operation.Tag.class, Operation.Untag.class),
    SEGMENTS("segments", Operation.AddToSegment.class, Operation.RemoveFromSegment.class),
    LEDGER("ledger", Operation.Award.class, Operation.Deduct.class, Operation.GrantReward.class),
    ENROLLMENTS("enrollments", Operation.Enroll.class, Operation.Stop.class),
    ALERTS("alerts", Operation.Notify.class),
    /**
     * The message memory that frequency caps count; {@code enroll in} also writes it (a step
     * due at enrollment), but no field reads it, so the phase analysis needs no more.
     */
    MESSAGES("messages", Operation.Send.class);

    private final String jsonName;
    private final Set<Class<? extends Operation>> writtenBy;

    @SafeVarargs
    StatePart(String jsonName, Class<? extends Operation>... writtenBy) {
      this.jsonName = jsonName;
      this.writtenBy = Set.of(writtenBy);
    }

    /** Its name in the contact's JSON. */
    public String jsonName() {
      return jsonName;
    }

    /** The actions that write it. */
    public Set<Class<? extends Operation>> writtenBy() {
      return writtenBy;
    }

    /** The parts {@code operation} writes. */
    public static List<StatePart> writtenBy(Operation operation) {
      List<StatePart> parts = new ArrayList<>(1);
      for (StatePart part : values()) {
        if (part.writtenBy.contains(operation.getClass())) {
          parts.add(part);
        }
      }
      return parts;
    }
  }

  /** Actions that write no part of the contact's state (none since messages are remembered for caps). */
  public static final Set<Class<? extends Operation>> WRITES_NO_STATE = Set.of();

  /**
   * The recorded events a derived field reads: those of {@code eventType} within {@code window}
   * before now (all of them when empty), or only the newest one when {@code lastOnly}.
   */
  public record HistoryRead(String eventType, Optional<Duration> window, boolean lastOnly) {}

  /**
   * A built-in contact field. {@code name} is the part after {@code contact.} and its JSON path
   * ({@code consent.email} is {@code email} inside the {@code consent} object); {@code indexing}
   * is empty when the store does not index it (derived fields); {@code state} the state part its
   * value is (or is computed from); {@code min}/{@code max} the range its values keep (null:
   * unbounded), which the checker uses to find conditions that never or always hold.
   */
  public record Field(String name, ValueType type, Origin origin, Optional<Indexing> indexing,
      Optional<StatePart> state, Optional<HistoryRead> history, BigDecimal min, BigDecimal max,
      String doc) {

    /** Whether lists of contacts ({@code GET /leads}) show it: one of the contact's main fields. */
    public boolean summary() {
      return SUMMARY.contains(name);
    }

    /** As authors write it: {@code contact.consent.email}. */
    public String dotted() {
      return "contact." + name;
    }

    /** Whether the store keeps it, so a store query can filter on it. */
    public boolean stored() {
      return origin != Origin.DERIVED;
    }

    /** The top-level JSON property holding it: {@code consent} for {@code consent.email}. */
    public String jsonProperty() {
      int dot = name.indexOf('.');
      return dot < 0 ? name : name.substring(0, dot);
    }

    /** Whether it is a whole number (stored as an integer). */
    public boolean whole() {
      return indexing.orElse(null) == Indexing.INTEGER;
    }
  }

  /**
   * A built-in event type and its own attributes (the implicit {@code id}, {@code type} and
   * {@code at} are {@link #IMPLICIT_EVENT_ATTRIBUTES}); {@code notes} say what some attributes
   * mean.
   */
  public record EventType(String name, Map<String, ValueType> attributes, String doc,
      Map<String, String> notes) {
    public EventType {
      attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
      notes = Map.copyOf(notes);
    }
  }

  /** Every event has these, whatever its type. */
  public static final Map<String, ValueType> IMPLICIT_EVENT_ATTRIBUTES = Map.of(
      "id", ValueType.TEXT, "type", ValueType.TEXT, "at", ValueType.DATETIME);

  /** What the implicit attributes mean. */
  public static final Map<String, String> IMPLICIT_EVENT_ATTRIBUTE_NOTES = Map.of(
      "id", "the event's id (a repeated id is the same event)", "type", "the event's type",
      "at", "when it happened");

  private static final ValueType TEXT = ValueType.TEXT;
  private static final ValueType NUMBER = ValueType.NUMBER;
  private static final BigDecimal ZERO = BigDecimal.ZERO;
  private static final Duration YEAR = Duration.ofDays(365);

  // The order is the vocabulary's (editors list fields in it) and the contact JSON's.
  private static final List<Field> FIELDS = List.of(
      profile("id", TEXT, Indexing.ID, "the contact's id"),
      profile("email", TEXT, Indexing.FOLDED, "e-mail address"),
      profile("firstName", TEXT, Indexing.KEYWORD, "first name"),
      profile("lastName", TEXT, Indexing.KEYWORD, "last name"),
      profile("company", TEXT, Indexing.KEYWORD, "company name"),
      profile("city", TEXT, Indexing.KEYWORD, "city"),
      profile("country", TEXT, Indexing.KEYWORD, "country"),
      profile("timeZone", TEXT, Indexing.KEYWORD,
          "the contact's time zone (IANA name such as America/New_York): local times use it,"
              + " else the ruleset's timezone"),
      profile("owner", TEXT, Indexing.FOLDED, "the sales rep's e-mail"),
      new Field("companySize", NUMBER, Origin.PROFILE, Optional.of(Indexing.INTEGER),
          Optional.empty(), Optional.empty(), ZERO, null, "employees"),
      profile("birthDate", ValueType.DATE, Indexing.DATE, "date of birth"),
      // Nobody on record lived past 122; 150 leaves room for typos in birth dates.
      derived("age", NUMBER, null, ZERO, BigDecimal.valueOf(150),
          "whole years at the time of the decision"),
      derived("isBirthday", ValueType.BOOLEAN, null, null, null,
          "month and day of today equal those of birthDate (29 February counts on 28 February)"),
      profile("createdAt", ValueType.DATETIME, Indexing.DATETIME, "when the contact was created"),
      profile("lastActivityAt", ValueType.DATETIME, Indexing.DATETIME,
          "when the contact last did something"),
      state("score", NUMBER, Indexing.INTEGER, StatePart.SCORE, "the contact score (whole number)"),
      state("stage", ValueType.STAGE, Indexing.STAGE, StatePart.STAGE,
          "funnel stage: SUBSCRIBER < LEAD < MQL < SQL < OPPORTUNITY < CUSTOMER, or DISQUALIFIED"),
      profile("consent.email", ValueType.BOOLEAN, Indexing.BOOLEAN, "marketing consent by e-mail"),
      profile("consent.sms", ValueType.BOOLEAN, Indexing.BOOLEAN, "marketing consent by SMS"),
      new Field("points", NUMBER, Origin.DERIVED, Optional.empty(), Optional.of(StatePart.LEDGER),
          Optional.empty(), ZERO, null, "loyalty balance: unexpired points only"),
      state("tier", TEXT, Indexing.KEYWORD, StatePart.TIER, "current loyalty tier, \"\" if none"),
      derived("recency", NUMBER, new HistoryRead("purchase", Optional.empty(), true), ZERO, null,
          "days since the last purchase, empty if none"),
      derived("frequency", NUMBER, new HistoryRead("purchase", Optional.of(YEAR), false), ZERO, null,
          "purchases in the last 365 days"),
      derived("monetary", NUMBER, new HistoryRead("purchase", Optional.of(YEAR), false), null, null,
          "sum of purchase.amount over the last 365 days"));

  private static final List<EventType> EVENT_TYPES = List.of(
      event("page_visit", "a page of the site was visited", Map.of("seconds", "time on page"),
          "url", TEXT, "title", TEXT, "seconds", NUMBER),
      event("email_open", "a marketing e-mail was opened", Map.of(), "campaign", TEXT, "message", TEXT),
      event("email_click", "a link of a marketing e-mail was clicked", Map.of(),
          "campaign", TEXT, "message", TEXT, "url", TEXT),
      event("form_submit", "a form was submitted", Map.of(), "form", TEXT),
      event("newsletter_read", "a newsletter was read", Map.of(), "title", TEXT, "url", TEXT),
      event("article_read", "an article was read", Map.of(), "title", TEXT, "url", TEXT),
      event("product_like", "a product was liked", Map.of(), "product", TEXT),
      event("cart_update", "the cart changed", Map.of(), "value", NUMBER, "items", NUMBER),
      event("checkout", "a checkout started", Map.of(), "value", NUMBER),
      event("purchase", "an order was paid", Map.of(),
          "order", TEXT, "amount", NUMBER, "currency", TEXT, "items", NUMBER),
      event("chat_start", "a chat was started", Map.of(), "channel", TEXT),
      event("daily", "the tick the batch run sends every contact once a day", Map.of()));

  private static final Map<String, Field> BY_NAME = index(FIELDS);

  /** The main fields, which lists of contacts show (see {@link Field#summary()}). */
  private static final Set<String> SUMMARY = Set.of("id", "firstName", "lastName", "email",
      "company", "owner", "score", "stage", "tier", "lastActivityAt");

  /** Every built-in contact field, in the vocabulary's order. */
  public static List<Field> fields() {
    return FIELDS;
  }

  /** The built-in field {@code name} (the part after {@code contact.}). */
  public static Optional<Field> field(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** The fields the store keeps (profile and state), in order. */
  public static List<Field> storedFields() {
    return FIELDS.stream().filter(Field::stored).toList();
  }

  /** Every built-in event type. */
  public static List<EventType> eventTypes() {
    return EVENT_TYPES;
  }

  /**
   * The top-level properties of a contact's JSON, in the order it is written: the stored
   * fields' properties, then the state parts that are not fields, the custom attributes.
   */
  public static List<String> jsonProperties() {
    List<String> names = new ArrayList<>();
    for (Field f : storedFields()) {
      if (!names.contains(f.jsonProperty())) {
        names.add(f.jsonProperty());
      }
    }
    for (StatePart part : StatePart.values()) {
      if (!names.contains(part.jsonName())) {
        names.add(part.jsonName());
      }
    }
    names.add("attributes");
    return List.copyOf(names);
  }

  static Map<String, Field> index(List<Field> fields) {
    Map<String, Field> byName = new LinkedHashMap<>();
    fields.forEach(f -> {
      if (byName.put(f.name(), f) != null) {
        throw new IllegalStateException("contact." + f.name() + " is declared twice");
      }
    });
    return Collections.unmodifiableMap(byName);
  }

  private static Field profile(String name, ValueType type, Indexing indexing, String doc) {
    return new Field(name, type, Origin.PROFILE, Optional.of(indexing), Optional.empty(),
        Optional.empty(), null, null, doc);
  }

  private static Field state(
      String name, ValueType type, Indexing indexing, StatePart part, String doc) {
    return new Field(name, type, Origin.STATE, Optional.of(indexing), Optional.of(part),
        Optional.empty(), null, null, doc);
  }

  private static Field derived(String name, ValueType type, HistoryRead history, BigDecimal min,
      BigDecimal max, String doc) {
    return new Field(name, type, Origin.DERIVED, Optional.empty(), Optional.empty(),
        Optional.ofNullable(history), min, max, doc);
  }

  /** {@code attributes}: pairs of a name and its type. */
  private static EventType event(
      String name, String doc, Map<String, String> notes, Object... attributes) {
    Map<String, ValueType> a = new LinkedHashMap<>();
    for (int i = 0; i < attributes.length; i += 2) {
      a.put((String) attributes[i], (ValueType) attributes[i + 1]);
    }
    return new EventType(name, a, doc, notes);
  }
}
