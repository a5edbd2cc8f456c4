package io.relais.api.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.EventLog;
import io.relais.engine.store.PendingEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Answers sized to the question, against the build's node (docs/api.md, "The trace"): on a
 * ruleset of 2,101 rules of which four fire, every call that answers a decision carries the
 * fired rules by default, every reachable rule with {@code trace=all}, no trace with
 * {@code none}; recorded decisions keep the fired rules only; templates are cut at the configured
 * {@code relais.templates.max-length}.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "relais.security.api-keys[0].key=k-author",
      "relais.security.api-keys[0].roles=author",
      "relais.security.api-keys[1].key=k-decide",
      "relais.security.api-keys[1].roles=decide",
      "relais.rules-dir=target/no-rules-here",
      "relais.templates.max-length=1000"
    })
class TraceApiIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-trace");
  }

  /** Rules guarded by {@code event is page_visit}; the four of {@code /page/7} fire on it. */
  private static final int PAGE_RULES = 2_000;
  private static final List<String> FIRED = List.of("Page 7", "Page 507", "Page 1007", "Page 1507");

  @Autowired TestRestTemplate http;
  @Autowired ObjectMapper json;
  @Autowired ContactStore contacts;
  @Autowired EventLog events;

  /** 2,101 rules: page rules, 100 purchase rules a page visit cannot reach, and "Hot". */
  private static String manyRules() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < PAGE_RULES; i++) {
      text.append("scoring \"Page ").append(i).append("\"\nwhen event is page_visit and event.url = \"/page/")
          .append(i % 500).append("\"\nthen add 1 to score\nend\n\n");
    }
    for (int i = 0; i < 100; i++) {
      text.append("loyalty \"Purchase ").append(i).append("\"\nwhen event is purchase and event.amount > ")
          .append(i).append("\nthen award 1 points\nend\n\n");
    }
    return text.append("segment \"Hot\"\nwhen contact.score >= 1000\nthen tag \"HOT\"\nend\n").toString();
  }

  @BeforeEach
  void rulesets() {
    // Stored once: the same files again are not a new version.
    if (http.exchange("/api/v1/rulesets/many", HttpMethod.GET, new HttpEntity<>(headers("k-author", null)),
        String.class).getStatusCode().value() == 404) {
      assertThat(call(HttpMethod.PUT, "/api/v1/rulesets/many", "k-author", MediaType.TEXT_PLAIN, manyRules())
          .getStatusCode().value()).isEqualTo(201);
    }
  }

  private static HttpHeaders headers(String key, MediaType type) {
    HttpHeaders headers = new HttpHeaders();
    headers.set("X-API-Key", key);
    if (type != null) {
      headers.setContentType(type);
    }
    return headers;
  }

  private ResponseEntity<String> call(HttpMethod method, String path, String key, MediaType type, String body) {
    return http.exchange(path, method, new HttpEntity<>(body, headers(key, type)), String.class);
  }

  private ResponseEntity<String> post(String path, Object body) throws Exception {
    return call(HttpMethod.POST, path, "k-decide", MediaType.APPLICATION_JSON, json.writeValueAsString(body));
  }

  private JsonNode ok(ResponseEntity<String> response) throws Exception {
    assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
    return json.readTree(response.getBody());
  }

  private void assertBadRequest(ResponseEntity<String> response) throws Exception {
    assertThat(response.getStatusCode().value()).isEqualTo(400);
    assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
    JsonNode problem = json.readTree(response.getBody());
    assertThat(problem.path("type").asText()).isEqualTo("https://relais.dev/problems/bad-request");
    assertThat(problem.path("detail").asText()).contains("trace");
  }

  /** The rules of a trace, a rule that did not fire as "rule (not fired)". */
  private static List<String> traced(JsonNode decision) {
    assertThat(decision.has("trace")).as("a trace in " + decision).isTrue();
    List<String> rules = new ArrayList<>();
    decision.path("trace").forEach(t -> rules.add(t.path("rule").asText()
        + (t.path("fired").asBoolean() ? "" : " (not fired)")));
    return rules;
  }

  private static List<String> traced(Map<String, Object> decision) {
    List<String> rules = new ArrayList<>();
    ((List<?>) decision.get("trace")).forEach(t -> rules.add(((Map<?, ?>) t).get("rule")
        + (Boolean.TRUE.equals(((Map<?, ?>) t).get("fired")) ? "" : " (not fired)")));
    return rules;
  }

  private static Map<String, Object> decisionOn(String url, Object trace) {
    Map<String, Object> request = new java.util.LinkedHashMap<>();
    request.put("ruleset", "many");
    request.put("contact", Map.of("id", "c-1"));
    request.put("event", Map.of("type", "page_visit", "attributes", Map.of("url", url)));
    if (trace != null) {
      request.put("trace", trace);
    }
    return request;
  }

  private static Map<String, Object> visit(String id) {
    return Map.of("id", id, "type", "page_visit", "at", Instant.now().toString(),
        "attributes", Map.of("url", "/page/7"));
  }

  @Test
  void aDecisionCarriesTheFiredRulesByDefaultEveryReachableRuleOnRequestOrNoTrace() throws Exception {
    ResponseEntity<String> byDefault = post("/api/v1/decisions", decisionOn("/page/7", null));
    JsonNode fired = ok(byDefault);
    JsonNode explicit = ok(post("/api/v1/decisions?trace=fired", decisionOn("/page/7", null)));
    JsonNode inBody = ok(post("/api/v1/decisions", decisionOn("/page/7", "all")));
    JsonNode inQuery = ok(post("/api/v1/decisions?trace=all", decisionOn("/page/7", null)));
    JsonNode none = ok(post("/api/v1/decisions?trace=none", decisionOn("/page/7", null)));
    JsonNode noneInBody = ok(post("/api/v1/decisions", decisionOn("/page/7", "none")));
    JsonNode nothingFired = ok(post("/api/v1/decisions", decisionOn("/nowhere", null)));

    assertThat(traced(fired)).isEqualTo(FIRED);
    assertThat(fired.path("trace").get(0).path("why").asText())
        .isEqualTo("event is page_visit = page_visit; event.url = \"/page/7\" = \"/page/7\"");
    assertThat(traced(explicit)).isEqualTo(FIRED);
    // No answer grows with the rules that did not fire: 2,097 of them here.
    assertThat(byDefault.getBody().length()).isLessThan(2_000);
    assertThat(traced(nothingFired)).isEmpty();
    // Every rule a page visit could reach (no purchase rule), with the comparison that was false.
    assertThat(traced(inBody)).hasSize(PAGE_RULES + 1).contains("Page 3 (not fired)", "Hot (not fired)")
        .containsAll(FIRED).noneMatch(rule -> rule.startsWith("Purchase"));
    JsonNode page3 = null;
    for (JsonNode entry : inBody.path("trace")) {
      page3 = entry.path("rule").asText().equals("Page 3") ? entry : page3;
    }
    assertThat(page3.path("why").asText()).endsWith("event.url = \"/page/7\" = \"/page/3\"");
    assertThat(inQuery.path("trace")).isEqualTo(inBody.path("trace"));
    assertThat(none.has("trace")).isFalse();
    assertThat(none.path("decisions")).isEqualTo(fired.path("decisions"));
    assertThat(noneInBody.has("trace")).isFalse();
  }

  @Test
  void anUnknownTraceIsABadRequestOnEveryCallThatAnswersADecision() throws Exception {
    assertBadRequest(post("/api/v1/decisions?trace=everything", decisionOn("/page/7", null)));
    assertBadRequest(post("/api/v1/decisions?trace=ALL", decisionOn("/page/7", null)));
    assertBadRequest(post("/api/v1/decisions", decisionOn("/page/7", "x".repeat(5_000))));
    assertBadRequest(post("/api/v1/decisions?trace=none", decisionOn("/page/7", "all")));
    assertBadRequest(post("/api/v1/contacts/bad-1/events?ruleset=many&trace=", visit("e-1")));
    assertBadRequest(post("/api/v1/events/_bulk?ruleset=many&trace=some",
        List.of(Map.of("contactId", "bad-2", "id", "e-1", "type", "page_visit"))));

    // Refused before anything was recorded.
    assertThat(contacts.read("bad-1")).isEmpty();
    assertThat(contacts.read("bad-2")).isEmpty();
  }

  @Test
  void eventsAnswerTheTraceAskedForAndRecordTheFiredRulesOnly() throws Exception {
    JsonNode byDefault = ok(post("/api/v1/contacts/t-1/events?ruleset=many", visit("e-1")));
    JsonNode all = ok(post("/api/v1/contacts/t-1/events?ruleset=many&trace=all", visit("e-2")));
    JsonNode none = ok(post("/api/v1/contacts/t-1/events?ruleset=many&trace=none", visit("e-3")));
    JsonNode replayAll = ok(post("/api/v1/contacts/t-1/events?ruleset=many&trace=all", visit("e-2")));
    JsonNode replayNone = ok(post("/api/v1/contacts/t-1/events?ruleset=many&trace=none", visit("e-1")));

    assertThat(traced(byDefault)).isEqualTo(FIRED);
    assertThat(traced(all)).hasSize(PAGE_RULES + 1).containsAll(FIRED);
    assertThat(none.has("trace")).isFalse();
    assertThat(none.path("replayed").asBoolean()).isFalse();
    // A replay answers the decision recorded: the fired rules' trace, or none.
    assertThat(replayAll.path("replayed").asBoolean()).isTrue();
    assertThat(traced(replayAll)).isEqualTo(FIRED);
    assertThat(replayNone.path("replayed").asBoolean()).isTrue();
    assertThat(replayNone.has("trace")).isFalse();

    // Recorded with the fired rules only, whatever the answer carried: the outbox entries and
    // the event documents (written after the answer).
    List<PendingEvent> outbox = contacts.read("t-1").orElseThrow().outbox();
    assertThat(outbox).extracting(PendingEvent::eventId).containsExactly("e-1", "e-2", "e-3");
    assertThat(outbox).allSatisfy(entry -> assertThat(traced(entry.decision().map())).isEqualTo(FIRED));
    for (String id : List.of("e-1", "e-2", "e-3")) {
      assertThat(traced(document("t-1", id).decision().map())).as(id).isEqualTo(FIRED);
    }
  }

  @Test
  void bulkEventsAnswerTheTraceAskedForAndRecordTheFiredRulesOnly() throws Exception {
    List<Map<String, Object>> two = List.of(
        Map.of("contactId", "b-1", "id", "e-1", "type", "page_visit", "attributes", Map.of("url", "/page/7")),
        Map.of("contactId", "b-2", "id", "e-1", "type", "page_visit", "attributes", Map.of("url", "/page/7")));

    JsonNode all = ok(post("/api/v1/events/_bulk?ruleset=many&trace=all", two));
    JsonNode byDefault = ok(post("/api/v1/events/_bulk?ruleset=many", List.of(
        Map.of("contactId", "b-3", "id", "e-1", "type", "page_visit", "attributes", Map.of("url", "/page/7")))));
    JsonNode none = ok(post("/api/v1/events/_bulk?ruleset=many&trace=none", List.of(
        Map.of("contactId", "b-4", "id", "e-1", "type", "page_visit", "attributes", Map.of("url", "/page/7")))));

    assertThat(all.path("applied").asInt()).isEqualTo(2);
    assertThat(traced(all.path("items").get(0).path("decision"))).hasSize(PAGE_RULES + 1);
    assertThat(traced(all.path("items").get(1).path("decision"))).hasSize(PAGE_RULES + 1);
    assertThat(traced(byDefault.path("items").get(0).path("decision"))).isEqualTo(FIRED);
    assertThat(none.path("items").get(0).path("decision").has("trace")).isFalse();
    for (String contact : List.of("b-1", "b-2", "b-3", "b-4")) {
      assertThat(traced(contacts.read(contact).orElseThrow().outbox().get(0).decision().map()))
          .as(contact).isEqualTo(FIRED);
      assertThat(traced(document(contact, "e-1").decision().map())).as(contact).isEqualTo(FIRED);
    }
  }

  @Test
  void aLongTemplateIsCutAtTheConfiguredLengthWithAWarning() throws Exception {
    String rules = "alert \"Long\"\nwhen event is page_visit\nthen notify \"sales@acme.fr\" with \""
        + "{{event.url}}".repeat(10_000) + "\"\nend\n";
    assertThat(call(HttpMethod.PUT, "/api/v1/rulesets/long", "k-author", MediaType.TEXT_PLAIN, rules)
        .getStatusCode().value()).isEqualTo(201);
    Map<String, Object> request = Map.of("ruleset", "long", "contact", Map.of("id", "c-1"),
        "event", Map.of("type", "page_visit", "attributes", Map.of("url", "/" + "u".repeat(90_000))));

    ResponseEntity<String> response = post("/api/v1/decisions", request);
    JsonNode decision = ok(response);

    assertThat(decision.path("decisions").get(0).path("type").asText()).isEqualTo("ALERT");
    assertThat(decision.path("decisions").get(0).path("message").asText()).hasSize(1000).startsWith("/uuu");
    assertThat(decision.path("warnings").get(0).asText())
        .isEqualTo("long.rules:1: rule \"Long\": template-truncated: the message was cut to its first 1000 characters");
    assertThat(response.getBody().length()).isLessThan(2_000);
  }

  /** The event's document, once written (the answer does not wait for it). */
  private PendingEvent document(String contactId, String eventId) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (true) {
      Optional<PendingEvent> found = events.find(contactId, eventId);
      if (found.isPresent()) {
        return found.get();
      }
      assertThat(Instant.now()).as("the document of " + eventId + " written").isBefore(deadline);
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // a polling interval, not a wait for an outcome
    }
  }
}
