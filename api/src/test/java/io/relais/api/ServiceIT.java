package io.relais.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The service against the Elasticsearch node the build started. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"relais.security.api-keys[0].key=k-admin", "relais.security.api-keys[0].roles=admin"})
class ServiceIT {

  private static final Path RULES = rulesFolder();

  private static Path rulesFolder() {
    try {
      Path dir = Files.createTempDirectory("relais-rules");
      Files.createDirectories(dir.resolve("leads"));
      Files.writeString(
          dir.resolve("leads/scoring.rules"),
          "scoring \"Visit\"\nwhen\n  event is page_visit\nthen\n  add 1 to score\nend\n");
      Files.createDirectories(dir.resolve("broken"));
      Files.writeString(
          dir.resolve("broken/scoring.rules"),
          "scoring \"Visit\"\nwhen\n  contact.scroe > 1\nthen\n  add 1 to score\nend\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-service");
    registry.add("relais.rules-dir", RULES::toString);
  }

  @Autowired TestRestTemplate http;
  @Autowired ObjectMapper json;
  @Autowired org.springframework.context.ApplicationContext context;

  private ResponseEntity<String> asAdmin(String path) {
    org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
    headers.set("X-API-Key", "k-admin");
    return http.exchange(path, org.springframework.http.HttpMethod.GET,
        new org.springframework.http.HttpEntity<>(headers), String.class);
  }

  @Test
  void theServiceLooksEachRequestsHandlerUpOnce() {
    // Spring Security's cache filter takes its filter from this bean (HandlerLookupOnce).
    assertThat(context.getBean("mvcHandlerMappingIntrospector"))
        .isInstanceOf(io.relais.api.web.HandlerLookupOnce.Uncached.class);
    assertThat(asAdmin("/actuator/health").getStatusCode()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void theIndicesItKeepsFlushEveryTenSecondsAsShipped() throws Exception {
    // The shipped configuration (application.yml, StoreProperties' default) reaches the node:
    // not Elasticsearch's minute (docs/operations.md "Flushes").
    java.net.http.HttpResponse<String> settings = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(System.getProperty("relais.es.url")
            + "/it-service-*/_settings/index.translog.flush_threshold_age")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    JsonNode indices = json.readTree(settings.body());
    assertThat(indices.properties()).extracting(java.util.Map.Entry::getKey)
        .contains("it-service-contacts", "it-service-events");
    indices.properties().forEach(index -> assertThat(
        index.getValue().at("/settings/index/translog/flush_threshold_age").asText())
        .as(index.getKey()).isEqualTo("10000ms"));
  }

  @Test
  void healthIsUpAndReportsTheStore() throws Exception {
    ResponseEntity<String> response = asAdmin("/actuator/health");

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
    JsonNode health = json.readTree(response.getBody());
    assertThat(health.path("status").asText()).isEqualTo("UP");
    JsonNode store = health.path("components").path("store");
    assertThat(store.path("status").asText()).isEqualTo("UP");
    assertThat(store.path("details").path("nodes").asInt()).isEqualTo(1);
    assertThat(store.path("details").path("urls").asText())
        .isEqualTo("[" + System.getProperty("relais.es.url") + "]");
  }

  @Test
  void checksTheRulesetsOfTheRulesFolderAtStart() throws Exception {
    JsonNode info = json.readTree(asAdmin("/actuator/info").getBody());
    JsonNode rulesets = info.path("rulesets");

    assertThat(rulesets.path("leads").path("valid").asBoolean()).isTrue();
    assertThat(rulesets.path("leads").path("files").asInt()).isEqualTo(1);
    assertThat(rulesets.path("leads").path("version").asInt()).isEqualTo(1);
    assertThat(rulesets.path("broken").path("valid").asBoolean()).isFalse();
    assertThat(rulesets.path("broken").path("diagnostics").get(0).asText())
        .isEqualTo(
            "scoring.rules:3:3: error: unknown field contact.scroe — did you mean contact.score?");
  }

  @Test
  void servesTheOpenApiDocumentAndItsUi() throws Exception {
    ResponseEntity<String> docs = http.getForEntity("/v3/api-docs", String.class);
    ResponseEntity<String> ui = http.getForEntity("/swagger-ui/index.html", String.class);

    assertThat(docs.getStatusCode()).isEqualTo(HttpStatus.OK);
    JsonNode openApi = json.readTree(docs.getBody());
    assertThat(openApi.path("openapi").asText()).startsWith("3.");
    assertThat(openApi.path("info").path("title").asText()).isEqualTo("Relais");
    assertThat(ui.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(ui.getBody()).contains("Swagger UI");
  }

  @Test
  void swaggerUiPathRedirectsToTheUi() {
    ResponseEntity<String> ui = http.getForEntity("/swagger-ui.html", String.class);

    // TestRestTemplate follows the redirect to the UI page.
    assertThat(ui.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(ui.getBody()).contains("Swagger UI");
  }
}
