package io.relais.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two service instances on one Elasticsearch, as behind a load balancer: an activation on one
 * is served by the other within its poll interval, and a restarted instance serves the
 * stored active version from its first request.
 */
class RulesetsAcrossInstancesIT {

  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private final String prefix = "it-multi-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<ConfigurableApplicationContext> instances = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void stop() {
    instances.forEach(ConfigurableApplicationContext::close);
  }

  private String start() {
    // Arguments, not default properties: application.yml would override those.
    ConfigurableApplicationContext context = new SpringApplicationBuilder(RelaisApplication.class)
        .run(
            "--server.port=0",
            "--relais.store.url=" + System.getProperty("relais.es.url"),
            "--relais.store.index-prefix=" + prefix,
            "--relais.rules-dir=target/no-rules-here",
            "--relais.security.api-keys[0].key=k-author",
            "--relais.security.api-keys[0].roles=author,decide");
    instances.add(context);
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return "http://127.0.0.1:" + port;
  }

  private static String scoring(int points) {
    return "scoring \"Visit\"\nwhen event is page_visit\nthen add " + points + " to score\nend\n";
  }

  private HttpResponse<String> send(String method, String url, String type, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", "k-author")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      request.header("Content-Type", type);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  // The version of "shared" the instance at `base` decides with now (0: none active there).
  private int servedVersion(String base) throws IOException, InterruptedException {
    HttpResponse<String> response = send("POST", base + "/api/v1/decisions", "application/json",
        "{\"ruleset\": \"shared\", \"contact\": {\"id\": \"c-1\"},"
            + " \"event\": {\"type\": \"page_visit\", \"at\": \"2026-11-22T10:00:00Z\"}}");
    if (response.statusCode() == 404) {
      return 0;
    }
    JsonNode decision = json.readTree(response.body());
    assertThat(decision.path("contact").path("score").asInt()).isEqualTo(decision.path("version").asInt() * 10);
    return decision.path("version").asInt();
  }

  private void awaitServed(String base, int version) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    int served = servedVersion(base);
    while (served != version && Instant.now().isBefore(deadline)) {
      Thread.onSpinWait();
      served = servedVersion(base);
    }
    assertThat(served).as("version served by " + base).isEqualTo(version);
  }

  @Test
  void anActivationOnOneInstanceIsServedByTheOther() throws Exception {
    String a = start();
    String b = start();

    assertThat(send("PUT", a + "/api/v1/rulesets/shared", "text/plain", scoring(10)).statusCode()).isEqualTo(201);
    assertThat(send("PUT", a + "/api/v1/rulesets/shared?activate=false", "text/plain", scoring(20)).statusCode())
        .isEqualTo(201);
    assertThat(servedVersion(a)).isEqualTo(1);
    awaitServed(b, 1);

    assertThat(send("POST", a + "/api/v1/rulesets/shared/versions/2/activate", null, null).statusCode())
        .isEqualTo(200);
    assertThat(servedVersion(a)).isEqualTo(2);
    awaitServed(b, 2);

    // A rollback on B reaches A the same way.
    assertThat(send("POST", b + "/api/v1/rulesets/shared/versions/1/activate", null, null).statusCode())
        .isEqualTo(200);
    assertThat(servedVersion(b)).isEqualTo(1);
    awaitServed(a, 1);

    // Both instances list the same versions, read from the store.
    JsonNode fromB = json.readTree(send("GET", b + "/api/v1/rulesets/shared", null, null).body());
    assertThat(fromB.path("activeVersion").asInt()).isEqualTo(1);
    assertThat(fromB.path("versions")).hasSize(2);
  }

  @Test
  void aRestartedInstanceServesTheStoredActiveVersionAtOnce() throws Exception {
    String first = start();
    send("PUT", first + "/api/v1/rulesets/shared", "text/plain", scoring(10));
    send("PUT", first + "/api/v1/rulesets/shared", "text/plain", scoring(20));
    send("POST", first + "/api/v1/rulesets/shared/versions/1/activate", null, null);
    instances.remove(0).close();

    String restarted = start();

    assertThat(servedVersion(restarted)).isEqualTo(1);
    JsonNode detail = json.readTree(send("GET", restarted + "/api/v1/rulesets/shared", null, null).body());
    assertThat(detail.path("versions")).hasSize(2);
    assertThat(detail.path("files").path("shared.rules").asText()).contains("add 10 to score");
  }
}
