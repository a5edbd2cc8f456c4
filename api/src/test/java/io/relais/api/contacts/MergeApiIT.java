package io.relais.api.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.relais.api.ApiCalls;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code POST /contacts/{id}/merge} and aliases over HTTP, against the build's node. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "relais.security.api-keys[0].key=k-author",
      "relais.security.api-keys[0].roles=author",
      "relais.security.api-keys[1].key=k-decide",
      "relais.security.api-keys[1].roles=decide",
      "relais.rules-dir=target/no-rules-here"
    })
class MergeApiIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-merge");
  }

  private static final String RULES = """
      scoring "Visit"
      when event is page_visit
      then add 1 to score
      end

      scoring "Third visit this week"
      when event is page_visit and count(page_visit within 7 days) = 3
      then add 10 to score
      end

      reward "voucher" costs 30 points
      """;

  private static final Instant AT = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);

  @Autowired TestRestTemplate http;
  @Autowired ObjectMapper json;

  @BeforeEach
  void ruleset() {
    call(HttpMethod.PUT, "/api/v1/rulesets/merging", "k-author", MediaType.TEXT_PLAIN, RULES);
  }

  private ResponseEntity<String> call(HttpMethod method, String path, String key, MediaType type, String body) {
    return ApiCalls.exchange(http, method, path, key, type, body);
  }

  private ResponseEntity<String> post(String path, Object body) throws Exception {
    return call(HttpMethod.POST, path, "k-decide", MediaType.APPLICATION_JSON, json.writeValueAsString(body));
  }

  private JsonNode get(String path) throws Exception {
    ResponseEntity<String> response = call(HttpMethod.GET, path, "k-decide", null, null);
    assertThat(response.getStatusCode().value()).as(path).isEqualTo(200);
    return json.readTree(response.getBody());
  }

  private void put(String id, String body) {
    assertThat(call(HttpMethod.PUT, "/api/v1/contacts/" + id, "k-decide", MediaType.APPLICATION_JSON, body)
        .getStatusCode().is2xxSuccessful()).isTrue();
  }

  private JsonNode visit(String contactId, String eventId) throws Exception {
    ResponseEntity<String> response = post("/api/v1/contacts/" + contactId + "/events?ruleset=merging",
        Map.of("id", eventId, "type", "page_visit", "at", AT.toString(), "attributes", Map.of("url", "/")));
    assertThat(response.getStatusCode().value()).isEqualTo(200);
    return json.readTree(response.getBody());
  }

  private void assertProblem(ResponseEntity<String> response, int status, String type) throws Exception {
    assertThat(response.getStatusCode().value()).isEqualTo(status);
    assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
    assertThat(json.readTree(response.getBody()).path("type").asText()).isEqualTo("https://relais.dev/problems/" + type);
  }

  @Test
  void aVisitorWhoFillsAFormBecomesTheKnownContact() throws Exception {
    put("cookie-7f3a", "{\"city\": \"Lyon\", \"consent\": {\"email\": true}}");
    visit("cookie-7f3a", "v-1");
    visit("cookie-7f3a", "v-2");
    put("marie", "{\"email\": \"marie@acme.fr\", \"ledger\": [{\"points\": 50, \"earnedAt\": \"" + AT + "\"}]}");

    ResponseEntity<String> merged = post("/api/v1/contacts/marie/merge", Map.of("from", "cookie-7f3a"));

    assertThat(merged.getStatusCode().value()).isEqualTo(200);
    JsonNode marie = json.readTree(merged.getBody());
    assertThat(marie.path("id").asText()).isEqualTo("marie");
    assertThat(marie.path("score").asInt()).isEqualTo(2);
    assertThat(marie.path("city").asText()).isEqualTo("Lyon");
    assertThat(marie.path("consent").path("email").asBoolean()).isTrue();
    assertThat(marie.path("mergedFrom")).containsExactly(json.valueToTree("cookie-7f3a"));

    // The alias's reads, events, decisions, redemptions and history all land on the merged contact.
    assertThat(get("/api/v1/contacts/cookie-7f3a").path("id").asText()).isEqualTo("marie");
    JsonNode third = visit("cookie-7f3a", "v-3");
    assertThat(third.path("contact").path("score").asInt()).isEqualTo(13);
    assertThat(visit("marie", "v-1").path("replayed").asBoolean()).isTrue();
    ResponseEntity<String> bulk = post("/api/v1/events/_bulk?ruleset=merging", List.of(Map.of("contactId",
        "cookie-7f3a", "id", "v-4", "type", "page_visit", "at", AT.toString(), "attributes", Map.of("url", "/"))));
    assertThat(bulk.getStatusCode().value()).isEqualTo(200);
    assertThat(get("/api/v1/contacts/marie").path("score").asInt()).isEqualTo(14);
    JsonNode decision = json.readTree(post("/api/v1/decisions", Map.of("ruleset", "merging",
        "contactId", "cookie-7f3a")).getBody());
    assertThat(decision.path("contact").path("score").asInt()).isEqualTo(14);
    assertThat(post("/api/v1/contacts/cookie-7f3a/rewards/voucher/redeem?ruleset=merging", Map.of())
        .getStatusCode().value()).isEqualTo(200);
    assertThat(get("/api/v1/contacts/marie").path("points").asInt()).isEqualTo(20);
    assertThat(get("/api/v1/contacts/cookie-7f3a/events").findValuesAsText("id"))
        .containsExactlyInAnyOrder("v-1", "v-2", "v-3", "v-4");

    // Merging again changes nothing.
    JsonNode again = json.readTree(post("/api/v1/contacts/marie/merge", Map.of("from", "cookie-7f3a")).getBody());
    assertThat(again.path("score").asInt()).isEqualTo(14);
  }

  @Test
  void mergingIntoAnAliasUnknownIdsAndWritesToAnAliasAreRefused() throws Exception {
    put("paul", "{}");
    put("cookie-1", "{}");
    put("cookie-2", "{}");
    assertThat(post("/api/v1/contacts/paul/merge", Map.of("from", "cookie-1")).getStatusCode().value()).isEqualTo(200);

    assertProblem(post("/api/v1/contacts/cookie-1/merge", Map.of("from", "cookie-2")), 409, "merged");
    assertProblem(post("/api/v1/contacts/cookie-2/merge", Map.of("from", "cookie-1")), 409, "merged");
    assertProblem(post("/api/v1/contacts/nobody/merge", Map.of("from", "cookie-2")), 404, "not-found");
    assertProblem(post("/api/v1/contacts/paul/merge", Map.of("from", "nobody")), 404, "not-found");
    assertProblem(post("/api/v1/contacts/paul/merge", Map.of("from", "paul")), 400, "bad-request");
    assertProblem(post("/api/v1/contacts/paul/merge", Map.of()), 400, "bad-request");
    assertProblem(call(HttpMethod.PUT, "/api/v1/contacts/cookie-1", "k-decide", MediaType.APPLICATION_JSON,
        "{\"city\": \"Nantes\"}"), 409, "merged");
    JsonNode bulk = json.readTree(call(HttpMethod.POST, "/api/v1/contacts/_bulk", "k-decide",
        MediaType.APPLICATION_JSON, "[{\"id\": \"cookie-1\", \"city\": \"Nantes\"}]").getBody());
    assertThat(bulk.path("failed").asInt()).isEqualTo(1);
    assertThat(bulk.path("errors").get(0).path("message").asText()).contains("merged into contact paul");
    assertProblem(call(HttpMethod.POST, "/api/v1/contacts/paul/merge", "k-author", MediaType.APPLICATION_JSON,
        "{\"from\": \"cookie-2\"}"), 403, "forbidden");
  }
}
