package io.relais.features;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathResource;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** A failing scenario says what was expected, what came instead, the decisions and the rule trace. */
class FailureMessageTest {

  @Test
  void aWrongExpectationIsExplainedWithTheDecisionsAndTheTrace() {
    EngineExecutionResults results = EngineTestKit.engine("cucumber")
        .enableImplicitConfigurationParameters(false)
        .configurationParameter(GLUE_PROPERTY_NAME, "io.relais.features.steps")
        .selectors(selectClasspathResource("fixtures/failing.feature"))
        .execute();

    results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
    String message = results.testEvents().failed().stream()
        .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow().getMessage())
        .findFirst().orElseThrow();
    assertThat(message)
        .contains("Expected: the contact's score is 11")
        .contains("Instead:  the score is 1")
        .contains("After \"When the contact visits \"/home\"\":")
        .contains("1. SCORE delta=1 score=1  (rule \"Visit\", scenario.rules:1)")
        .contains("rule trace:")
        .contains("fired      \"Visit\"")
        .contains("not fired  \"Leasing visit\": event is page_visit = page_visit; event.url = \"/home\" matches \"/leasing/**\"")
        .contains("Run in process");
  }
}
