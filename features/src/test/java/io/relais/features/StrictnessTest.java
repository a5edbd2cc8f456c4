package io.relais.features;

import static io.cucumber.junit.platform.engine.Constants.FILTER_NAME_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathResource;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.junit.jupiter.api.Test;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The run is strict: an undefined or ambiguous step fails it, and so does a run with no scenario. */
class StrictnessTest {

  /** A suite over a folder without any feature. */
  @Suite
  @IncludeEngines("cucumber")
  @SelectPackages("fixtures.empty")
  static class NoScenario {}

  private static EngineExecutionResults cucumber(String feature, String glue) {
    return EngineTestKit.engine("cucumber")
        // Without the reports of junit-platform.properties: this run must not overwrite them.
        .enableImplicitConfigurationParameters(false)
        .configurationParameter(GLUE_PROPERTY_NAME, glue)
        .selectors(selectClasspathResource(feature))
        .execute();
  }

  @Test
  void anUndefinedStepFailsTheScenario() {
    EngineExecutionResults results = cucumber("fixtures/undefined.feature", "io.relais.features.steps");

    results.testEvents().assertStatistics(stats -> stats.started(1).failed(1).succeeded(0));
    results.testEvents().failed().assertThatEvents().haveExactly(1,
        finishedWithFailure(message(m -> m.contains("the contact dances the tango"))));
  }

  @Test
  void anAmbiguousStepFailsTheScenario() {
    EngineExecutionResults results = cucumber("fixtures/ambiguous.feature",
        "io.relais.features.steps,io.relais.features.fixtures");

    results.testEvents().assertStatistics(stats -> stats.started(1).failed(1).succeeded(0));
    results.testEvents().failed().assertThatEvents().haveExactly(1,
        finishedWithFailure(message(m -> m.contains("matches more than one step definition"))));
  }

  @Test
  void theSameFeatureWithOneDefinitionPasses() {
    EngineExecutionResults results = cucumber("fixtures/ambiguous.feature", "io.relais.features.steps");

    results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
  }

  @Test
  void aSuiteWithoutFeaturesFails() {
    EngineExecutionResults results = EngineTestKit.engine("junit-platform-suite")
        .enableImplicitConfigurationParameters(false)
        .selectors(selectClass(NoScenario.class))
        .execute();

    assertThat(results.allEvents().failed().count()).isPositive();
  }

  @Test
  void aRunWhoseFilterMatchesNoScenarioFails() {
    EngineExecutionResults results = EngineTestKit.engine("junit-platform-suite")
        .enableImplicitConfigurationParameters(false)
        .configurationParameter(FILTER_NAME_PROPERTY_NAME, "^no scenario has this name$")
        .selectors(selectClass(RelaisFeaturesTest.class))
        .execute();

    assertThat(results.testEvents().started().count()).isZero();
    results.containerEvents().failed().assertThatEvents().anyMatch(event ->
        event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
            .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
            .filter(t -> String.valueOf(t.getMessage()).contains("No scenario ran")).isPresent());
  }
}
