package io.relais.api.studio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Cancelling a running simulation from the studio, in the browser ({@link StudioBrowser}). This
 * service works no slice ({@code relais.batch.worker=false}: any instance may start a simulation,
 * only workers run it) and has indices of its own (the studio's other service, workers on, would
 * work this simulation), so the simulation is still running when its button is clicked, whatever
 * the machine's speed.
 */
// The three keys of application-three-keys.properties: k-admin, k-author, k-decide.
@ActiveProfiles("three-keys")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"relais.rules-dir=target/no-rules-here", "relais.batch.worker=false"})
class StudioSimulationCancelIT {

  @RegisterExtension static final StudioBrowser STUDIO = new StudioBrowser();

  private static final String RULES = """
      scoring "Visit"
      when event is page_visit
      then add 1 to score
      end
      """;

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-studio-cancel");
  }

  @Autowired TestRestTemplate http;
  @LocalServerPort int port;

  @Test
  void aRunningSimulationIsCancelledFromItsButtonAndShownCancelled() {
    StudioBrowser.call(http, HttpMethod.PUT, "/api/v1/rulesets/cancelling", MediaType.TEXT_PLAIN, RULES);
    StudioBrowser.call(http, HttpMethod.PUT, "/api/v1/contacts/cancel-1", MediaType.APPLICATION_JSON,
        "{\"firstName\": \"Ada\", \"score\": 1, \"stage\": \"LEAD\"}");
    StudioBrowser.call(http, HttpMethod.POST, "/api/v1/contacts/cancel-1/events?ruleset=cancelling",
        MediaType.APPLICATION_JSON, "{\"id\": \"visit-1\", \"type\": \"page_visit\", \"at\": \""
            + Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS) + "\"}");
    STUDIO.driver().get("http://127.0.0.1:" + port + "/studio?ruleset=cancelling");
    STUDIO.id("api-key").sendKeys("k-admin", Keys.ENTER);
    STUDIO.waiting().until(d -> Boolean.TRUE.equals(STUDIO.js("return !!(window.monaco"
        + " && monaco.editor.getEditors().length && monaco.editor.getEditors()[0].getModel()"
        + " && monaco.editor.getEditors()[0].getModel().getValue().includes('scoring \"Visit\"'))")));
    STUDIO.tab("simulations");
    assertThat(STUDIO.id("sim-cancel").isEnabled()).as("nothing runs yet").isFalse();

    STUDIO.id("sim-run").click();
    STUDIO.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("sim-state"),
        "RUNNING: 0 of 1 contacts read"));
    STUDIO.waiting().until(ExpectedConditions.elementToBeClickable(By.id("sim-cancel")));
    STUDIO.id("sim-cancel").click();

    STUDIO.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("sim-state"),
        "CANCELLED: 0 of 1 contacts read"));
    assertThat(STUDIO.id("sim-state").getText())
        .contains("\"cancelling\" active version 1 against the text in the editor");
    assertThat(STUDIO.id("sim-cancel").isEnabled()).isFalse();
    assertThat(STUDIO.id("sim-progress").getAttribute("value")).as("how far it got, not full").isEqualTo("0");
    // The cancel's own message, or the poll's that follows it when the poll sees the state.
    STUDIO.waiting().until(d -> STUDIO.id("status").getText().toLowerCase(Locale.ROOT).contains("cancelled"));
  }
}
