package io.relais.api.audiences;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
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
 * Audiences, leads, funnel and batch runs over HTTP against the build's Elasticsearch node. The
 * tests share the store's contacts: they run in order, the one that counts exactly first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@AutoConfigureObservability
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "relais.security.api-keys[0].key=k-admin",
      "relais.security.api-keys[0].roles=admin",
      "relais.rules-dir=target/no-rules-here",
      "relais.batch.lease=5s",
      "relais.batch.poll=200ms",
      "relais.audiences.max-residual-scan=10"
    })
class AudiencesApiIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-audiences");
  }

  private static final String RULES = """
      scoring "Daily point"
      when event is daily
      then add 1 to score
      end
      """;

  @Autowired TestRestTemplate http;
  @Autowired ObjectMapper json;

  private ResponseEntity<String> call(HttpMethod method, String path, MediaType type, String body,
      Object... uriVariables) {
    HttpHeaders headers = new HttpHeaders();
    headers.set("X-API-Key", "k-admin");
    if (type != null) {
      headers.setContentType(type);
    }
    return http.exchange(path, method, new HttpEntity<>(body, headers), String.class, uriVariables);
  }

  private JsonNode post(String path, Object body, int status) throws Exception {
    ResponseEntity<String> response = call(HttpMethod.POST, path, MediaType.APPLICATION_JSON,
        json.writeValueAsString(body));
    assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(status);
    return json.readTree(response.getBody());
  }

  private JsonNode get(String path, Object... uriVariables) throws Exception {
    ResponseEntity<String> response = call(HttpMethod.GET, path, null, null, uriVariables);
    assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
    return json.readTree(response.getBody());
  }

  @Test
  @Order(1)
  void countLeadsFunnelAndADailyRun() throws Exception {
    call(HttpMethod.PUT, "/api/v1/rulesets/daily", MediaType.TEXT_PLAIN, RULES);
    List<Map<String, Object>> contacts = List.of(
        Map.of("id", "a", "score", 80, "stage", "MQL", "tags", Map.of("X", 2)),
        Map.of("id", "b", "score", 40, "stage", "MQL"),
        Map.of("id", "c", "score", 95, "stage", "CUSTOMER"),
        Map.of("id", "d", "score", 10, "stage", "DISQUALIFIED"));
    post("/api/v1/contacts/_bulk", contacts, 200);
    call(HttpMethod.POST, "/api/v1/audiences/count", MediaType.APPLICATION_JSON, "{}"); // warm up
    awaitCount("{\"ruleset\": \"daily\", \"condition\": \"contact.score >= 0\"}", 4);

    assertThat(post("/api/v1/audiences/count",
        Map.of("ruleset", "daily", "condition", "contact.score >= 50 and has tag \"X\""), 200).path("count").asLong())
        .isEqualTo(1);
    assertThat(post("/api/v1/audiences/count",
        Map.of("ruleset", "daily", "condition", "contact.stage >= MQL"), 200).path("count").asLong()).isEqualTo(3);

    JsonNode refused = post("/api/v1/audiences/count",
        Map.of("ruleset", "daily", "condition", "contact.score > 5 and count(page_visit) > 2"), 422);
    assertThat(refused.path("type").asText()).endsWith("/not-pushable");
    assertThat(refused.path("part").asText()).isEqualTo("count(page_visit)");
    assertThat(refused.path("column").asInt()).isEqualTo(23);
    JsonNode invalid = post("/api/v1/audiences/count", Map.of("ruleset", "daily", "condition", "contact.scroe > 5"), 422);
    assertThat(invalid.path("type").asText()).endsWith("/invalid-condition");
    assertThat(invalid.path("diagnostics").get(0).path("suggestion").asText()).isEqualTo("contact.score");

    JsonNode leads = get("/api/v1/leads?stage=MQL&limit=10");
    assertThat(leads.path("leads").findValuesAsText("id")).containsExactly("a", "b");
    JsonNode funnel = get("/api/v1/funnel");
    assertThat(funnel.path("total").asLong()).isEqualTo(4);
    assertThat(funnel.path("disqualified").asLong()).isEqualTo(1);
    assertThat(funnel.path("stages").get(2).path("atOrBeyond").asLong()).isEqualTo(3);
    assertThat(funnel.path("stages").get(2).path("conversionToNext").decimalValue()).isEqualByComparingTo("0.3333");

    JsonNode run = post("/api/v1/batch-runs", Map.of("ruleset", "daily", "filter", "contact.stage >= MQL"), 202);
    assertThat(run.path("total").asLong()).isEqualTo(3);
    JsonNode status = awaitRun(run.path("id").asText());
    assertThat(status.path("applied").asLong()).isEqualTo(3);
    assertThat(status.path("decisions").path("SCORE").asLong()).isEqualTo(3);
    assertThat(get("/api/v1/contacts/a").path("score").asInt()).isEqualTo(81);
    assertThat(get("/api/v1/contacts/d").path("score").asInt()).isEqualTo(10);
    assertThat(call(HttpMethod.GET, "/api/v1/batch-runs/nope", null, null).getStatusCode().value()).isEqualTo(404);
  }

  /** The sample rulesets of rules/, as PUT bodies: {"files": {name: text}}. */
  private static Map<String, Map<String, Object>> samples() throws IOException {
    Map<String, Map<String, Object>> samples = new LinkedHashMap<>();
    try (Stream<Path> folders = Files.list(Path.of("..", "rules"))) {
      for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(folder)) {
          for (Path file : list.sorted().toList()) {
            String name = file.getFileName().toString();
            if (name.endsWith(".rules") || name.endsWith(".dmn")) {
              files.put(name, Files.readString(file));
            }
          }
        }
        // Only folders of rulesets: the rules module's own src/ and target/ hold none.
        if (files.keySet().stream().anyMatch(name -> name.endsWith(".rules"))) {
          samples.put(folder.getFileName().toString(), Map.of("files", files));
        }
      }
    }
    return samples;
  }

  /**
   * Conditions are checked with every file of their ruleset, DMN files included: counts, leads,
   * funnel and batch filters work on each sample ruleset (acme-auto and b2b-qualification keep
   * DMN files). After the daily run: it adds contacts and its batch runs apply rules.
   */
  @Test
  @Order(2)
  void everySampleRulesetTakesConditionsDmnFilesOrNot() throws Exception {
    Map<String, Map<String, Object>> samples = samples();
    assertThat(samples).hasSizeGreaterThanOrEqualTo(4);
    assertThat(samples.values()).filteredOn(s -> ((Map<?, ?>) s.get("files")).keySet().stream()
        .anyMatch(f -> f.toString().endsWith(".dmn"))).isNotEmpty();
    for (Map.Entry<String, Map<String, Object>> sample : samples.entrySet()) {
      assertThat(call(HttpMethod.PUT, "/api/v1/rulesets/" + sample.getKey(), MediaType.APPLICATION_JSON,
          json.writeValueAsString(sample.getValue())).getStatusCode().value()).as(sample.getKey()).isEqualTo(201);
    }
    post("/api/v1/contacts/_bulk", List.of(
        Map.of("id", "s1", "company", "Samples Ltd", "score", 60, "stage", "MQL"),
        Map.of("id", "s2", "company", "Samples Ltd", "score", 70, "stage", "SQL")), 200);
    String samplesOnly = "contact.company = \"Samples Ltd\"";
    awaitCount(json.writeValueAsString(Map.of("ruleset", samples.keySet().iterator().next(),
        "condition", samplesOnly)), 2);

    for (String ruleset : samples.keySet()) {
      // The request: it answered 422 unknown-dmn-file for acme-auto.
      post("/api/v1/audiences/count", Map.of("ruleset", ruleset, "condition", "contact.score >= 50"), 200);
      assertThat(post("/api/v1/audiences/count", Map.of("ruleset", ruleset, "condition", samplesOnly), 200)
          .path("count").asLong()).as(ruleset).isEqualTo(2);
      assertThat(get("/api/v1/leads?ruleset={r}&condition={c}&limit=10", ruleset, samplesOnly)
          .path("leads").findValuesAsText("id")).as(ruleset).containsExactlyInAnyOrder("s1", "s2");
      assertThat(get("/api/v1/funnel?ruleset={r}&condition={c}", ruleset, samplesOnly)
          .path("total").asLong()).as(ruleset).isEqualTo(2);
      JsonNode run = post("/api/v1/batch-runs", Map.of("ruleset", ruleset, "filter", samplesOnly), 202);
      assertThat(run.path("total").asLong()).as(ruleset).isEqualTo(2);
      assertThat(awaitRun(run.path("id").asText()).path("errors").asLong()).as(ruleset).isZero();
    }
  }

  /**
   * Fields compared with fields: counted and filtered by a residual scan of the candidates the
   * store selects, within relais.audiences.max-residual-scan (10 here; 12 contacts are stored).
   */
  @Test
  @Order(3)
  void fieldsComparedWithFieldsAreCountedAndFilterARunWithinTheScanCap() throws Exception {
    post("/api/v1/contacts/_bulk", List.of(
        Map.of("id", "p1", "score", 50, "companySize", 10, "stage", "MQL"),
        Map.of("id", "p2", "score", 5, "companySize", 10),
        Map.of("id", "p3", "score", 30, "companySize", 30),
        Map.of("id", "p4", "score", 80, "companySize", 20, "stage", "SQL"),
        Map.of("id", "p5", "score", 60, "companySize", 100),
        Map.of("id", "p6", "score", 90, "companySize", 1)), 200);
    String larger = "contact.score > contact.companySize";
    awaitCount(json.writeValueAsString(Map.of("ruleset", "daily", "condition", "contact.companySize >= 0")), 6);
    assertThat(post("/api/v1/audiences/count", Map.of("ruleset", "daily", "condition", larger), 200)
        .path("count").asLong()).isEqualTo(3);
    assertThat(post("/api/v1/audiences/count", Map.of("ruleset", "daily",
        "condition", larger + " or contact.stage = CUSTOMER"), 200).path("count").asLong()).isEqualTo(4);
    // A negated residual has every contact for candidates: 12, beyond the cap.
    JsonNode tooLarge = post("/api/v1/audiences/count",
        Map.of("ruleset", "daily", "condition", "not (" + larger + ")"), 422);
    assertThat(tooLarge.path("type").asText()).endsWith("/residual-scan-too-large");
    assertThat(tooLarge.path("candidates").asLong()).isEqualTo(12);
    assertThat(tooLarge.path("limit").asLong()).isEqualTo(10);
    // Leads need an exact store query: the compared part is named.
    ResponseEntity<String> leads = call(HttpMethod.GET, "/api/v1/leads?ruleset=daily&condition={c}", null, null, larger);
    assertThat(leads.getStatusCode().value()).isEqualTo(422);
    assertThat(json.readTree(leads.getBody()).path("part").asText()).isEqualTo(larger);

    JsonNode run = post("/api/v1/batch-runs", Map.of("ruleset", "daily", "filter", larger), 202);
    assertThat(run.path("total").asLong()).isEqualTo(3);
    JsonNode status = awaitRun(run.path("id").asText());
    assertThat(status.path("applied").asLong()).isEqualTo(3);
    assertThat(get("/api/v1/contacts/p1").path("score").asInt()).isEqualTo(51);
    assertThat(get("/api/v1/contacts/p2").path("score").asInt()).isEqualTo(5);
    assertThat(get("/api/v1/contacts/p6").path("score").asInt()).isEqualTo(91);
  }

  /** The batch run once DONE. */
  private JsonNode awaitRun(String id) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    JsonNode status = get("/api/v1/batch-runs/" + id);
    while (!"DONE".equals(status.path("state").asText())) {
      assertThat(Instant.now()).as("run still " + status).isBefore(deadline);
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // a polling interval
      status = get("/api/v1/batch-runs/" + id);
    }
    return status;
  }

  private void awaitCount(String body, long expected) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (true) {
      ResponseEntity<String> response = call(HttpMethod.POST, "/api/v1/audiences/count", MediaType.APPLICATION_JSON,
          body);
      if (response.getStatusCode().value() == 200 && json.readTree(response.getBody()).path("count").asLong() == expected) {
        return;
      }
      assertThat(Instant.now()).as("contacts searchable: " + response.getBody()).isBefore(deadline);
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // a polling interval: the store refreshes each second
    }
  }
}
