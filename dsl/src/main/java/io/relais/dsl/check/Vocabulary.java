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

  /** A contact field; {@code name} is the part after {@code contact.}. */
  public record Field(String name, ValueType type, Origin origin, SourceSpan span) {

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

  /** An event type and its own attributes (the implicit id, type and at are not listed here). */
  public record EventType(
      String name, Map<String, ValueType> attributes, boolean builtIn, SourceSpan span) {

    public EventType {
      attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
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

  private static Vocabulary builtInVocabulary() {
    Map<String, Field> f = new LinkedHashMap<>();
    for (String text : List.of("id", "email", "firstName", "lastName", "company", "city",
        "country", "owner")) {
      f.put(text, new Field(text, ValueType.TEXT, Origin.BUILT_IN, SourceSpan.NONE));
    }
    field(f, "companySize", ValueType.NUMBER, Origin.BUILT_IN);
    field(f, "birthDate", ValueType.DATE, Origin.BUILT_IN);
    field(f, "age", ValueType.NUMBER, Origin.DERIVED);
    field(f, "isBirthday", ValueType.BOOLEAN, Origin.DERIVED);
    field(f, "createdAt", ValueType.DATETIME, Origin.BUILT_IN);
    field(f, "lastActivityAt", ValueType.DATETIME, Origin.BUILT_IN);
    field(f, "score", ValueType.NUMBER, Origin.BUILT_IN);
    field(f, "stage", ValueType.STAGE, Origin.BUILT_IN);
    field(f, "consent.email", ValueType.BOOLEAN, Origin.BUILT_IN);
    field(f, "consent.sms", ValueType.BOOLEAN, Origin.BUILT_IN);
    field(f, "points", ValueType.NUMBER, Origin.DERIVED);
    field(f, "tier", ValueType.TEXT, Origin.BUILT_IN);
    field(f, "recency", ValueType.NUMBER, Origin.DERIVED);
    field(f, "frequency", ValueType.NUMBER, Origin.DERIVED);
    field(f, "monetary", ValueType.NUMBER, Origin.DERIVED);

    Map<String, EventType> e = new LinkedHashMap<>();
    ValueType text = ValueType.TEXT;
    ValueType number = ValueType.NUMBER;
    event(e, "page_visit", "url", text, "title", text, "seconds", number);
    event(e, "email_open", "campaign", text, "message", text);
    event(e, "email_click", "campaign", text, "message", text, "url", text);
    event(e, "form_submit", "form", text);
    event(e, "newsletter_read", "title", text, "url", text);
    event(e, "article_read", "title", text, "url", text);
    event(e, "product_like", "product", text);
    event(e, "cart_update", "value", number, "items", number);
    event(e, "checkout", "value", number);
    event(e, "purchase", "order", text, "amount", number, "currency", text, "items", number);
    event(e, "chat_start", "channel", text);
    event(e, "daily");
    return new Vocabulary(f, e, Map.of());
  }

  private static void field(Map<String, Field> f, String name, ValueType type, Origin origin) {
    f.put(name, new Field(name, type, origin, SourceSpan.NONE));
  }

  private static void event(Map<String, EventType> e, String name, Object... attributes) {
    Map<String, ValueType> a = new LinkedHashMap<>();
    for (int i = 0; i < attributes.length; i += 2) {
      a.put((String) attributes[i], (ValueType) attributes[i + 1]);
    }
    e.put(name, new EventType(name, a, true, SourceSpan.NONE));
  }
}
