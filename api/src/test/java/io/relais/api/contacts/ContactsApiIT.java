package io.relais.api.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.relais.api.ApiCalls;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Contacts and events over HTTP against the build's Elasticsearch node. */
@AutoConfigureObservability
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "relais.security.api-keys[0].key=k-author",
      "relais.security.api-keys[0].roles=author",
      "relais.security.api-keys[1].key=k-decide",
      "relais.security.api-keys[1].roles=decide",
      "relais.security.api-keys[2].key=k-admin",
      "relais.security.api-keys[2].roles=admin",
      "relais.rules-dir=target/no-rules-here"
    })
class ContactsApiIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-contacts");
  }

  private static final String JOURNEY = """
      default owner "sales@acme.fr"

      segment "Leasing pages"
      when event is page_visit and event.url matches "/financing/leasing/**"
      then tag "FINANCING_LEASING"
      end

      scoring "Website visit"
      when event is page_visit
      then add 1 to score
      end

      scoring "Frequent visitor"
      when event is page_visit and count(page_visit within 7 days) = 3
      then add 10 to score
      end

      loyalty "Points for purchases"
      when event is purchase
      then award event.amount points expiring in 365 days
      end

      reward "voucher" costs 100 points
      """;

  @Autowired TestRestTemplate http;
  @Autowired ObjectMapper json;

  @BeforeEach
  void ruleset() {
    call(HttpMethod.PUT, "/api/v1/rulesets/journey", "k-author", MediaType.TEXT_PLAIN, JOURNEY);
  }

  private ResponseEntity<String> call(HttpMethod method, String path, String key, MediaType type, String body) {
    return ApiCalls.exchange(http, method, path, key, type, body);
  }

  private ResponseEntity<String> post(String path, Object body) throws Exception {
    return call(HttpMethod.POST, path, "k-decide", MediaType.APPLICATION_JSON, json.writeValueAsString(body));
  }

  private JsonNode body(ResponseEntity<String> response) throws Exception {
    return json.readTree(response.getBody());
  }

  private void assertProblem(ResponseEntity<String> response, int status, String type) throws Exception {
    assertThat(response.getStatusCode().value()).isEqualTo(status);
    assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
    assertThat(body(response).path("type").asText()).isEqualTo("https://relais.dev/problems/" + type);
  }

  // Times relative to the run, never fixed dates: "within 7 days" counts back from the server's
  // clock, so visits on a fixed day fell out of the window a week later and the test failed.
  private static final Instant VISITS = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);
  private static final Instant PURCHASE = VISITS.plus(1, ChronoUnit.MINUTES);

  private static Map<String, Object> visit(String id, String url) {
    return Map.of("id", id, "type", "page_visit", "at", VISITS.toString(), "attributes", Map.of("url", url));
  }

  @Test
  void aContactsJourney() throws Exception {
    ResponseEntity<String> created = call(HttpMethod.PUT, "/api/v1/contacts/jean", "k-decide",
        MediaType.APPLICATION_JSON, "{\"firstName\": \"Jean\", \"consent\": {\"email\": true}}");
    assertThat(created.getStatusCode().value()).isEqualTo(201);

    JsonNode first = body(post("/api/v1/contacts/jean/events?ruleset=journey", visit("v-1", "/financing/leasing/a")));
    post("/api/v1/contacts/jean/events?ruleset=journey", visit("v-2", "/financing/leasing/b"));
    JsonNode third = body(post("/api/v1/contacts/jean/events?ruleset=journey", visit("v-3", "/cars")));
    JsonNode again = body(post("/api/v1/contacts/jean/events?ruleset=journey", visit("v-3", "/cars")));
    post("/api/v1/contacts/jean/events?ruleset=journey", Map.of("id", "p-1", "type", "purchase",
        "at", PURCHASE.toString(), "attributes", Map.of("amount", 250)));

    assertThat(first.path("replayed").asBoolean()).isFalse();
    assertThat(first.path("ruleset").asText()).isEqualTo("journey");
    assertThat(third.path("contact").path("score").asInt()).isEqualTo(13); // 3 visits + 10 at the third
    assertThat(again.path("replayed").asBoolean()).isTrue();
    assertThat(again.path("contact")).isEqualTo(third.path("contact"));

    JsonNode jean = body(call(HttpMethod.GET, "/api/v1/contacts/jean", "k-decide", null, null));
    assertThat(jean.path("firstName").asText()).isEqualTo("Jean");
    assertThat(jean.path("score").asInt()).isEqualTo(13);
    assertThat(jean.path("tags").path("FINANCING_LEASING").asInt()).isEqualTo(2);
    assertThat(jean.path("points").asInt()).isEqualTo(250);
    assertThat(jean.path("ledger")).hasSize(1);
    assertThat(jean.path("lastActivityAt").asText()).isEqualTo(PURCHASE.toString());

    JsonNode history = body(call(HttpMethod.GET, "/api/v1/contacts/jean/events?limit=2", "k-decide", null, null));
    assertThat(history.findValuesAsText("id")).containsExactly("p-1", "v-3");

    // A profile update keeps what the rules did.
    call(HttpMethod.PUT, "/api/v1/contacts/jean", "k-decide", MediaType.APPLICATION_JSON,
        "{\"firstName\": \"Jean-Pierre\"}");
    JsonNode renamed = body(call(HttpMethod.GET, "/api/v1/contacts/jean", "k-decide", null, null));
    assertThat(renamed.path("firstName").asText()).isEqualTo("Jean-Pierre");
    assertThat(renamed.path("score").asInt()).isEqualTo(13);

    JsonNode redeemed = body(post("/api/v1/contacts/jean/rewards/voucher/redeem?ruleset=journey", Map.of()));
    assertThat(redeemed.path("balance").asInt()).isEqualTo(150);
    post("/api/v1/contacts/jean/rewards/voucher/redeem?ruleset=journey", Map.of());
    ResponseEntity<String> tooLow = post("/api/v1/contacts/jean/rewards/voucher/redeem?ruleset=journey", Map.of());
    assertProblem(tooLow, 409, "insufficient-points");
    assertThat(body(tooLow).path("balance").asInt()).isEqualTo(50);
    assertProblem(post("/api/v1/contacts/jean/rewards/nothing/redeem?ruleset=journey", Map.of()), 404, "not-found");
  }

  @Test
  void decisionsOnAStoredContactReadItsHistoryAndStoreNothing() throws Exception {
    post("/api/v1/contacts/anna/events?ruleset=journey", visit("v-1", "/a"));
    post("/api/v1/contacts/anna/events?ruleset=journey", visit("v-2", "/b"));
    Map<String, Object> request = Map.of("ruleset", "journey", "contactId", "anna",
        "now", VISITS.plus(2, ChronoUnit.HOURS).toString(), "event", visit("v-3", "/c"));

    JsonNode decision = body(post("/api/v1/decisions", request));

    assertThat(decision.path("contact").path("score").asInt()).isEqualTo(13); // 2 stored + this one = 3
    assertThat(body(call(HttpMethod.GET, "/api/v1/contacts/anna", "k-decide", null, null)).path("score").asInt())
        .isEqualTo(2);
    assertThat(body(call(HttpMethod.GET, "/api/v1/contacts/anna/events", "k-decide", null, null))).hasSize(2);
  }

  @Test
  void concurrentEventsOverHttpAreAllApplied() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<ResponseEntity<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        Map<String, Object> event = visit("c-" + i, "/financing/leasing/x");
        calls.add(() -> post("/api/v1/contacts/busy/events?ruleset=journey", event));
      }
      for (Future<ResponseEntity<String>> f : pool.invokeAll(calls)) {
        assertThat(f.get().getStatusCode().value()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }

    JsonNode busy = body(call(HttpMethod.GET, "/api/v1/contacts/busy", "k-decide", null, null));
    assertThat(busy.path("tags").path("FINANCING_LEASING").asInt()).isEqualTo(50);
    assertThat(busy.path("score").asInt()).isEqualTo(60); // 50 visits + 10 once, at the third
  }

  @Test
  void bulkEventsAnswerPerItem() throws Exception {
    List<Object> items = List.of(
        Map.of("contactId", "b-1", "id", "e-1", "type", "page_visit", "attributes", Map.of("url", "/x")),
        Map.of("contactId", "b-2", "id", "e-1", "type", "page_visit"),
        Map.of("contactId", "b-1", "id", "e-1", "type", "page_visit"),
        Map.of("contactId", "b-1", "type", "page_visit"));

    JsonNode answer = body(post("/api/v1/events/_bulk?ruleset=journey", items));

    assertThat(answer.path("applied").asInt()).isEqualTo(2);
    assertThat(answer.path("replayed").asInt()).isEqualTo(1);
    assertThat(answer.path("failed").asInt()).isEqualTo(1);
    assertThat(answer.path("items").get(2).path("decision").path("replayed").asBoolean()).isTrue();
    assertThat(answer.path("items").get(3).path("status").asInt()).isEqualTo(400);
  }

  @Test
  void bulkContactsAsArrayOrNdjson() throws Exception {
    String array = "[{\"id\": \"k-1\", \"firstName\": \"A\"}, {\"firstName\": \"no id\"},"
        + " {\"id\": \"k-2\", \"stage\": \"NOT_A_STAGE\"}, {\"id\": \"k-3\", \"score\": 7}]";
    JsonNode first = body(call(HttpMethod.POST, "/api/v1/contacts/_bulk", "k-decide", MediaType.APPLICATION_JSON, array));
    String ndjson = "{\"id\": \"k-1\", \"firstName\": \"B\"}\n{\"id\": \"k-4\"}\n";
    JsonNode second = body(call(HttpMethod.POST, "/api/v1/contacts/_bulk", "k-decide",
        MediaType.parseMediaType("application/x-ndjson"), ndjson));

    assertThat(first.path("created").asInt()).isEqualTo(2);
    assertThat(first.path("failed").asInt()).isEqualTo(2);
    assertThat(first.path("errors").findValuesAsText("index")).containsExactly("1", "2");
    assertThat(second.path("created").asInt()).isEqualTo(1);
    assertThat(second.path("updated").asInt()).isEqualTo(1);
    assertThat(body(call(HttpMethod.GET, "/api/v1/contacts/k-1", "k-decide", null, null)).path("firstName").asText())
        .isEqualTo("B");
    assertThat(body(call(HttpMethod.GET, "/api/v1/contacts/k-3", "k-decide", null, null)).path("score").asInt())
        .isEqualTo(7);
  }

  @Test
  void badInputIsAProblemAndChangesNothing() throws Exception {
    assertProblem(post("/api/v1/contacts/x/events?ruleset=journey", Map.of("type", "page_visit")), 400, "bad-request");
    assertProblem(post("/api/v1/contacts/x/events?ruleset=journey", Map.of("id", "e-1")), 400, "bad-request");
    assertProblem(post("/api/v1/contacts/x/events?ruleset=nope", visit("e-1", "/")), 404, "not-found");
    assertProblem(call(HttpMethod.POST, "/api/v1/contacts/x/events?ruleset=journey", "k-decide",
        MediaType.APPLICATION_JSON, "{\"id\": \"e-1\", \"type\": \"page_visit\", \"at\": \"yesterday\"}"), 400, "bad-request");
    // Instants Java reads but the store's date fields do not hold: a 400, never a failed write.
    for (String at : List.of("+1000000000-12-31T23:59:59.999999999Z", "-1000000000-01-01T00:00:00Z",
        "+10000-01-01T00:00:00Z")) {
      assertProblem(call(HttpMethod.POST, "/api/v1/contacts/x/events?ruleset=journey", "k-decide",
          MediaType.APPLICATION_JSON, "{\"id\": \"e-1\", \"type\": \"page_visit\", \"at\": \"" + at + "\"}"),
          400, "bad-request");
    }
    assertProblem(call(HttpMethod.PUT, "/api/v1/contacts/x", "k-decide", MediaType.APPLICATION_JSON,
        "{\"birthDate\": \"+999999999-12-31\"}"), 400, "bad-request");
    assertProblem(call(HttpMethod.PUT, "/api/v1/contacts/x", "k-decide", MediaType.APPLICATION_JSON,
        "{\"id\": \"y\"}"), 400, "bad-request");
    assertProblem(call(HttpMethod.PUT, "/api/v1/contacts/x", "k-decide", MediaType.APPLICATION_JSON,
        "{\"score\": \"high\"}"), 400, "bad-request");
    assertProblem(call(HttpMethod.PUT, "/api/v1/contacts/" + "x".repeat(300), "k-decide", MediaType.APPLICATION_JSON,
        "{}"), 400, "bad-request");
    assertProblem(call(HttpMethod.GET, "/api/v1/contacts/x/events?limit=0", "k-decide", null, null), 400, "bad-request");
    assertProblem(call(HttpMethod.GET, "/api/v1/contacts/x/events?limit=501", "k-decide", null, null), 400, "bad-request");
    assertProblem(call(HttpMethod.GET, "/api/v1/contacts/x", "k-decide", null, null), 404, "not-found");
  }

  @Test
  void bulkRequestsAreBounded() throws Exception {
    List<Object> events = new ArrayList<>();
    StringBuilder contacts = new StringBuilder();
    for (int i = 0; i < 1_001; i++) {
      events.add(Map.of("contactId", "z", "id", "e" + i, "type", "page_visit"));
      contacts.append("{\"id\":\"z").append(i).append("\"}\n");
    }

    assertProblem(post("/api/v1/events/_bulk?ruleset=journey", events), 400, "bad-request");
    assertProblem(call(HttpMethod.POST, "/api/v1/contacts/_bulk", "k-decide",
        MediaType.parseMediaType("application/x-ndjson"), contacts.toString()), 400, "bad-request");
    assertProblem(call(HttpMethod.GET, "/api/v1/contacts/z", "k-decide", null, null), 404, "not-found");
  }

  @Test
  void withoutARulesetNameOneActiveRulesetIsNeeded() throws Exception {
    call(HttpMethod.PUT, "/api/v1/rulesets/other", "k-author", MediaType.TEXT_PLAIN,
        "scoring \"x\"\nthen add 1 to score\nend\n");

    assertProblem(post("/api/v1/contacts/x/events", visit("e-1", "/")), 400, "bad-request");
  }

  @Test
  void metricsAreExposedForPrometheus() throws Exception {
    post("/api/v1/contacts/m/events?ruleset=journey", visit("e-1", "/financing/leasing/x"));
    post("/api/v1/contacts/m/events?ruleset=journey", visit("e-1", "/financing/leasing/x"));

    String metrics = call(HttpMethod.GET, "/actuator/prometheus", "k-admin", null, null).getBody();

    assertThat(metrics).contains("relais_decisions_total{ruleset=\"journey\",type=\"TAG\"}")
        .contains("relais_decision_latency_seconds_bucket")
        .contains("relais_rule_fires_total{rule=\"Website visit\",ruleset=\"journey\"}")
        .contains("relais_events_total{outcome=\"replayed\"}")
        .contains("relais_events_total{outcome=\"applied\"}");
  }
}
