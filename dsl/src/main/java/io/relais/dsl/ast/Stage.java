package io.relais.dsl.ast;

import java.util.Optional;

/**
 * The funnel stages. All but {@link #DISQUALIFIED} are ordered as declared; every ordered
 * comparison with {@code DISQUALIFIED} is false.
 */
public enum Stage {
  SUBSCRIBER,
  LEAD,
  MQL,
  SQL,
  OPPORTUNITY,
  CUSTOMER,
  DISQUALIFIED;

  public boolean isOrdered() {
    return this != DISQUALIFIED;
  }

  /** The stage spelled {@code text} exactly (stage names are upper case), if any. */
  public static Optional<Stage> named(String text) {
    for (Stage stage : values()) {
      if (stage.name().equals(text)) {
        return Optional.of(stage);
      }
    }
    return Optional.empty();
  }
}
