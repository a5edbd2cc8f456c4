package io.relais.engine.dmn;

import io.relais.dsl.check.DecisionModels;
import io.relais.dsl.source.Source;

/**
 * The checker's view of DMN files, found by {@link java.util.ServiceLoader} when the engine is
 * on the class path (the service, {@code ./relais check}, the tests of the sample rulesets).
 */
public final class KogitoDecisionModels implements DecisionModels {

  @Override
  public Model read(Source file) {
    return DmnModels.load(file).model();
  }
}
