package io.relais.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 28, findings 6 and 7: mistakes a client can make (a multipart or YAML body, a null in a
 * list, an id of thousands of characters, an event time that is a number, CONNECT, a bare
 * {@code /error}, an unparseable Accept, a health group, a bad file name) are each answered with
 * the exact problem they are, and none is logged as an incident or at ERROR level.
 */
// The three keys of application-three-keys.properties: k-admin, k-author, k-decide.
@ActiveProfiles("three-keys")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "relais.rules-dir=target/no-rules-here"
    })
@ExtendWith(OutputCaptureExtension.class)
class ClientMistakesIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-mistakes");
  }

  @LocalServerPort int port;

  private static final String RULES = "scoring \"Visit\"\nwhen event is page_visit\nthen add 1 to score\nend\n"
      + "reward \"mug\" costs 10 points\n";
  private static final String DECISION = "{\"ruleset\": \"mistakes\", \"contact\": {\"id\": \"c-1\"}}";
  private static final String EVENT = "{\"id\": \"e-1\", \"type\": \"page_visit\"}";
  private static final String LONG = "a".repeat(4_100);

  @BeforeEach
  void ruleset() throws Exception {
    RawHttp.Answer put = RawHttp.send(port, "PUT", "/api/v1/rulesets/mistakes",
        Map.of("X-API-Key", "k-author", "Content-Type", "text/plain"), RULES);
    assertThat(put.status()).isEqualTo(201);
  }

  /** Every call that reads a body: method, path, key, a valid body of its JSON form. */
  static List<String[]> bodyCalls() {
    return List.of(
        new String[] {"POST", "/api/v1/decisions", "k-decide", DECISION},
        new String[] {"PUT", "/api/v1/contacts/c-1", "k-decide", "{\"id\": \"c-1\"}"},
        new String[] {"POST", "/api/v1/contacts/_bulk", "k-decide", "[{\"id\": \"c-1\"}]"},
        new String[] {"POST", "/api/v1/contacts/c-1/events?ruleset=mistakes", "k-decide", EVENT},
        new String[] {"POST", "/api/v1/events/_bulk?ruleset=mistakes", "k-decide",
            "[{\"contactId\": \"c-1\", \"id\": \"e-2\", \"type\": \"page_visit\"}]"},
        new String[] {"POST", "/api/v1/rulesets/mistakes/validate", "k-author", "{\"files\": {\"a.rules\": \"\"}}"},
        new String[] {"PUT", "/api/v1/rulesets/mistakes", "k-author", "{\"files\": {\"a.rules\": \"\"}}"},
        new String[] {"POST", "/api/v1/audiences/count", "k-admin",
            "{\"ruleset\": \"mistakes\", \"condition\": \"contact.score > 1\"}"},
        new String[] {"POST", "/api/v1/batch-runs", "k-admin", "{\"ruleset\": \"mistakes\"}"},
        new String[] {"POST", "/api/v1/simulations", "k-author", "{\"ruleset\": \"mistakes\", \"candidate\": "
            + "{\"version\": 1}, \"from\": \"2026-10-01T00:00:00Z\", \"until\": \"2026-11-01T00:00:00Z\"}"});
  }

  /** name, method, path, headers, body, expected "status type". */
  static Stream<Arguments> mistakes() {
    Stream.Builder<Arguments> rows = Stream.builder();
    for (String[] call : bodyCalls()) {
      for (String type : new String[] {"multipart/form-data", "multipart/form-data; boundary=x",
          "application/x-www-form-urlencoded", "application/yaml", "application/x-yaml", "application/xml",
          "application/cbor", "application/merge-patch+json"}) {
        String body = type.startsWith("multipart") ? "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n"
            : type.contains("yaml") ? "ruleset: mistakes\nruleset: mistakes\ncontact: {id: c-1}\n" : call[3];
        rows.add(Arguments.of(type + " body", call[0], call[1], headers(call[2], type), body,
            "415 unsupported-media-type"));
      }
    }
    String history = "{\"ruleset\": \"mistakes\", \"contact\": {\"id\": \"c-1\"}, \"history\": ";
    return Stream.concat(rows.build(), Stream.of(
        // History items and ids: null items, times of the wrong kind, ids too long for the store.
        Arguments.of("a null history event", "POST", "/api/v1/decisions", headers("k-decide", "application/json"),
            history + "[null]}", "400 bad-request field=history[0]"),
        Arguments.of("a history time that is a number", "POST", "/api/v1/decisions",
            headers("k-decide", "application/json"),
            history + "[{\"type\": \"page_visit\", \"at\": 1234567890}]}", "400 bad-request field=history[0].at"),
        Arguments.of("a history time beyond the year 9999", "POST", "/api/v1/decisions",
            headers("k-decide", "application/json"),
            history + "[{\"type\": \"page_visit\", \"at\": \"+99999-01-01T00:00:00Z\"}]}",
            "400 bad-request field=history[0].at"),
        Arguments.of("a 4,100-character batch run id", "GET", "/api/v1/batch-runs/" + LONG, headers("k-admin", null),
            null, "404 not-found"),
        Arguments.of("a batch run id with a space", "GET", "/api/v1/batch-runs/a%20b", headers("k-admin", null),
            null, "404 not-found"),
        Arguments.of("a 4,100-character ruleset name", "GET", "/api/v1/rulesets/" + LONG, headers("k-author", null),
            null, "404 not-found"),
        Arguments.of("a version 0", "GET", "/api/v1/rulesets/mistakes/versions/0", headers("k-author", null),
            null, "404 not-found"),
        Arguments.of("a version beyond an int", "GET", "/api/v1/rulesets/mistakes/versions/99999999999",
            headers("k-author", null), null, "400 bad-request"),
        Arguments.of("a 4,100-character reward", "POST", "/api/v1/contacts/c-1/rewards/" + LONG
            + "/redeem?ruleset=mistakes", headers("k-decide", null), null, "404 not-found"),
        Arguments.of("a 4,100-character ruleset parameter", "POST", "/api/v1/contacts/c-1/events?ruleset=" + LONG,
            headers("k-decide", "application/json"), EVENT, "404 not-found"),
        // Event times, read as /decisions reads them.
        Arguments.of("an event time that is a number", "POST", "/api/v1/contacts/c-1/events?ruleset=mistakes",
            headers("k-decide", "application/json"),
            "{\"id\": \"e-3\", \"type\": \"page_visit\", \"at\": 1234567890}", "400 bad-request field=at"),
        Arguments.of("an empty event time", "POST", "/api/v1/contacts/c-1/events?ruleset=mistakes",
            headers("k-decide", "application/json"),
            "{\"id\": \"e-4\", \"type\": \"page_visit\", \"at\": \"\"}", "400 bad-request field=at"),
        Arguments.of("an event time without offset", "POST", "/api/v1/contacts/c-1/events?ruleset=mistakes",
            headers("k-decide", "application/json"),
            "{\"id\": \"e-5\", \"type\": \"page_visit\", \"at\": \"2026-11-22T10:00:00\"}", "400 bad-request field=at"),
        Arguments.of("an event time beyond the year 9999", "POST", "/api/v1/contacts/c-1/events?ruleset=mistakes",
            headers("k-decide", "application/json"),
            "{\"id\": \"e-6\", \"type\": \"page_visit\", \"at\": \"+99999-01-01T00:00:00Z\"}", "400 bad-request field=at"),
        // Methods, /error, Accept, health groups.
        Arguments.of("CONNECT", "CONNECT", "/api/v1/decisions", headers("k-decide", null), null,
            "405 method-not-allowed"),
        Arguments.of("/error without a key", "GET", "/error", headers(null, null), null, "401 unauthorized"),
        Arguments.of("/error with an admin key", "GET", "/error", headers("k-admin", null), null, "404 not-found"),
        Arguments.of("an unparseable Accept on a read", "GET", "/api/v1/rulesets",
            accept(headers("k-author", null), "garbage"), null, "400 bad-request"),
        Arguments.of("an unparseable Accept on health", "GET", "/actuator/health",
            accept(headers(null, null), "garbage"), null, "400 bad-request"),
        Arguments.of("an unparseable Accept on a decision", "POST", "/api/v1/decisions",
            accept(headers("k-decide", "application/json"), "garbage"), DECISION, "400 bad-request"),
        Arguments.of("an unparseable Accept without a key", "GET", "/api/v1/rulesets",
            accept(headers(null, null), "a/b/c"), null, "400 bad-request"),
        Arguments.of("an Accept without JSON on health", "GET", "/actuator/health",
            accept(headers(null, null), "image/png"), null, "406 not-acceptable"),
        Arguments.of("an unknown health group", "GET", "/actuator/health/nothing", headers(null, null), null,
            "404 not-found"),
        Arguments.of("an unknown health group, admin", "GET", "/actuator/health/nothing", headers("k-admin", null),
            null, "404 not-found"),
        // File names.
        Arguments.of("a NUL in a file name", "PUT", "/api/v1/rulesets/mistakes-nul",
            headers("k-author", "application/json"), "{\"files\": {\"a\\u0000b.rules\": \"\"}}",
            "400 bad-request"),
        Arguments.of("a line separator in a file name", "POST", "/api/v1/rulesets/mistakes-ls/validate",
            headers("k-author", "application/json"), "{\"files\": {\"a\\u2028b.rules\": \"\"}}",
            "400 bad-request"),
        Arguments.of("a 5,000-character file name", "PUT", "/api/v1/rulesets/mistakes-long",
            headers("k-author", "application/json"), "{\"files\": {\"" + "f".repeat(5_000) + ".rules\": \"\"}}",
            "400 bad-request"),
        Arguments.of("a NUL in a rule name", "PUT", "/api/v1/rulesets/mistakes-rule",
            headers("k-author", "text/plain"), "scoring \"a\\u0000b\"\nthen add 1 to score\nend\n",
            "422 invalid-ruleset")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void eachMistakeIsItsProblemAndNoIncident(String name, String method, String path, Map<String, String> headers,
      String body, String expected, CapturedOutput output) throws Exception {
    int logged = output.getAll().length();

    RawHttp.Answer answer = RawHttp.send(port, method, path, headers, body);

    assertThat(outcome(answer)).as(answer.body()).isEqualTo(expected);
    assertProblem(answer);
    String log = output.getAll().substring(logged);
    assertThat(log).doesNotContain("Incident").doesNotContain(" ERROR ");
  }

  // "status type", and " field=NAME" when the problem names one.
  private static String outcome(RawHttp.Answer answer) {
    String type = answer.status() < 300 ? "-" : answer.problemType();
    JsonNode field = answer.status() < 300 ? null : answer.json().path("field");
    return answer.status() + " " + type + (field == null || field.isMissingNode() ? "" : " field=" + field.asText());
  }

  private static void assertProblem(RawHttp.Answer answer) {
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.body()).doesNotContain("Exception", "java.", "com.fasterxml", "io.relais", "springframework",
        "FAIL_ON", "Feature", "[Source", "<html", "timestamp", "Whitelabel");
  }

  @Test
  void anHttpVersionOtherThanOneIsABadRequestNotAnIncident(CapturedOutput output) throws Exception {
    int logged = output.getAll().length();
    RawHttp.Answer answer;
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /actuator/health HTTP/3.0\r\nHost: x\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      answer = RawHttp.read(socket.getInputStream());
    }

    assertThat(outcome(answer)).isEqualTo("400 bad-request");
    assertProblem(answer);
    assertThat(output.getAll().substring(logged)).doesNotContain("Incident").doesNotContain(" ERROR ");
  }

  @Test
  void theLivenessAndReadinessGroupsAnswerWithoutAKey() throws Exception {
    for (String group : new String[] {"liveness", "readiness"}) {
      RawHttp.Answer answer = RawHttp.send(port, "GET", "/actuator/health/" + group, Map.of(), null);

      assertThat(answer.status()).as(group).isEqualTo(200);
      assertThat(answer.json().path("status").asText()).isEqualTo("UP");
      assertThat(answer.json().properties()).extracting(Map.Entry::getKey).containsExactly("status");
    }
  }

  @Test
  void aBulkEventWithANumericTimeFailsAloneNamingTheField() throws Exception {
    RawHttp.Answer answer = RawHttp.send(port, "POST", "/api/v1/events/_bulk?ruleset=mistakes",
        headers("k-decide", "application/json"),
        "[{\"contactId\": \"c-b\", \"id\": \"b-1\", \"type\": \"page_visit\", \"at\": 1234567890},"
            + " {\"contactId\": \"c-b\", \"id\": \"b-2\", \"type\": \"page_visit\", \"at\": \"\"},"
            + " {\"contactId\": \"c-b\", \"id\": \"b-3\", \"type\": \"page_visit\", \"at\": \"2026-11-22T10:00:00Z\"},"
            + " {\"contactId\": \"c-b\", \"id\": \"b-4\", \"type\": [\"page_visit\"]},"
            + " null]");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode items = answer.json().path("items");
    assertThat(answer.json().path("applied").asInt()).isEqualTo(1);
    assertThat(answer.json().path("failed").asInt()).isEqualTo(4);
    assertThat(items.get(0).path("status").asInt()).isEqualTo(400);
    assertThat(items.get(0).path("error").asText()).contains("'at'").contains("ISO-8601");
    assertThat(items.get(1).path("error").asText()).contains("'at'");
    assertThat(items.get(2).path("status").asInt()).isEqualTo(200);
    assertThat(items.get(3).path("error").asText()).contains("'type'").contains("a text");
    assertThat(items.get(4).path("status").asInt()).isEqualTo(400);
    assertThat(answer.body()).doesNotContain("com.fasterxml", "java.", "Feature", "[Source");
  }

  /** body, content type, what the detail says: each malformed in its own way, said in plain words. */
  static Stream<Arguments> malformedBulks() {
    return Stream.of(
        Arguments.of("[{\"id\": \"x\"", "application/json", "not valid JSON (line 1, column 12)"),
        Arguments.of("[{\"id\": \"x\", \"a\": 1, \"a\": 2}]", "application/json",
            "The field 'a' appears twice (line 1, column 25)"),
        Arguments.of("[" + "[".repeat(1_200) + "]".repeat(1_200) + "]", "application/json",
            "The request body is beyond what is read: arrays and objects nested too deeply"),
        Arguments.of("[{\"id\": \"x\", \"score\": 1" + "0".repeat(1_200) + "}]", "application/json",
            "The request body is beyond what is read: a number with too many digits"),
        Arguments.of("{\"id\": \"x\"}\n{\"id\":\n", "application/x-ndjson", "Line 2 of the body is not valid JSON (line 2,"),
        Arguments.of("{\"id\": \"x\"} {\"id\": \"y\"}\n", "application/x-ndjson",
            "There is more after the JSON value (line 1, column 13); send exactly one value"),
        Arguments.of("{\"id\": \"x\", \"attributes\": " + "[".repeat(1_200) + "]".repeat(1_200) + "}\n",
            "application/x-ndjson", "Line 1 of the body is beyond what is read: arrays and objects nested too deeply"));
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("malformedBulks")
  void bulkContactErrorsNameNoJacksonInternals(String body, String type, String detail, CapturedOutput output)
      throws Exception {
    int logged = output.getAll().length();

    RawHttp.Answer answer = RawHttp.send(port, "POST", "/api/v1/contacts/_bulk", headers("k-decide", type), body);

    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertProblem(answer);
    assertThat(answer.json().path("detail").asText()).contains(detail);
    assertThat(answer.body()).doesNotContain("`", "StreamRead", "Constraints", "REDACTED", "marker");
    assertThat(output.getAll().substring(logged)).doesNotContain("Incident");
  }

  static Map<String, String> headers(String key, String contentType) {
    return OpenApiContract.headers(key, contentType);
  }

  private static Map<String, String> accept(Map<String, String> headers, String accept) {
    headers.put("Accept", accept);
    return headers;
  }
}
