package io.relais.api.language;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

/** The language service over REST: the author's answers, a decide key refused. */
// The three keys of application-three-keys.properties: k-admin, k-author, k-decide.
@ActiveProfiles("three-keys")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"relais.rules-dir=target/no-rules-here", "relais.rulesets.max-files=5"})
class LanguageApiIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-language");
  }

  private static final String DECLARATIONS = """
      define HOT = 100
      campaign "leasing-101"
        step "leasing-intro" after 1 day
      end
      """;

  private static final String RULES = """
      scoring "Hot"
      when
        contact.score > HOT
      then
        add 1 to score
      end

      nurture "Leasing"
      then
        enroll in "leasing-101"
      end
      """;

  private static final List<String> OPERATIONS =
      List.of("diagnostics", "completion", "hover", "definition", "symbols", "format");

  @Autowired TestRestTemplate http;
  @Autowired ObjectMapper json;

  private ResponseEntity<String> post(String key, String operation, Object body) throws Exception {
    HttpHeaders headers = new HttpHeaders();
    if (key != null) {
      headers.set("X-API-Key", key);
    }
    headers.setContentType(MediaType.APPLICATION_JSON);
    return http.exchange("/api/v1/language/" + operation, HttpMethod.POST,
        new HttpEntity<>(json.writeValueAsString(body), headers), String.class);
  }

  private JsonNode ok(String operation, Object body) throws Exception {
    ResponseEntity<String> response = post("k-author", operation, body);
    assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
    return json.readTree(response.getBody());
  }

  private static Map<String, Object> at(String rules, int line, int column) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("files", Map.of("a-declarations.rules", DECLARATIONS, "b-rules.rules", rules));
    body.put("file", "b-rules.rules");
    body.put("line", line);
    body.put("column", column);
    return body;
  }

  @Test
  void diagnosticsOfEveryFileAsTheCheckGivesThem() throws Exception {
    JsonNode answer = ok("diagnostics", Map.of("files", Map.of("a-declarations.rules", DECLARATIONS,
        "b-rules.rules", RULES.replace("contact.score", "contact.scroe"))));

    assertThat(answer.path("valid").asBoolean()).isFalse();
    JsonNode d = answer.path("diagnostics").get(0);
    assertThat(d.path("file").asText()).isEqualTo("b-rules.rules");
    assertThat(d.path("line").asInt()).isEqualTo(3);
    assertThat(d.path("column").asInt()).isEqualTo(3);
    assertThat(d.path("code").asText()).isEqualTo("unknown-field");
    assertThat(d.path("suggestion").asText()).isEqualTo("contact.score");
  }

  @Test
  void completionHoverDefinitionSymbolsAndFormat() throws Exception {
    JsonNode items = ok("completion", at(RULES, 3, 16)).path("items");
    JsonNode score = null;
    for (JsonNode item : items) {
      if (item.path("label").asText().equals("score")) {
        score = item;
      }
    }
    assertThat(score).as(items.toString()).isNotNull();
    assertThat(score.path("kind").asText()).isEqualTo("field");
    assertThat(score.path("detail").asText()).isEqualTo("number");
    assertThat(score.path("documentation").asText()).isEqualTo("the contact score (whole number)");
    assertThat(score.path("replace")).isEqualTo(json.readTree(
        "{\"line\": 3, \"column\": 11, \"endLine\": 3, \"endColumn\": 16}"));

    JsonNode hover = ok("hover", at(RULES, 3, 12));
    assertThat(hover.path("contents").asText()).isEqualTo("**contact.score** `number`\n\nthe contact score (whole number)");
    assertThat(ok("hover", at(RULES, 7, 1))).isEqualTo(json.readTree("{}"));

    JsonNode locations = ok("definition", at(RULES, 10, 15)).path("locations");
    assertThat(locations).isEqualTo(json.readTree(
        "[{\"file\": \"a-declarations.rules\", \"line\": 2, \"column\": 10, \"endLine\": 2, \"endColumn\": 23}]"));

    JsonNode symbols = ok("symbols", at(RULES, 1, 1)).path("symbols");
    assertThat(symbols.findValuesAsText("name")).containsExactly("Hot", "Leasing");
    assertThat(symbols.get(0).path("kind").asText()).isEqualTo("rule");

    String messy = "SCORING \"s\" when contact.score>1 then add 1 to score end";
    JsonNode edits = ok("format", at(messy, 1, 1)).path("edits");
    assertThat(edits).hasSize(1);
    assertThat(edits.get(0).path("newText").asText()).startsWith("scoring \"s\"\nwhen\n  contact.score > 1\n");
  }

  @Test
  void decisionTablesAreReadWithTheEngine() throws Exception {
    Path folder = Path.of("..", "rules", "b2b-qualification");
    Map<String, String> files = new LinkedHashMap<>();
    try (var list = Files.list(folder)) {
      for (Path p : list.sorted().toList()) {
        files.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    assertThat(ok("diagnostics", Map.of("files", files)).path("valid").asBoolean()).isTrue();

    String tables = files.get("tables.rules");
    String[] lines = tables.split("\n", -1);
    int line = 0;
    while (!lines[line].contains("decision \"Grade\"")) {
      line++;
    }
    int column = lines[line].indexOf("decision \"Grade\"") + "decision \"".length() + 1;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("files", files);
    body.put("file", "tables.rules");
    body.put("line", line + 1);
    body.put("column", column);

    assertThat(ok("completion", body).path("items").findValuesAsText("label")).contains("Grade", "Fit points");
    assertThat(ok("definition", body).path("locations").get(0).path("file").asText()).isEqualTo("fit-grid.dmn");
  }

  @Test
  void onlyAuthorsMayCall() throws Exception {
    for (String operation : OPERATIONS) {
      assertThat(post("k-decide", operation, at(RULES, 1, 1)).getStatusCode().value()).as(operation).isEqualTo(403);
      assertThat(post(null, operation, at(RULES, 1, 1)).getStatusCode().value()).as(operation).isEqualTo(401);
      assertThat(post("k-admin", operation, at(RULES, 1, 1)).getStatusCode().value()).as(operation).isEqualTo(200);
    }
  }

  @Test
  void badRequestsAreProblems() throws Exception {
    Map<String, Object> noFile = at(RULES, 1, 1);
    noFile.remove("file");
    Map<String, Object> otherFile = at(RULES, 1, 1);
    otherFile.put("file", "c.rules");
    Map<String, Object> lineZero = at(RULES, 0, 1);
    Map<String, Object> files = new LinkedHashMap<>();
    for (int i = 0; i < 6; i++) {
      files.put("f" + i + ".rules", "");
    }

    assertProblem(post("k-author", "completion", noFile), 400, "bad-request");
    assertProblem(post("k-author", "hover", otherFile), 400, "bad-request");
    assertProblem(post("k-author", "definition", lineZero), 400, "bad-request");
    assertProblem(post("k-author", "diagnostics", Map.of("files", Map.of("a.txt", ""))), 400, "bad-request");
    assertProblem(post("k-author", "diagnostics", Map.of()), 400, "bad-request");
    assertProblem(post("k-author", "diagnostics", Map.of("files", files)), 413, "ruleset-too-large");
  }

  private void assertProblem(ResponseEntity<String> response, int status, String type) throws Exception {
    assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(status);
    assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
    assertThat(json.readTree(response.getBody()).path("type").asText()).endsWith("/" + type);
  }
}
