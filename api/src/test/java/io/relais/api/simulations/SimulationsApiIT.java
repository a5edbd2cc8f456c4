package io.relais.api.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Simulations over HTTP against the build's node: an author starts one over events posted as a
 * client posts them and reads its result; an invalid candidate is a 422 with every diagnostic; a
 * decide key may not simulate; mistakes are 400 and unknown ids 404.
 */
// The three keys of application-three-keys.properties: k-admin, k-author, k-decide.
@ActiveProfiles("three-keys")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"relais.rules-dir=target/no-rules-here", "relais.batch.lease=5s", "relais.batch.poll=200ms"})
class SimulationsApiIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-simulations");
  }

  private static final String V1 = """
      scoring "Visit"
      when event is page_visit
      then add 10 to score
      end

      qualify "Engaged"
      when contact.score >= 30 and contact.stage < MQL
      then advance stage to MQL
      end
      """;
  private static final String V2 = V1.replace(">= 30", ">= 20");

  @Autowired TestRestTemplate http;
  @Autowired ObjectMapper json;

  private ResponseEntity<String> call(String key, HttpMethod method, String path, MediaType type, String body) {
    HttpHeaders headers = new HttpHeaders();
    headers.set("X-API-Key", key);
    if (type != null) {
      headers.setContentType(type);
    }
    return http.exchange(path, method, new HttpEntity<>(body, headers), String.class);
  }

  private JsonNode simulate(String key, Object body, int status) throws Exception {
    ResponseEntity<String> response = call(key, HttpMethod.POST, "/api/v1/simulations", MediaType.APPLICATION_JSON,
        json.writeValueAsString(body));
    assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(status);
    return json.readTree(response.getBody());
  }

  private static Map<String, Object> request(Object candidate) {
    return Map.of("ruleset", "api-sim", "candidate", candidate, "from", "2026-10-01T00:00:00Z",
        "until", "2026-11-01T00:00:00Z");
  }

  @Test
  void anAuthorSimulatesACandidateOverPostedEvents() throws Exception {
    assertThat(call("k-author", HttpMethod.PUT, "/api/v1/rulesets/api-sim", MediaType.TEXT_PLAIN, V1)
        .getStatusCode().value()).isEqualTo(201);
    assertThat(call("k-author", HttpMethod.PUT, "/api/v1/rulesets/api-sim?activate=false", MediaType.TEXT_PLAIN, V2)
        .getStatusCode().value()).isEqualTo(201);
    for (String contact : new String[] {"s-1", "s-2"}) {
      for (int day = 2; day <= 3; day++) {
        String event = "{\"id\": \"v-" + day + "\", \"type\": \"page_visit\", \"at\": \"2026-10-0" + day
            + "T10:00:00Z\"}";
        assertThat(call("k-decide", HttpMethod.POST, "/api/v1/contacts/" + contact + "/events?ruleset=api-sim",
            MediaType.APPLICATION_JSON, event).getStatusCode().value()).isEqualTo(200);
      }
    }
    // The event documents follow the answers: the simulation reads them, or the contacts' outboxes.
    ResponseEntity<String> started = call("k-author", HttpMethod.POST, "/api/v1/simulations",
        MediaType.APPLICATION_JSON, json.writeValueAsString(request(Map.of("version", 2))));
    assertThat(started.getStatusCode().value()).as(started.getBody()).isEqualTo(202);
    String id = json.readTree(started.getBody()).path("id").asText();
    assertThat(started.getHeaders().getLocation()).hasToString("/api/v1/simulations/" + id);

    JsonNode done = awaitDone(id);
    assertThat(done.path("contacts").asLong()).isEqualTo(2);
    assertThat(done.path("events").asLong()).isEqualTo(4);
    assertThat(done.path("activeVersion").asInt()).isEqualTo(1);
    assertThat(done.path("candidateVersion").asInt()).isEqualTo(2);
    JsonNode contacts = done.path("result").path("contacts");
    // Both become MQLs, at the second visit with v2 and never with v1 (20 points).
    assertThat(contacts.path("stage").asLong()).isEqualTo(2);
    assertThat(contacts.path("sample").findValuesAsText("contactId")).containsExactly("s-1", "s-2");
    assertThat(contacts.path("sample").get(0).path("candidate").path("stage").asText()).isEqualTo("MQL");
    JsonNode stage = done.path("result").path("decisions").path("byType").get(1);
    assertThat(stage.path("type").asText()).isEqualTo("STAGE");
    assertThat(stage.path("active").asLong()).isZero();
    assertThat(stage.path("candidate").asLong()).isEqualTo(2);
    assertThat(stage.path("difference").asLong()).isEqualTo(2);

    // Cancelling a finished simulation leaves it as it ended.
    ResponseEntity<String> cancelled = call("k-author", HttpMethod.POST, "/api/v1/simulations/" + id + "/cancel",
        null, null);
    assertThat(cancelled.getStatusCode().value()).isEqualTo(200);
    assertThat(json.readTree(cancelled.getBody()).path("state").asText()).isEqualTo("DONE");

    // An invalid candidate: every diagnostic, and nothing runs.
    JsonNode invalid = simulate("k-author", request(Map.of("files", Map.of("api-sim.rules",
        "scoring \"A\"\nwhen event is page_vist\nthen add 1 to score\nend\n\nscoring \"B\"\nwhen contact.scroe > 1\n"
            + "then add 1 to score\nend\n"))), 422);
    assertThat(invalid.path("type").asText()).endsWith("/invalid-ruleset");
    assertThat(invalid.path("diagnostics").findValuesAsText("line")).contains("2", "7");

    // Who may, and mistakes.
    assertThat(call("k-decide", HttpMethod.POST, "/api/v1/simulations", MediaType.APPLICATION_JSON,
        json.writeValueAsString(request(Map.of("version", 2)))).getStatusCode().value()).isEqualTo(403);
    assertThat(call("k-decide", HttpMethod.GET, "/api/v1/simulations/" + id, null, null).getStatusCode().value())
        .isEqualTo(403);
    simulate("k-author", request(Map.of("version", 9)), 404);
    simulate("k-author", request(Map.of("version", 2, "files", Map.of("a.rules", V1))), 400);
    simulate("k-author", Map.of("ruleset", "api-sim", "candidate", Map.of("version", 2)), 400);
    simulate("k-author", Map.of("ruleset", "api-sim", "candidate", Map.of("version", 2),
        "from", "2026-11-01T00:00:00Z", "until", "2026-10-01T00:00:00Z"), 400);
    simulate("k-author", Map.of("ruleset", "nope", "candidate", Map.of("version", 1),
        "from", "2026-10-01T00:00:00Z", "until", "2026-11-01T00:00:00Z"), 404);
    JsonNode filter = simulate("k-author", Map.of("ruleset", "api-sim", "candidate", Map.of("version", 2),
        "from", "2026-10-01T00:00:00Z", "until", "2026-11-01T00:00:00Z", "filter", "contact.scroe > 1"), 422);
    assertThat(filter.path("type").asText()).endsWith("/invalid-condition");
    assertThat(call("k-author", HttpMethod.GET, "/api/v1/simulations/0123456789ab", null, null)
        .getStatusCode().value()).isEqualTo(404);
    assertThat(call("k-author", HttpMethod.GET, "/api/v1/simulations/" + "x".repeat(4_000), null, null)
        .getStatusCode().value()).isEqualTo(404);
  }

  private JsonNode awaitDone(String id) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (true) {
      ResponseEntity<String> response = call("k-author", HttpMethod.GET, "/api/v1/simulations/" + id, null, null);
      assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
      JsonNode status = json.readTree(response.getBody());
      if ("DONE".equals(status.path("state").asText())) {
        return status;
      }
      assertThat(Instant.now()).as("the simulation's end").isBefore(deadline);
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // a polling interval, not a wait for an outcome
    }
  }
}
