package io.relais.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

/** Webhook subscriptions and deliveries over HTTP: roles, problems, secrets shown once, an alert arriving signed. */
@AutoConfigureObservability // the Prometheus endpoint, which tests leave out by default
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "relais.security.api-keys[0].key=k-admin",
      "relais.security.api-keys[0].roles=admin",
      "relais.security.api-keys[0].name=ops",
      "relais.security.api-keys[1].key=k-author",
      "relais.security.api-keys[1].roles=author",
      "relais.rules-dir=target/no-rules-here",
      "relais.webhooks.poll=50ms",
      "relais.webhooks.refresh=200ms"
    })
class WebhooksApiIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-webhooks-api");
  }

  @Autowired TestRestTemplate http;
  @Autowired ObjectMapper json;

  private HttpServer receiver;
  private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    receiver.createContext("/in", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      var headers = exchange.getRequestHeaders();
      received.add(Map.of("id", headers.getFirst("webhook-id"), "timestamp", headers.getFirst("webhook-timestamp"),
          "signature", headers.getFirst("webhook-signature"), "body", body));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/in";
  }

  private ResponseEntity<String> call(HttpMethod method, String path, String key, Object body) throws Exception {
    HttpHeaders headers = new HttpHeaders();
    if (key != null) {
      headers.set("X-API-Key", key);
    }
    String text = null;
    if (body instanceof String s) {
      headers.setContentType(MediaType.TEXT_PLAIN);
      text = s;
    } else if (body != null) {
      headers.setContentType(MediaType.APPLICATION_JSON);
      text = json.writeValueAsString(body);
    }
    return http.exchange(path, method, new HttpEntity<>(text, headers), String.class);
  }

  private JsonNode problem(ResponseEntity<String> response, int status, String type) throws Exception {
    assertThat(response.getStatusCode().value()).isEqualTo(status);
    assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
    JsonNode problem = json.readTree(response.getBody());
    assertThat(problem.path("type").asText()).endsWith("/" + type);
    return problem;
  }

  @Test
  void onlyAdminsManageWebhooksAndDeliveries() throws Exception {
    problem(call(HttpMethod.GET, "/api/v1/webhooks", null, null), 401, "unauthorized");
    problem(call(HttpMethod.GET, "/api/v1/webhooks", "k-author", null), 403, "forbidden");
    problem(call(HttpMethod.PUT, "/api/v1/webhooks/x", "k-author", Map.of("url", url())), 403, "forbidden");
    problem(call(HttpMethod.GET, "/api/v1/deliveries", "k-author", null), 403, "forbidden");
  }

  @Test
  void badSubscriptionsAreProblems() throws Exception {
    for (String bad : List.of("file:///etc/passwd", "ftp://acme.fr/x", "gopher://x", "/relative", "nope")) {
      JsonNode problem = problem(call(HttpMethod.PUT, "/api/v1/webhooks/crm", "k-admin", Map.of("url", bad)), 400,
          "bad-request");
      assertThat(problem.path("detail").asText()).doesNotContain("Exception");
    }
    problem(call(HttpMethod.PUT, "/api/v1/webhooks/crm", "k-admin", Map.of("url", url(), "types", List.of("TAG"))),
        400, "bad-request");
    problem(call(HttpMethod.PUT, "/api/v1/webhooks/Not%20a%20name", "k-admin", Map.of("url", url())), 400,
        "bad-request");
    problem(call(HttpMethod.GET, "/api/v1/webhooks/" + "x".repeat(300), "k-admin", null), 404, "not-found");
    problem(call(HttpMethod.GET, "/api/v1/deliveries?state=lost", "k-admin", null), 400, "bad-request");
    problem(call(HttpMethod.GET, "/api/v1/deliveries?limit=0", "k-admin", null), 400, "bad-request");
    problem(call(HttpMethod.POST, "/api/v1/deliveries/nothing.0.crm/retry", "k-admin", null), 404, "not-found");
  }

  @Test
  void theSecretIsShownOnceAndRotationGivesANewOne() throws Exception {
    ResponseEntity<String> created = call(HttpMethod.PUT, "/api/v1/webhooks/secrets", "k-admin",
        Map.of("url", url(), "types", List.of("ALERT"), "channels", List.of("slack")));
    assertThat(created.getStatusCode().value()).isEqualTo(201);
    String secret = json.readTree(created.getBody()).path("secret").asText();
    assertThat(secret).startsWith("whsec_");

    ResponseEntity<String> replaced = call(HttpMethod.PUT, "/api/v1/webhooks/secrets", "k-admin",
        Map.of("url", url()));
    assertThat(replaced.getStatusCode().value()).isEqualTo(200);
    assertThat(replaced.getBody()).doesNotContain("whsec_").doesNotContain("secret\"");
    JsonNode one = json.readTree(call(HttpMethod.GET, "/api/v1/webhooks/secrets", "k-admin", null).getBody());
    assertThat(one.path("types").size()).isZero(); // replaced: all types now
    assertThat(one.has("secret")).isFalse();
    String listed = call(HttpMethod.GET, "/api/v1/webhooks", "k-admin", null).getBody();
    assertThat(listed).contains("\"secrets\"").doesNotContain("whsec_").doesNotContain(secret.substring(6));

    JsonNode rotated = json.readTree(call(HttpMethod.POST, "/api/v1/webhooks/secrets/rotate-secret", "k-admin", null)
        .getBody());
    assertThat(rotated.path("secret").asText()).startsWith("whsec_").isNotEqualTo(secret);
    assertThat(rotated.path("previousSignUntil").asText()).isNotEmpty();

    assertThat(call(HttpMethod.DELETE, "/api/v1/webhooks/secrets", "k-admin", null).getStatusCode().value())
        .isEqualTo(204);
    problem(call(HttpMethod.GET, "/api/v1/webhooks/secrets", "k-admin", null), 404, "not-found");
    problem(call(HttpMethod.DELETE, "/api/v1/webhooks/secrets", "k-admin", null), 404, "not-found");
    problem(call(HttpMethod.POST, "/api/v1/webhooks/secrets/rotate-secret", "k-admin", null), 404, "not-found");
  }

  @Test
  void anAlertDecidedOnAnEventArrivesSignedAndIsListedDelivered() throws Exception {
    assertThat(call(HttpMethod.PUT, "/api/v1/rulesets/hooks", "k-admin", """
        alert "Back on the offers"
        when event is page_visit
        then notify "sales@acme.fr" via slack with "{{contact.id}} is back on {{event.url}}"
        end
        """).getStatusCode().is2xxSuccessful()).isTrue();
    String secret = json.readTree(call(HttpMethod.PUT, "/api/v1/webhooks/crm", "k-admin",
        Map.of("url", url(), "types", List.of("ALERT"))).getBody()).path("secret").asText();
    Map<String, Object> visit = Map.of("id", "v-1", "type", "page_visit", "at", "2026-11-22T10:00:00Z",
        "attributes", Map.of("url", "/offers"));
    assertThat(call(HttpMethod.POST, "/api/v1/contacts/jean/events?ruleset=hooks", "k-admin", visit)
        .getStatusCode().value()).isEqualTo(200);
    assertThat(call(HttpMethod.POST, "/api/v1/contacts/jean/events?ruleset=hooks", "k-admin", visit).getBody())
        .contains("\"replayed\":true");

    await("the alert at the receiver", () -> !received.isEmpty());
    Map<String, String> got = received.get(0);
    assertThat(got.get("signature")).isEqualTo(new com.standardwebhooks.Webhook(secret)
        .sign(got.get("id"), Long.parseLong(got.get("timestamp")), got.get("body")));
    JsonNode body = json.readTree(got.get("body"));
    assertThat(body.path("type").asText()).isEqualTo("ALERT");
    assertThat(body.at("/data/decision/message").asText()).isEqualTo("jean is back on /offers");
    assertThat(body.at("/data/decision/channel").asText()).isEqualTo("slack");

    await("the delivery listed as delivered", () -> {
      try {
        JsonNode list = json.readTree(call(HttpMethod.GET, "/api/v1/deliveries?webhook=crm&state=delivered", "k-admin",
            null).getBody());
        return list.size() == 1 && list.get(0).path("lastStatus").asInt() == 204;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    JsonNode delivery = json.readTree(call(HttpMethod.GET, "/api/v1/deliveries?webhook=crm", "k-admin", null)
        .getBody()).get(0);
    assertThat(delivery.path("actionId").asText()).isEqualTo(got.get("id"));
    assertThat(delivery.path("attempts").asInt()).isEqualTo(1);
    assertThat(delivery.has("body")).isFalse();
    problem(call(HttpMethod.POST, "/api/v1/deliveries/" + delivery.path("id").asText() + "/retry", "k-admin", null),
        409, "conflict");
    assertThat(received).hasSize(1);
    String metrics = call(HttpMethod.GET, "/actuator/prometheus", "k-admin", null).getBody();
    assertThat(metrics).contains("relais_webhook_deliveries_total{outcome=\"delivered\",webhook=\"crm\"} 1.0")
        .contains("relais_webhook_attempts_total{result=\"2xx\",webhook=\"crm\"} 1.0")
        .contains("relais_webhook_oldest_pending_seconds");
  }

  /** The README's campaign example: the step due at enrollment reaches a subscription to messages. */
  @Test
  void aCampaignsStepArrivesAtTheReceiverAsAMessage() throws Exception {
    assertThat(call(HttpMethod.PUT, "/api/v1/rulesets/course", "k-admin", """
        campaign "course"
          step "course-intro" after 0 days
          step "course-more" after 3 days
        end

        nurture "Course"
        when event is page_visit
        then enroll in "course"
        end
        """).getStatusCode().is2xxSuccessful()).isTrue();
    assertThat(call(HttpMethod.PUT, "/api/v1/webhooks/mailer", "k-admin",
        Map.of("url", url(), "types", List.of("MESSAGE"))).getStatusCode().value()).isEqualTo(201);
    assertThat(call(HttpMethod.PUT, "/api/v1/contacts/ana", "k-admin",
        Map.of("email", "ana@example.fr", "consent", Map.of("email", true))).getStatusCode().is2xxSuccessful())
        .isTrue();
    JsonNode decided = json.readTree(call(HttpMethod.POST, "/api/v1/contacts/ana/events?ruleset=course", "k-admin",
        Map.of("id", "v-ana", "type", "page_visit", "attributes", Map.of("url", "/offers"))).getBody());
    assertThat(decided.findValuesAsText("type")).contains("ENROLL", "MESSAGE");

    await("the step at the receiver", () -> !received.isEmpty());
    JsonNode body = json.readTree(received.get(0).get("body"));
    assertThat(body.path("type").asText()).isEqualTo("MESSAGE");
    assertThat(body.at("/data/contactId").asText()).isEqualTo("ana");
    assertThat(body.at("/data/decision/campaign").asText()).isEqualTo("course");
    assertThat(body.at("/data/decision/step").asText()).isEqualTo("course-intro");
    assertThat(body.at("/data/decision/message").asText()).isEqualTo("course-intro");
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // a polling interval, not a wait for an outcome
    }
  }
}
