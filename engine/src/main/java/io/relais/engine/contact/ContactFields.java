package io.relais.engine.contact;

import io.relais.engine.compile.FieldRead;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The accessor of every field of the schema (docs/engine.md, "The schema"): what the compiler
 * binds a contact field to when a ruleset compiles, so that no read looks a field up by name.
 * Profile fields need nothing here: they are read from their slot in the contact's profile.
 * State and derived fields are listed below; a schema field without an accessor is refused by
 * {@link #read} (and by {@code ContactFieldsTest}).
 */
public final class ContactFields {

  private ContactFields() {}

  private static final Map<String, FieldRead> READS = reads();

  /** The binder the engine compiles rulesets with. */
  public static final FieldRead.Binder BINDER = ContactFields::read;

  /**
   * The accessor of the contact field at {@code jsonPath}: a schema field or {@code
   * attributes.X}, a declared attribute.
   *
   * @throws IllegalArgumentException for a field the schema does not declare or that has no
   *     accessor
   */
  public static FieldRead read(String jsonPath) {
    if (jsonPath.startsWith("attributes.")) {
      String name = jsonPath.substring("attributes.".length());
      return f -> ((ContactFacts) f).contact().attributes().get(name);
    }
    FieldRead read = READS.get(jsonPath);
    if (read == null) {
      throw new IllegalArgumentException("contact." + jsonPath + " has no accessor");
    }
    return read;
  }

  /** The names of the fields that have an accessor. */
  static java.util.Set<String> bound() {
    return READS.keySet();
  }

  private static Map<String, FieldRead> reads() {
    Map<String, FieldRead> reads = new LinkedHashMap<>();
    for (int slot = 0; slot < Contact.PROFILE.size(); slot++) {
      int s = slot;
      reads.put(Contact.PROFILE.get(slot).name(), f -> ((ContactFacts) f).contact().profileSlot(s));
    }
    // State fields.
    contact(reads, "score", Contact::score);
    contact(reads, "stage", Contact::stage);
    contact(reads, "tier", Contact::tier);
    // Derived fields, computed at the facts' now.
    facts(reads, "age", ContactFacts::age);
    facts(reads, "isBirthday", ContactFacts::isBirthday);
    facts(reads, "points", ContactFacts::points);
    facts(reads, "recency", ContactFacts::recency);
    facts(reads, "frequency", f -> BigDecimal.valueOf(f.frequency()));
    facts(reads, "monetary", ContactFacts::monetary);
    // ContactFieldsTest: these are exactly the schema's fields.
    return Collections.unmodifiableMap(reads);
  }

  private static void contact(Map<String, FieldRead> reads, String name, Function<Contact, Object> get) {
    reads.put(name, f -> get.apply(((ContactFacts) f).contact()));
  }

  private static void facts(Map<String, FieldRead> reads, String name, Function<ContactFacts, Object> get) {
    reads.put(name, f -> get.apply((ContactFacts) f));
  }
}
