package io.relais.engine.evaluation;

import java.util.Locale;
import java.util.Optional;

/**
 * How much of its trace a decision carries (docs/api.md, "The trace"): sized to the question,
 * so that no answer grows with the rules that did not fire unless the caller asks for them.
 */
public enum TraceMode {
  /** The rules that fired, with what their conditions compared: the default, and what is recorded. */
  FIRED,
  /** Every rule the triggering event could reach, fired or not; a rule that did not fire shows the comparison that was false. */
  ALL,
  /** No trace at all. */
  NONE;

  /** The mode a request names ({@code fired}, {@code all}, {@code none}); empty for any other text. */
  public static Optional<TraceMode> named(String name) {
    for (TraceMode mode : values()) {
      if (mode.keyword().equals(name)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }

  /** The mode's name in requests: {@code fired}, {@code all} or {@code none}. */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }
}
