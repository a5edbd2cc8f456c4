package io.relais.dsl.check;

import io.relais.dsl.ast.ValueType;
import io.relais.dsl.source.SourceSpan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every name a ruleset can read: the contact fields, the event types with their attributes
 * and the defined constants; the built-in ones of docs/language.md ("What rules can read") plus the declared ones.
 */
public final class Vocabulary {

  /** Where a contact field's value comes from. */
  public enum Origin {
    /** Stored on the contact as sent (contact.email, contact.score...). */
    BUILT_IN,
    /** Computed by the engine at {@code now} (contact.age, contact.points...). */
    DERIVED,
    /** Declared by {@code attribute contact.X : type}, read from {@code contact.attributes.X}. */
    ATTRIBUTE
  }

  /**
   * A contact field; {@code name} is the part after {@code contact.}; {@code doc} is one line
   * for authors (editors show it), empty for declared attributes.
   */
  public record Field(String name, ValueType type, Origin origin, SourceSpan span, String doc) {

    public Field {
      doc = doc == null ? "" : doc;
    }

    /** A field without documentation: a declared attribute. */
    public Field(String name, ValueType type, Origin origin, SourceSpan span) {
      this(name, type, origin, span, "");
    }

    /** As authors write it: {@code contact.consent.email}. */
    public String dotted() {
      return "contact." + name;
    }

    /** Where the engine reads it in the contact's JSON: {@code attributes.industry} for declared. */
    public String jsonPath() {
      return origin == Origin.ATTRIBUTE ? "attributes." + name : name;
    }

    public boolean derived() {
      return origin == Origin.DERIVED;
    }
  }

  /**
   * An event type and its own attributes (the implicit id, type and at are not listed here);
   * {@code doc} says what the event is, {@code notes} what some attributes mean (one line each).
   */
  public record EventType(String name, Map<String, ValueType> attributes, boolean builtIn,
      SourceSpan span, String doc, Map<String, String> notes) {

    public EventType {
      attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
      doc = doc == null ? "" : doc;
      notes = Map.copyOf(notes);
    }

    /** An event type without documentation: a declared one. */
    public EventType(
        String name, Map<String, ValueType> attributes, boolean builtIn, SourceSpan span) {
      this(name, attributes, builtIn, span, "", Map.of());
    }

    /** What attribute {@code name} means, if documented ({@code id}, {@code type}, {@code at} are). */
    public String note(String name) {
      String note = notes.get(name);
      return note != null ? note : IMPLICIT_EVENT_ATTRIBUTE_NOTES.getOrDefault(name, "");
    }

    /** The type of attribute {@code name}, implicit ones included. */
    public Optional<ValueType> attribute(String name) {
      ValueType own = attributes.get(name);
      return own != null ? Optional.of(own) : Optional.ofNullable(IMPLICIT_EVENT_ATTRIBUTES.get(name));
    }

    /** Own attributes, then the implicit ones: the names a "did you mean" may offer. */
    public List<String> attributeNames() {
      List<String> names = new ArrayList<>(attributes.keySet());
      names.addAll(IMPLICIT_EVENT_ATTRIBUTES.keySet());
      return names;
    }
  }

  /** A {@code define}d constant; {@code value} is a BigDecimal, String, Boolean or LocalDate. */
  public record Constant(String name, ValueType type, Object value, SourceSpan span) {}

  /** Every event has these, whatever its type. */
  public static final Map<String, ValueType> IMPLICIT_EVENT_ATTRIBUTES = Map.of(
      "id", ValueType.TEXT, "type", ValueType.TEXT, "at", ValueType.DATETIME);

  /** What the implicit attributes mean. */
  private static final Map<String, String> IMPLICIT_EVENT_ATTRIBUTE_NOTES = Map.of(
      "id", "the event's id (a repeated id is the same event)", "type", "the event's type",
      "at", "when it happened");

  private static final Vocabulary BUILT_IN = builtInVocabulary();

  private final Map<String, Field> fields;
  private final Map<String, EventType> eventTypes;
  private final Map<String, Constant> constants;

  private Vocabulary(
      Map<String, Field> fields, Map<String, EventType> eventTypes, Map<String, Constant> constants) {
    this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    this.eventTypes = Collections.unmodifiableMap(new LinkedHashMap<>(eventTypes));
    this.constants = Collections.unmodifiableMap(new LinkedHashMap<>(constants));
  }

  /** The names of docs/language.md ("What rules can read"), before any declaration. */
  public static Vocabulary builtIn() {
    return BUILT_IN;
  }

  public Optional<Field> field(String name) {
    return Optional.ofNullable(fields.get(name));
  }

  public List<Field> fields() {
    return List.copyOf(fields.values());
  }

  public Optional<EventType> eventType(String name) {
    return Optional.ofNullable(eventTypes.get(name));
  }

  public List<EventType> eventTypes() {
    return List.copyOf(eventTypes.values());
  }

  public Optional<Constant> constant(String name) {
    return Optional.ofNullable(constants.get(name));
  }

  public List<Constant> constants() {
    return List.copyOf(constants.values());
  }

  /** A copy extended with declarations; names already present are the caller's problem. */
  Vocabulary with(List<Field> moreFields, List<EventType> moreEvents, List<Constant> moreConstants) {
    Map<String, Field> f = new LinkedHashMap<>(fields);
    moreFields.forEach(x -> f.putIfAbsent(x.name(), x));
    Map<String, EventType> e = new LinkedHashMap<>(eventTypes);
    moreEvents.forEach(x -> e.putIfAbsent(x.name(), x));
    Map<String, Constant> c = new LinkedHashMap<>(constants);
    moreConstants.forEach(x -> c.putIfAbsent(x.name(), x));
    return new Vocabulary(f, e, c);
  }

  // The notes are those of docs/language.md ("What rules can read"): editors show them.
  private static Vocabulary builtInVocabulary() {
    Map<String, Field> f = new LinkedHashMap<>();
    ValueType text = ValueType.TEXT;
    ValueType number = ValueType.NUMBER;
    Origin stored = Origin.BUILT_IN;
    field(f, "id", text, stored, "the contact's id");
    field(f, "email", text, stored, "e-mail address");
    field(f, "firstName", text, stored, "first name");
    field(f, "lastName", text, stored, "last name");
    field(f, "company", text, stored, "company name");
    field(f, "city", text, stored, "city");
    field(f, "country", text, stored, "country");
    field(f, "owner", text, stored, "the sales rep's e-mail");
    field(f, "companySize", number, stored, "employees");
    field(f, "birthDate", ValueType.DATE, stored, "date of birth");
    field(f, "age", number, Origin.DERIVED, "whole years at the time of the decision");
    field(f, "isBirthday", ValueType.BOOLEAN, Origin.DERIVED,
        "month and day of today equal those of birthDate (29 February counts on 28 February)");
    field(f, "createdAt", ValueType.DATETIME, stored, "when the contact was created");
    field(f, "lastActivityAt", ValueType.DATETIME, stored, "when the contact last did something");
    field(f, "score", number, stored, "the contact score (whole number)");
    field(f, "stage", ValueType.STAGE, stored,
        "funnel stage: SUBSCRIBER < LEAD < MQL < SQL < OPPORTUNITY < CUSTOMER, or DISQUALIFIED");
    field(f, "consent.email", ValueType.BOOLEAN, stored, "marketing consent by e-mail");
    field(f, "consent.sms", ValueType.BOOLEAN, stored, "marketing consent by SMS");
    field(f, "points", number, Origin.DERIVED, "loyalty balance: unexpired points only");
    field(f, "tier", text, stored, "current loyalty tier, \"\" if none");
    field(f, "recency", number, Origin.DERIVED, "days since the last purchase, empty if none");
    field(f, "frequency", number, Origin.DERIVED, "purchases in the last 365 days");
    field(f, "monetary", number, Origin.DERIVED, "sum of purchase.amount over the last 365 days");

    Map<String, EventType> e = new LinkedHashMap<>();
    event(e, "page_visit", "a page of the site was visited", Map.of("seconds", "time on page"),
        "url", text, "title", text, "seconds", number);
    event(e, "email_open", "a marketing e-mail was opened", "campaign", text, "message", text);
    event(e, "email_click", "a link of a marketing e-mail was clicked",
        "campaign", text, "message", text, "url", text);
    event(e, "form_submit", "a form was submitted", "form", text);
    event(e, "newsletter_read", "a newsletter was read", "title", text, "url", text);
    event(e, "article_read", "an article was read", "title", text, "url", text);
    event(e, "product_like", "a product was liked", "product", text);
    event(e, "cart_update", "the cart changed", "value", number, "items", number);
    event(e, "checkout", "a checkout started", "value", number);
    event(e, "purchase", "an order was paid",
        "order", text, "amount", number, "currency", text, "items", number);
    event(e, "chat_start", "a chat was started", "channel", text);
    event(e, "daily", "the tick the batch run sends every contact once a day");
    return new Vocabulary(f, e, Map.of());
  }

  private static void field(
      Map<String, Field> f, String name, ValueType type, Origin origin, String doc) {
    f.put(name, new Field(name, type, origin, SourceSpan.NONE, doc));
  }

  /** {@code attributes}: pairs of a name and its type. */
  private static void event(Map<String, EventType> e, String name, String doc, Object... attributes) {
    event(e, name, doc, Map.of(), attributes);
  }

  private static void event(Map<String, EventType> e, String name, String doc,
      Map<String, String> notes, Object... attributes) {
    Map<String, ValueType> a = new LinkedHashMap<>();
    for (int i = 0; i < attributes.length; i += 2) {
      a.put((String) attributes[i], (ValueType) attributes[i + 1]);
    }
    e.put(name, new EventType(name, a, true, SourceSpan.NONE, doc, notes));
  }
}
