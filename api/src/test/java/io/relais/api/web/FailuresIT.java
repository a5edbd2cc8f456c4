package io.relais.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Finding 4 and 6 of the security review: every failure is a problem detail with an exact
 * status and type (malformed bodies, media types, methods, paths, headers), a bug is a 500
 * with an incident id and nothing else, and the actuator tells nothing without an admin key.
 */
// The three keys of application-three-keys.properties: k-admin, k-author, k-decide.
@ActiveProfiles("three-keys")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "relais.api.max-body-size=8KB",
      "relais.rules-dir=target/no-rules-here"
    })
@Import(FailuresIT.Bug.class)
@ExtendWith(OutputCaptureExtension.class)
class FailuresIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-failures");
  }

  /** A controller with a bug, present only in this test. */
  @TestConfiguration
  @RestController
  static class Bug {
    @GetMapping("/api/v1/test-bug")
    String bug() {
      throw new IllegalStateException("secret internals at /var/lib/relais");
    }
  }

  @LocalServerPort int port;

  private static final String RULES = "segment \"x\"\nthen tag \"A\"\nend\n";
  private static final String CONTACT = "\"contact\": {\"id\": \"c-1\"}";

  @BeforeEach
  void ruleset() throws Exception {
    RawHttp.Answer put = RawHttp.send(port, "PUT", "/api/v1/rulesets/failures",
        Map.of("X-API-Key", "k-author", "Content-Type", "text/plain"), RULES);
    assertThat(put.status()).isEqualTo(201);
  }

  /** name, body, expected "status type", a text the detail must contain (or ""), the field. */
  static Stream<Arguments> bodies() {
    String longId = "c".repeat(5000);
    return Stream.of(
        Arguments.of("valid", "{\"ruleset\": \"failures\", " + CONTACT + "}", "200 -", "", null),
        Arguments.of("duplicate key", "{\"ruleset\": \"failures\", \"ruleset\": \"other\", " + CONTACT + "}",
            "400 bad-request", "appears twice", "ruleset"),
        Arguments.of("duplicate nested key", "{\"ruleset\": \"failures\", \"contact\": {\"id\": \"a\", \"id\": \"b\"}}",
            "400 bad-request", "appears twice", "contact.id"),
        Arguments.of("trailing object", "{\"ruleset\": \"failures\", " + CONTACT + "} {}",
            "400 bad-request", "more after the JSON value", null),
        Arguments.of("trailing garbage", "{\"ruleset\": \"failures\", " + CONTACT + "} xyz",
            "400 bad-request", "not valid JSON", null),
        Arguments.of("numeric now", "{\"ruleset\": \"failures\", \"now\": 1700000000, " + CONTACT + "}",
            "400 bad-request", "Field 'now'", "now"),
        Arguments.of("now far in the future", "{\"ruleset\": \"failures\", \"now\": \"+999999999-12-31T23:59:59Z\", "
            + CONTACT + "}", "400 bad-request", "Field 'now'", "now"),
        Arguments.of("now before year 1", "{\"ruleset\": \"failures\", \"now\": \"-0001-12-31T23:59:59Z\", "
            + CONTACT + "}", "400 bad-request", "Field 'now'", "now"),
        Arguments.of("now without offset", "{\"ruleset\": \"failures\", \"now\": \"2026-11-22T10:00:00\", "
            + CONTACT + "}", "400 bad-request", "Field 'now'", "now"),
        Arguments.of("now at the end of year 9999", "{\"ruleset\": \"failures\", \"now\": \"9999-12-31T23:59:59Z\", "
            + CONTACT + "}", "200 -", "", null),
        Arguments.of("now in year 1", "{\"ruleset\": \"failures\", \"now\": \"0001-01-01T00:00:00Z\", "
            + CONTACT + "}", "200 -", "", null),
        Arguments.of("empty contactId", "{\"ruleset\": \"failures\", \"contactId\": \"\"}",
            "400 bad-request", "contactId", null),
        Arguments.of("5,000-character contactId", "{\"ruleset\": \"failures\", \"contactId\": \"" + longId + "\"}",
            "400 bad-request", "contactId", null),
        Arguments.of("ruleset of the wrong type", "{\"ruleset\": [\"failures\"], " + CONTACT + "}",
            "400 bad-request", "Field 'ruleset' must be a text", "ruleset"),
        Arguments.of("history event without a time", "{\"ruleset\": \"failures\", " + CONTACT
            + ", \"history\": [{\"type\": \"page_visit\"}]}", "400 bad-request", "Field 'history[0]' needs \"at\"",
            "history[0]"),
        Arguments.of("history event without a type", "{\"ruleset\": \"failures\", " + CONTACT
            + ", \"history\": [{\"at\": \"2026-11-22T10:00:00Z\"}]}", "400 bad-request",
            "Field 'history[0]' needs \"type\"", "history[0]"),
        Arguments.of("event without a time", "{\"ruleset\": \"failures\", " + CONTACT
            + ", \"event\": {\"type\": \"page_visit\"}}", "200 -", "", null),
        Arguments.of("not JSON", "{\"ruleset\": ", "400 bad-request", "not valid JSON", null),
        Arguments.of("an array", "[1, 2]", "400 bad-request", "shape", null),
        Arguments.of("empty body", "", "400 bad-request", "needs a request body", null),
        Arguments.of("body over the limit", "{\"ruleset\": \"" + "x".repeat(9000) + "\"}",
            "413 payload-too-large", "larger than", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void malformedDecisionRequests(String name, String body, String expected, String detail, String field)
      throws Exception {
    RawHttp.Answer answer = decide(body, "application/json");

    assertThat(answer.status() + " " + (answer.status() < 300 ? "-" : answer.problemType()))
        .as(answer.body()).isEqualTo(expected);
    if (answer.status() >= 400) {
      assertThat(answer.json().path("detail").asText()).contains(detail);
      assertThat(answer.json().path("field").isMissingNode() ? null : answer.json().path("field").asText())
          .isEqualTo(field);
      assertNoInternals(answer);
    }
  }

  private RawHttp.Answer decide(String body, String contentType) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-API-Key", "k-decide");
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return RawHttp.send(port, "POST", "/api/v1/decisions", headers, body);
  }

  /** method, path, key, content type, body, expected "status type". */
  static Stream<Arguments> requests() {
    String valid = "{\"ruleset\": \"failures\", " + CONTACT + "}";
    return Stream.of(
        Arguments.of("POST", "/api/v1/decisions", "k-decide", "*/*", valid, "415 unsupported-media-type"),
        Arguments.of("POST", "/api/v1/decisions", "k-decide", "application/*", valid, "415 unsupported-media-type"),
        Arguments.of("POST", "/api/v1/decisions", "k-decide", "not a type", valid, "415 unsupported-media-type"),
        Arguments.of("POST", "/api/v1/decisions", "k-decide", "text/plain", valid, "415 unsupported-media-type"),
        Arguments.of("POST", "/api/v1/decisions", "k-decide", null, valid, "415 unsupported-media-type"),
        Arguments.of("POST", "/api/v1/decisions", "k-decide", "application/json", null, "400 bad-request"),
        Arguments.of("GET", "/api/v1/decisions", "k-decide", null, null, "405 method-not-allowed"),
        Arguments.of("DELETE", "/api/v1/rulesets", "k-admin", null, null, "405 method-not-allowed"),
        Arguments.of("TRACE", "/api/v1/rulesets", "k-admin", null, null, "405 method-not-allowed"),
        Arguments.of("BREW", "/api/v1/rulesets", "k-admin", null, null, "405 method-not-allowed"),
        Arguments.of("GET", "/api/v1/no-such-thing", "k-admin", null, null, "404 not-found"),
        Arguments.of("GET", "/no-such-thing", "k-admin", null, null, "404 not-found"),
        Arguments.of("GET", "/no-such-thing", null, null, null, "401 unauthorized"),
        Arguments.of("GET", "/api/v1/rulesets/a%2Fb", "k-author", null, null, "400 bad-request"),
        Arguments.of("GET", "/api/v1/rulesets/a%00", "k-author", null, null, "400 bad-request"),
        Arguments.of("GET", "/api/v1/rulesets/a%ff", "k-author", null, null, "400 bad-request"),
        Arguments.of("GET", "/api/v1/rulesets/a%zz", "k-author", null, null, "400 bad-request"),
        Arguments.of("PUT", "/api/v1/rulesets/bad%20name", "k-author", "text/plain", RULES, "400 bad-request"),
        Arguments.of("POST", "/api/v1/rulesets/failures/versions/x/activate", "k-author", null, null, "400 bad-request"),
        Arguments.of("PUT", "/api/v1/rulesets/big", null, "text/plain", "#".repeat(9000), "413 payload-too-large"),
        Arguments.of("PUT", "/api/v1/rulesets/big", "k-decide", "text/plain", "#".repeat(9000), "413 payload-too-large"),
        Arguments.of("GET", "/api/v1/test-bug", "k-admin", null, null, "500 server-error"));
  }

  @ParameterizedTest(name = "{0} {1} key={2} type={3}")
  @MethodSource("requests")
  void failuresAreProblemDetails(String method, String path, String key, String type, String body, String expected)
      throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    if (key != null) {
      headers.put("X-API-Key", key);
    }
    if (type != null) {
      headers.put("Content-Type", type);
    }
    RawHttp.Answer answer = RawHttp.send(port, method, path, headers, body);

    assertThat(answer.status() + " " + answer.problemType()).as(answer.body()).isEqualTo(expected);
    assertNoInternals(answer);
  }

  @Test
  void aRefusedRequestWithABodyClosesItsConnectionAndSaysSo() throws Exception {
    // The body is not read, so the connection cannot carry another request: a client that
    // reused it would get no answer. The refusal says Connection: close.
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("PUT /api/v1/rulesets/closing HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: text/plain\r\nContent-Length: 5000\r\n\r\nsegment").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      RawHttp.Answer answer = RawHttp.read(socket.getInputStream());

      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.headers().get("connection")).isEqualTo("close");
    }
  }

  @Test
  void headersTooLargeAreAProblemNotTomcatsPage() throws Exception {
    RawHttp.Answer answer = RawHttp.send(port, "GET", "/actuator/health", Map.of("X-Big", "a".repeat(20_000)), null);

    assertThat(answer.status() + " " + answer.problemType()).isEqualTo("400 bad-request");
  }

  @Test
  void aBugIsA500WithAnIncidentIdThatTheLogShows(CapturedOutput log) throws Exception {
    RawHttp.Answer answer = RawHttp.send(port, "GET", "/api/v1/test-bug", Map.of("X-API-Key", "k-admin"), null);

    assertThat(answer.status()).isEqualTo(500);
    String instance = answer.json().path("instance").asText();
    Matcher id = Pattern.compile("urn:relais:incident:([0-9a-f-]{36})").matcher(instance);
    assertThat(id.matches()).as(instance).isTrue();
    assertThat(answer.json().path("detail").asText()).contains(id.group(1));
    assertThat(answer.body()).doesNotContain("secret", "IllegalState", "/var/lib");
    assertThat(log.getAll()).contains("Incident " + id.group(1)).contains("secret internals");
  }

  @Test
  void healthSaysOnlyUpOrDownWithoutAnAdminKey() throws Exception {
    for (String key : new String[] {null, "k-decide", "k-author"}) {
      Map<String, String> headers = key == null ? Map.of() : Map.of("X-API-Key", key);
      RawHttp.Answer health = RawHttp.send(port, "GET", "/actuator/health", headers, null);

      assertThat(health.status()).isEqualTo(200);
      // The status, and the names of the probe groups (docs/operations.md "Health"), no more.
      assertThat(health.json().properties()).extracting(Map.Entry::getKey).containsExactly("status", "groups");
      assertThat(health.json().path("groups").toString()).isEqualTo("[\"liveness\",\"readiness\"]");
      assertThat(health.body()).doesNotContain("127.0.0.1", "/", "Exception");
    }
    RawHttp.Answer admin = RawHttp.send(port, "GET", "/actuator/health", Map.of("X-API-Key", "k-admin"), null);
    assertThat(admin.json().path("components").path("store").path("details").path("nodes").asInt()).isEqualTo(1);
  }

  @Test
  void metricsPrometheusAndInfoNeedAnAdminKey() throws Exception {
    for (String path : new String[] {"/actuator/metrics", "/actuator/metrics/http.server.requests", "/actuator/info",
        "/actuator/prometheus", "/actuator/env", "/actuator"}) {
      assertThat(RawHttp.send(port, "GET", path, Map.of(), null).status()).as(path).isEqualTo(401);
      assertThat(RawHttp.send(port, "GET", path, Map.of("X-API-Key", "k-decide"), null).status()).as(path)
          .isEqualTo(403);
      assertThat(RawHttp.send(port, "GET", path, Map.of("X-API-Key", "k-author"), null).status()).as(path)
          .isEqualTo(403);
    }
    assertThat(RawHttp.send(port, "GET", "/actuator/metrics", Map.of("X-API-Key", "k-admin"), null).status())
        .isEqualTo(200);
  }

  @Test
  void theOpenApiDocumentsArePublicAndIgnoreForwardedHeaders() throws Exception {
    Map<String, String> forwarded = Map.of("X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https",
        "X-Forwarded-Prefix", "/evil", "Forwarded", "host=evil.example;proto=https");
    RawHttp.Answer config = RawHttp.send(port, "GET", "/v3/api-docs/swagger-config", forwarded, null);
    RawHttp.Answer docs = RawHttp.send(port, "GET", "/v3/api-docs", forwarded, null);

    assertThat(config.status()).isEqualTo(200);
    assertThat(docs.status()).isEqualTo(200);
    assertThat(config.body()).doesNotContain("evil");
    assertThat(docs.body()).doesNotContain("evil");
  }

  private static void assertNoInternals(RawHttp.Answer answer) {
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.body()).doesNotContain("Exception", "java.", "com.fasterxml", "io.relais", "springframework",
        "<html", "timestamp", "Whitelabel");
  }
}
