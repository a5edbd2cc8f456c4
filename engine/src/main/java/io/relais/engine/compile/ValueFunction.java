package io.relais.engine.compile;

/** A compiled value expression; {@code null} is empty. */
@FunctionalInterface
public interface ValueFunction {

  Object apply(Facts facts, Facts.EventFact counted);
}
