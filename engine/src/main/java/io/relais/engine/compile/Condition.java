package io.relais.engine.compile;

/** A compiled condition. */
@FunctionalInterface
public interface Condition {

  /** Always true: a rule without {@code when}. */
  Condition ALWAYS = (facts, counted, trace) -> true;

  /**
   * @param counted the history event a {@code where} clause is looking at, else null
   */
  boolean test(Facts facts, Facts.EventFact counted, Trace trace);

  default boolean test(Facts facts, Trace trace) {
    return test(facts, null, trace);
  }
}
