package io.relais.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.engine.store.ElasticsearchStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The REST API against the build's Elasticsearch node: keys, rulesets, decisions, problems. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "relais.security.api-keys[0].key=k-admin",
      "relais.security.api-keys[0].roles=admin",
      "relais.security.api-keys[0].name=ops",
      "relais.security.api-keys[1].key=k-author",
      "relais.security.api-keys[1].roles=author",
      "relais.security.api-keys[1].name=ana",
      "relais.security.api-keys[2].key=k-decide",
      "relais.security.api-keys[2].roles=decide",
      "relais.api.max-body-size=16KB",
      "relais.rulesets.max-size=6KB",
      "relais.rulesets.max-files=3",
      "relais.rules-dir=target/no-rules-here"
    })
class ApiIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-api");
  }

  @Autowired TestRestTemplate http;
  @Autowired ObjectMapper json;
  @Autowired ElasticsearchStore store;

  private static final String LEADS =
      """
      segment "Leasing pages"
      when event is page_visit and event.url matches "/financing/leasing/**"
      then tag "FINANCING_LEASING"
      end

      scoring "Website visit"
      when event is page_visit
      then add 1 to score
      end
      """;

  private ResponseEntity<String> call(HttpMethod method, String path, String key, MediaType type, String body) {
    return ApiCalls.exchange(http, method, path, key, type, body);
  }

  private JsonNode body(ResponseEntity<String> response) throws Exception {
    return json.readTree(response.getBody());
  }

  private void assertProblem(ResponseEntity<String> response, int status, String type) throws Exception {
    assertThat(response.getStatusCode().value()).isEqualTo(status);
    assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
    assertThat(body(response).path("type").asText()).isEqualTo("https://relais.dev/problems/" + type);
    assertThat(body(response).path("status").asInt()).isEqualTo(status);
  }

  @Test
  void callsWithoutAValidKeyOrRoleAreRefused() throws Exception {
    assertProblem(call(HttpMethod.GET, "/api/v1/rulesets", null, null, null), 401, "unauthorized");
    assertProblem(call(HttpMethod.GET, "/api/v1/rulesets", "k-wrong", null, null), 401, "unauthorized");
    assertProblem(call(HttpMethod.PUT, "/api/v1/rulesets/x", "k-decide", MediaType.TEXT_PLAIN, LEADS), 403, "forbidden");
    assertProblem(call(HttpMethod.POST, "/api/v1/decisions", "k-author", MediaType.APPLICATION_JSON, "{}"), 403, "forbidden");
    // A decide key neither changes nor reads rulesets.
    assertProblem(call(HttpMethod.GET, "/api/v1/rulesets", "k-decide", null, null), 403, "forbidden");
    assertThat(call(HttpMethod.GET, "/api/v1/rulesets", "k-author", null, null).getStatusCode().value()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/actuator/health", null, null, null).getStatusCode().value()).isEqualTo(200);
  }

  @Test
  void validateReportsEveryDiagnosticAndStoresNothing() throws Exception {
    String broken = "scoring \"Visit\"\nwhen contact.scroe > 1\nthen add 1 to score\nend\n\nsegment \"Oops\"\nthen add 1 to score\nend\n";

    ResponseEntity<String> response =
        call(HttpMethod.POST, "/api/v1/rulesets/validate-only/validate", "k-author", MediaType.TEXT_PLAIN, broken);

    assertThat(response.getStatusCode().value()).isEqualTo(200);
    JsonNode result = body(response);
    assertThat(result.path("valid").asBoolean()).isFalse();
    assertThat(result.path("diagnostics")).hasSize(2);
    JsonNode first = result.path("diagnostics").get(0);
    assertThat(first.path("file").asText()).isEqualTo("validate-only.rules");
    assertThat(first.path("line").asInt()).isEqualTo(2);
    assertThat(first.path("column").asInt()).isEqualTo(6);
    assertThat(first.path("suggestion").asText()).isEqualTo("contact.score");
    assertThat(call(HttpMethod.GET, "/api/v1/rulesets/validate-only", "k-author", null, null).getStatusCode().value())
        .isEqualTo(404);
  }

  @Test
  void storingActivatingAndRollingBack() throws Exception {
    ResponseEntity<String> v1 = call(HttpMethod.PUT, "/api/v1/rulesets/leads", "k-author", MediaType.TEXT_PLAIN, LEADS);
    ResponseEntity<String> invalid = call(HttpMethod.PUT, "/api/v1/rulesets/leads", "k-author",
        MediaType.APPLICATION_JSON, json.writeValueAsString(Map.of("files", Map.of("a.rules", "segment \"x\"\nthen add 1 to score\nend\n"))));
    ResponseEntity<String> v2 = call(HttpMethod.PUT, "/api/v1/rulesets/leads?activate=false", "k-author",
        MediaType.APPLICATION_JSON, json.writeValueAsString(Map.of("files", Map.of("a.rules", LEADS, "b.rules", "define HOT = 100\n"))));

    assertThat(v1.getStatusCode().value()).isEqualTo(201);
    assertThat(body(v1).path("version").asInt()).isEqualTo(1);
    assertThat(body(v1).path("active").asBoolean()).isTrue();
    assertProblem(invalid, 422, "invalid-ruleset");
    assertThat(body(invalid).path("diagnostics").get(0).path("message").asText())
        .contains("not allowed in a segment rule");
    assertThat(body(v2).path("active").asBoolean()).isFalse();
    JsonNode detail = body(call(HttpMethod.GET, "/api/v1/rulesets/leads", "k-author", null, null));
    assertThat(detail.path("activeVersion").asInt()).isEqualTo(1);
    assertThat(detail.path("versions")).hasSize(2);
    assertThat(detail.path("files").has("leads.rules")).isTrue();

    assertThat(call(HttpMethod.POST, "/api/v1/rulesets/leads/versions/2/activate", "k-author", null, null)
        .getStatusCode().value()).isEqualTo(200);
    assertThat(body(call(HttpMethod.GET, "/api/v1/rulesets/leads", "k-author", null, null)).path("activeVersion").asInt())
        .isEqualTo(2);
    assertProblem(call(HttpMethod.POST, "/api/v1/rulesets/leads/versions/9/activate", "k-author", null, null), 404, "not-found");
    assertThat(call(HttpMethod.POST, "/api/v1/rulesets/leads/versions/1/activate", "k-admin", null, null)
        .getStatusCode().value()).isEqualTo(200);
    JsonNode list = body(call(HttpMethod.GET, "/api/v1/rulesets", "k-author", null, null));
    assertThat(list.findValuesAsText("name")).contains("leads");
  }

  @Test
  void versionsRecordWhoStoredAndActivatedThemAndKeepTheirFiles() throws Exception {
    call(HttpMethod.PUT, "/api/v1/rulesets/kept", "k-author", MediaType.TEXT_PLAIN, LEADS);
    call(HttpMethod.PUT, "/api/v1/rulesets/kept?activate=false", "k-admin", MediaType.APPLICATION_JSON,
        json.writeValueAsString(Map.of("files", Map.of("kept.rules", LEADS, "more.rules", "# more to come\n"))));
    call(HttpMethod.POST, "/api/v1/rulesets/kept/versions/2/activate", "k-admin", null, null);

    JsonNode detail = body(call(HttpMethod.GET, "/api/v1/rulesets/kept", "k-author", null, null));
    // The key's configured name, never the key itself.
    assertThat(detail.path("versions").get(0).path("createdBy").asText()).isEqualTo("ana");
    assertThat(detail.path("versions").get(1).path("createdBy").asText()).isEqualTo("ops");
    assertThat(detail.path("activatedBy").asText()).isEqualTo("ops");
    assertThat(detail.path("files").path("more.rules").asText()).isEqualTo("# more to come\n");

    JsonNode first = body(call(HttpMethod.GET, "/api/v1/rulesets/kept/versions/1", "k-author", null, null));
    assertThat(first.path("files").path("kept.rules").asText()).isEqualTo(LEADS);
    assertThat(first.path("active").asBoolean()).isFalse();
    assertThat(first.path("createdBy").asText()).isEqualTo("ana");
    assertProblem(call(HttpMethod.GET, "/api/v1/rulesets/kept/versions/7", "k-author", null, null), 404, "not-found");
    assertProblem(call(HttpMethod.GET, "/api/v1/rulesets/nothing/versions/1", "k-author", null, null), 404, "not-found");
    assertProblem(call(HttpMethod.GET, "/api/v1/rulesets/kept/versions/1", "k-decide", null, null), 403, "forbidden");
  }

  @Test
  void rulesetsOverTheLimitsAreRefusedBeforeParsing() throws Exception {
    // 7 KB: under the 16 KB body limit, over the 6 KB ruleset limit.
    String big = "#" + "x".repeat(7000) + "\n";
    assertProblem(call(HttpMethod.PUT, "/api/v1/rulesets/large", "k-author", MediaType.TEXT_PLAIN, big),
        413, "ruleset-too-large");
    assertProblem(call(HttpMethod.POST, "/api/v1/rulesets/large/validate", "k-author", MediaType.TEXT_PLAIN, big),
        413, "ruleset-too-large");
    String many = json.writeValueAsString(Map.of("files",
        Map.of("a.rules", "", "b.rules", "", "c.rules", "", "d.rules", "")));
    assertProblem(call(HttpMethod.PUT, "/api/v1/rulesets/large", "k-author", MediaType.APPLICATION_JSON, many),
        413, "ruleset-too-large");
    assertProblem(call(HttpMethod.PUT, "/api/v1/rulesets/large", "k-author", MediaType.APPLICATION_JSON,
        json.writeValueAsString(Map.of("files", Map.of("notes.txt", "hello")))), 400, "bad-request");
    assertProblem(call(HttpMethod.GET, "/api/v1/rulesets/large", "k-author", null, null), 404, "not-found");
  }

  /** As with a posted event, the event of a decision happens at the decision's now unless it says when. */
  @Test
  void anEventOfADecisionWithoutATimeHappensNowAndOneWithoutATypeIsA400() throws Exception {
    call(HttpMethod.PUT, "/api/v1/rulesets/event-now", "k-author", MediaType.TEXT_PLAIN, LEADS);
    Map<String, Object> contact = Map.of("id", "c-1", "score", 99, "tags", Map.of("FINANCING_LEASING", 2));
    String request = json.writeValueAsString(Map.of("ruleset", "event-now", "now", "2026-11-22T10:00:00Z",
        "contact", contact, "event", Map.of("type", "page_visit", "attributes", Map.of("url", "/financing/leasing/offers"))));

    ResponseEntity<String> response = call(HttpMethod.POST, "/api/v1/decisions", "k-decide", MediaType.APPLICATION_JSON, request);

    assertThat(response.getStatusCode().value()).isEqualTo(200);
    assertThat(body(response).path("decisions").get(0).path("type").asText()).isEqualTo("TAG");

    ResponseEntity<String> untyped = call(HttpMethod.POST, "/api/v1/decisions", "k-decide", MediaType.APPLICATION_JSON,
        json.writeValueAsString(Map.of("ruleset", "event-now", "contact", contact, "event", Map.of("id", "e-1"))));
    assertProblem(untyped, 400, "bad-request");
    assertThat(body(untyped).path("detail").asText()).contains("\"type\"");

    ResponseEntity<String> farAway = call(HttpMethod.POST, "/api/v1/decisions", "k-decide", MediaType.APPLICATION_JSON,
        json.writeValueAsString(Map.of("ruleset", "event-now", "contact", contact,
            "event", Map.of("type", "page_visit", "at", "+999999999-12-31T23:59:59Z"))));
    assertProblem(farAway, 400, "bad-request");
  }

  @Test
  void decidesForAnInlineContactWithoutStoringAnything() throws Exception {
    call(HttpMethod.PUT, "/api/v1/rulesets/inline-leads", "k-author", MediaType.TEXT_PLAIN, LEADS);
    String request = json.writeValueAsString(Map.of(
        "ruleset", "inline-leads",
        "now", "2026-11-22T10:00:00Z",
        "contact", Map.of("id", "c-1", "firstName", "Jean", "score", 99, "stage", "MQL",
            "tags", Map.of("FINANCING_LEASING", 2), "consent", Map.of("email", true)),
        "event", Map.of("id", "e-9", "type", "page_visit", "at", "2026-11-22T10:00:00Z",
            "attributes", Map.of("url", "/financing/leasing/offers")),
        "history", List.of()));

    ResponseEntity<String> response = call(HttpMethod.POST, "/api/v1/decisions", "k-decide", MediaType.APPLICATION_JSON, request);

    assertThat(response.getStatusCode().value()).isEqualTo(200);
    JsonNode decision = body(response);
    assertThat(decision.path("contactId").asText()).isEqualTo("c-1");
    assertThat(decision.path("ruleset").asText()).isEqualTo("inline-leads");
    assertThat(decision.path("version").asInt()).isEqualTo(1);
    assertThat(decision.path("decisions").get(0).path("type").asText()).isEqualTo("TAG");
    assertThat(decision.path("decisions").get(0).path("count").asInt()).isEqualTo(3);
    assertThat(decision.path("decisions").get(0).path("source").asText()).isEqualTo("inline-leads.rules:1");
    assertThat(decision.path("decisions").get(1).path("score").asInt()).isEqualTo(100);
    assertThat(decision.path("contact").path("score").asInt()).isEqualTo(100);
    assertThat(decision.path("trace")).hasSize(2);
    assertThat(decision.has("resultingContact")).isFalse();
  }

  private static final String FIT_RULES = """
      attribute contact.industry : text

      table "Fit grid" from "fit-grid.dmn"
        input "Industry" = contact.industry
        input "Employees" = contact.companySize
      end

      scoring "Company fit"
      when decision "Grade" of "Fit grid" in ["A", "B"]
      then add decision "Fit points" of "Fit grid" to score
      end
      """;

  private static String fitGrid() throws java.io.IOException {
    return java.nio.file.Files.readString(
        java.nio.file.Path.of("..", "rules", "b2b-qualification", "fit-grid.dmn"));
  }

  @Test
  void aRulesetWithADecisionTableIsStoredCheckedAndDecides() throws Exception {
    String grid = fitGrid();
    String rules = FIT_RULES;
    String overlapping = grid.replace("<inputEntry id=\"fp_3b\"><text>&lt; 20</text>",
        "<inputEntry id=\"fp_3b\"><text>&lt;= 20</text>");

    ResponseEntity<String> stored = call(HttpMethod.PUT, "/api/v1/rulesets/fit", "k-author",
        MediaType.APPLICATION_JSON,
        json.writeValueAsString(Map.of("files", Map.of("fit.rules", rules, "fit-grid.dmn", grid))));
    JsonNode invalid = body(call(HttpMethod.POST, "/api/v1/rulesets/fit/validate", "k-author",
        MediaType.APPLICATION_JSON,
        json.writeValueAsString(Map.of("files", Map.of("fit.rules", rules, "fit-grid.dmn", overlapping)))));
    String request = json.writeValueAsString(Map.of("ruleset", "fit", "now", "2026-11-22T10:00:00Z",
        "contact", Map.of("id", "c-1", "companySize", 50, "attributes", Map.of("industry", "software")),
        "history", List.of()));
    JsonNode decision = body(call(HttpMethod.POST, "/api/v1/decisions", "k-decide", MediaType.APPLICATION_JSON, request));

    assertThat(stored.getStatusCode().value()).isEqualTo(201);
    assertThat(body(call(HttpMethod.GET, "/api/v1/rulesets/fit", "k-author", null, null))
        .path("files").has("fit-grid.dmn")).isTrue();
    assertThat(invalid.path("valid").asBoolean()).isFalse();
    assertThat(invalid.path("diagnostics").findValuesAsText("code")).contains("dmn-overlap");
    assertThat(invalid.path("diagnostics").get(0).path("file").asText()).isEqualTo("fit-grid.dmn");
    assertThat(decision.path("decisions").get(0).path("delta").asInt()).isEqualTo(20);
    assertThat(decision.path("trace").get(0).path("why").asText()).contains("(row 1)");
    assertProblem(call(HttpMethod.PUT, "/api/v1/rulesets/fit", "k-author", MediaType.APPLICATION_JSON,
        json.writeValueAsString(Map.of("files", Map.of("fit.txt", rules)))), 400, "bad-request");
  }

  /**
   * An author's DMN file never makes the service open a connection or run Java (docs/language.md,
   * "Decision tables (DMN)"): a DTD at a URL that never answers is refused at once, unfetched,
   * while another DMN upload completes; an external function is refused at upload.
   */
  @Test
  void aDmnFileNeitherFetchesNorRunsAnythingAndHoldsUpNoOtherUpload() throws Exception {
    java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> hits.incrementAndGet()); // counts, never answers
    server.start();
    java.util.concurrent.ExecutorService uploads = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      String dtd = fitGrid().replaceFirst("\n", "\n<!DOCTYPE definitions SYSTEM \"http://127.0.0.1:"
          + server.getAddress().getPort() + "/x.dtd\">\n");
      String other = fitGrid().replaceFirst("\n", "\n<!-- another upload -->\n");
      var refused = uploads.submit(() -> call(HttpMethod.POST, "/api/v1/rulesets/probe/validate", "k-author",
          MediaType.APPLICATION_JSON, json.writeValueAsString(
              Map.of("files", Map.of("fit.rules", FIT_RULES, "fit-grid.dmn", dtd)))));
      var stored = uploads.submit(() -> call(HttpMethod.PUT, "/api/v1/rulesets/fit-other", "k-author",
          MediaType.APPLICATION_JSON, json.writeValueAsString(
              Map.of("files", Map.of("fit.rules", FIT_RULES, "fit-grid.dmn", other)))));

      // Deadlines, not measures: before, the validation waited on the server forever, holding a
      // lock every other DMN upload waited for.
      JsonNode validation = body(refused.get(60, java.util.concurrent.TimeUnit.SECONDS));
      assertThat(stored.get(60, java.util.concurrent.TimeUnit.SECONDS).getStatusCode().value()).isEqualTo(201);
      assertThat(validation.path("valid").asBoolean()).isFalse();
      assertThat(validation.path("diagnostics")).filteredOn(d -> d.path("code").asText()
          .equals("dmn-external-resource")).singleElement().satisfies(d -> {
            assertThat(d.path("file").asText()).isEqualTo("fit-grid.dmn");
            assertThat(d.path("line").asInt()).isEqualTo(2);
          });
      assertThat(hits).hasValue(0);

      String java = fitGrid().replace("<text>\"A\"</text>", "<text>{f: function(k) external {java: {class:"
          + " \"java.lang.System\", method signature: \"getenv(java.lang.String)\"}}, r: f(\"PATH\")}.r</text>");
      assertThat(java).isNotEqualTo(fitGrid());
      ResponseEntity<String> upload = call(HttpMethod.PUT, "/api/v1/rulesets/probe", "k-author",
          MediaType.APPLICATION_JSON, json.writeValueAsString(
              Map.of("files", Map.of("fit.rules", FIT_RULES, "fit-grid.dmn", java))));
      assertProblem(upload, 422, "invalid-ruleset");
      assertThat(body(upload).path("diagnostics").findValuesAsText("code")).contains("dmn-external-function");
    } finally {
      uploads.shutdownNow();
      server.stop(0);
    }
  }

  @Test
  void dataOfTheWrongTypeIsAWarningNeverAnError() throws Exception {
    call(HttpMethod.PUT, "/api/v1/rulesets/wrong-types", "k-author", MediaType.TEXT_PLAIN, """
        scoring "Mid-size"
        when contact.companySize between 10 and 500
        then add 1 to score
        end

        scoring "Buyer"
        when event is purchase and event.amount > 10
        then add 1 to score
        end
        """);
    String request = json.writeValueAsString(Map.of(
        "ruleset", "wrong-types",
        "now", "2026-11-22T10:00:00Z",
        "contact", Map.of("id", "c-1", "companySize", "12", "birthDate", "garbage",
            "score", "x", "consent", Map.of("email", "yes")),
        "event", Map.of("id", "e-1", "type", "purchase", "at", "2026-11-22T10:00:00Z",
            "attributes", Map.of("amount", "12"))));

    ResponseEntity<String> response =
        call(HttpMethod.POST, "/api/v1/decisions", "k-decide", MediaType.APPLICATION_JSON, request);

    assertThat(response.getStatusCode().value()).isEqualTo(200);
    JsonNode decision = body(response);
    assertThat(decision.path("contact").path("score").asInt()).isEqualTo(2);
    assertThat(decision.path("warnings").toString())
        .contains("contact.birthDate is \\\"garbage\\\"")
        .contains("contact.score is \\\"x\\\"")
        .contains("contact.consent.email is \\\"yes\\\"");
  }

  @Test
  void decidesForAStoredContact() throws Exception {
    call(HttpMethod.PUT, "/api/v1/rulesets/stored-leads", "k-author", MediaType.TEXT_PLAIN, LEADS);
    call(HttpMethod.PUT, "/api/v1/contacts/c-77", "k-decide", MediaType.APPLICATION_JSON,
        json.writeValueAsString(Map.of("score", 5, "tags", Map.of("FINANCING_LEASING", 1))));
    String request = json.writeValueAsString(Map.of("ruleset", "stored-leads", "contactId", "c-77",
        "event", Map.of("type", "page_visit", "at", "2026-11-22T10:00:00Z", "attributes", Map.of("url", "/financing/leasing/x"))));

    JsonNode decision = body(call(HttpMethod.POST, "/api/v1/decisions", "k-decide", MediaType.APPLICATION_JSON, request));

    assertThat(decision.path("contact").path("tags").path("FINANCING_LEASING").asInt()).isEqualTo(2);
    assertThat(decision.path("contact").path("score").asInt()).isEqualTo(6);
    assertProblem(call(HttpMethod.POST, "/api/v1/decisions", "k-decide", MediaType.APPLICATION_JSON,
        request.replace("c-77", "c-unknown")), 404, "not-found");
    assertProblem(call(HttpMethod.POST, "/api/v1/decisions", "k-decide", MediaType.APPLICATION_JSON,
        request.replace("stored-leads", "no-such-ruleset")), 404, "not-found");
  }

  @Test
  void aRuleNameThatLooksLikeCodeIsJustAName() throws Exception {
    String rules = "segment \"\\\") then System.exit(1); end rule \\\"x\"\nthen tag \"ÉTÉ ✓\"\nend\n";
    assertThat(call(HttpMethod.PUT, "/api/v1/rulesets/injection", "k-author", MediaType.TEXT_PLAIN, rules)
        .getStatusCode().value()).isEqualTo(201);
    String request = json.writeValueAsString(Map.of("ruleset", "injection", "contact", Map.of("id", "c-1")));

    JsonNode decision = body(call(HttpMethod.POST, "/api/v1/decisions", "k-decide", MediaType.APPLICATION_JSON, request));

    assertThat(decision.path("decisions").get(0).path("rule").asText())
        .isEqualTo("\") then System.exit(1); end rule \"x");
    assertThat(decision.path("decisions").get(0).path("tag").asText()).isEqualTo("ÉTÉ ✓");
  }

  @Test
  void badRequestsGetProblemDetails() throws Exception {
    assertProblem(call(HttpMethod.POST, "/api/v1/decisions", "k-decide", MediaType.APPLICATION_JSON, "{not json"), 400, "bad-request");
    assertProblem(call(HttpMethod.POST, "/api/v1/decisions", "k-decide", MediaType.APPLICATION_JSON, "{\"ruleset\": \"x\"}"), 400, "bad-request");
    assertProblem(call(HttpMethod.PUT, "/api/v1/rulesets/x", "k-author", MediaType.APPLICATION_XML, "<x/>"), 415, "unsupported-media-type");
    assertProblem(call(HttpMethod.DELETE, "/api/v1/rulesets", "k-admin", null, null), 405, "method-not-allowed");
    assertProblem(call(HttpMethod.GET, "/api/v1/no-such-thing", "k-admin", null, null), 404, "not-found");
    assertProblem(call(HttpMethod.PUT, "/api/v1/rulesets/bad%20name", "k-author", MediaType.TEXT_PLAIN, LEADS), 400, "bad-request");
    assertProblem(call(HttpMethod.PUT, "/api/v1/rulesets/big", "k-author", MediaType.TEXT_PLAIN,
        "# " + "x".repeat(17000) + "\n"), 413, "payload-too-large");
  }
}
