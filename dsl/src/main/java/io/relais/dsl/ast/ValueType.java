package io.relais.dsl.ast;

import java.util.Locale;
import java.util.Optional;

/** The types of the language. Declarations may use the first five. */
public enum ValueType {
  TEXT,
  NUMBER,
  BOOLEAN,
  DATE,
  DATETIME,
  STAGE;

  /** The word authors write, as in {@code attribute contact.budget : number}. */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The declarable type named by {@code word} (case-insensitive), if any. */
  public static Optional<ValueType> declarable(String word) {
    for (ValueType type : values()) {
      if (type != STAGE && type.keyword().equalsIgnoreCase(word)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
