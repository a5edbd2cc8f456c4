package io.relais.dsl.check;

import io.relais.dsl.ast.ValueType;
import io.relais.dsl.schema.Schema;
import io.relais.dsl.source.SourceSpan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every name a ruleset can read: the contact fields, the event types with their attributes
 * and the defined constants; the built-in ones of the {@link Schema} plus the declared ones.
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

    /** Its declaration in the schema; empty for declared attributes. */
    public Optional<Schema.Field> builtIn() {
      return origin == Origin.ATTRIBUTE ? Optional.empty() : Schema.field(name);
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
  public static final Map<String, ValueType> IMPLICIT_EVENT_ATTRIBUTES =
      Schema.IMPLICIT_EVENT_ATTRIBUTES;

  /** What the implicit attributes mean. */
  private static final Map<String, String> IMPLICIT_EVENT_ATTRIBUTE_NOTES =
      Schema.IMPLICIT_EVENT_ATTRIBUTE_NOTES;

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

  // The built-in names are the schema's (docs/engine.md, "The schema"); editors show their notes.
  private static Vocabulary builtInVocabulary() {
    Map<String, Field> f = new LinkedHashMap<>();
    for (Schema.Field field : Schema.fields()) {
      Origin origin = field.origin() == Schema.Origin.DERIVED ? Origin.DERIVED : Origin.BUILT_IN;
      f.put(field.name(), new Field(field.name(), field.type(), origin, SourceSpan.NONE, field.doc()));
    }
    Map<String, EventType> e = new LinkedHashMap<>();
    for (Schema.EventType type : Schema.eventTypes()) {
      e.put(type.name(), new EventType(type.name(), type.attributes(), true, SourceSpan.NONE,
          type.doc(), type.notes()));
    }
    return new Vocabulary(f, e, Map.of());
  }
}
