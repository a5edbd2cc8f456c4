package io.relais.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A fuzz test over every endpoint. A few thousand generated requests (bodies, headers,
 * content types, methods, paths and query strings, see {@link RequestFuzzer}) against the real
 * service on a real node, with the sample rulesets loaded (one of them with a DMN file). It fails
 * on any 500, on any error answer without a problem+json body whose status is the answer's, on
 * an answer of a documented operation that the OpenAPI document or docs/api.md does not
 * describe, and on any incident or error in the log.
 *
 * <p>The seed is fixed so that CI is repeatable; {@code -Drelais.fuzz.seed=N} and
 * {@code -Drelais.fuzz.requests=N} explore further (docs/api.md, "Fuzzing").
 */
// The three keys of application-three-keys.properties: k-admin, k-author, k-decide.
@ActiveProfiles("three-keys")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "relais.api.max-body-size=64KB",
      "relais.events.ruleset=acme-auto"
    })
@ExtendWith(OutputCaptureExtension.class)
class FuzzIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SEED = Long.getLong("relais.fuzz.seed", 20261206L);
  private static final int REQUESTS = Integer.getInteger("relais.fuzz.requests", 3000);

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-fuzz");
    registry.add("relais.rules-dir", () -> Path.of("..", "rules").toAbsolutePath().normalize().toString());
  }

  @LocalServerPort int port;

  @Test
  void noGeneratedRequestGetsA500AnUndocumentedAnswerOrALogIncident(CapturedOutput output) throws Exception {
    OpenApiContract contract = new OpenApiContract(port);
    RequestFuzzer fuzzer = new RequestFuzzer(SEED);
    List<String> failures = new ArrayList<>();
    Map<String, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < REQUESTS; i++) {
      RequestFuzzer.Request request = fuzzer.next();
      RawHttp.Answer answer = documented(request)
          ? contract.call(request.method(), request.target(), request.headers(), request.body())
          : send(request);
      statuses.merge(answer.status() + (answer.status() >= 400 ? " " + answer.problemType() : ""), 1, Integer::sum);
      problemOf(request, answer).ifPresent(problem -> failures.add("#" + failures.size() + " " + problem));
    }
    Files.writeString(Path.of("target", "fuzz-statuses.txt"), statuses.toString());
    failures.addAll(contract.violations());

    assertThat(failures).as("seed %d: answers that break the contract", SEED).isEmpty();
    assertThat(incidents(output.getOut() + output.getErr()))
        .as("seed %d: log incidents or errors", SEED).isEmpty();
    // The walk reached the answers it is meant to exercise, not only refusals in front of them.
    assertThat(statuses.keySet()).contains("200", "400 bad-request", "401 unauthorized", "403 forbidden",
        "404 not-found", "415 unsupported-media-type");
  }

  private RawHttp.Answer send(RequestFuzzer.Request request) throws IOException {
    return RawHttp.send(port, request.method(), request.target(), request.headers(), request.body());
  }

  // The valid call's own method and path under /api: its answers must be in the OpenAPI
  // document. Anything else (another method, a mangled path) needs only a proper problem.
  private static boolean documented(RequestFuzzer.Request request) {
    String path = request.target().split("\\?", 2)[0];
    String[] operation = request.operation().split(" ", 2);
    return path.startsWith("/api/") && request.method().equals(operation[0])
        && path.equals(operation[1].split("\\?", 2)[0]);
  }

  private static Optional<String> problemOf(RequestFuzzer.Request request, RawHttp.Answer answer) {
    if (answer.status() == 500) {
      return Optional.of("500 for " + request + ": " + answer.body());
    }
    if (answer.status() < 400 || request.method().equals("HEAD")) {
      return Optional.empty();
    }
    if (!answer.contentType().startsWith("application/problem+json")) {
      return Optional.of(answer.status() + " without a problem (" + answer.contentType() + ", "
          + answer.body().length() + " chars) for " + request);
    }
    try {
      JsonNode problem = JSON.readTree(answer.body());
      if (problem.path("status").asInt() != answer.status() || problem.path("type").asText().isEmpty()) {
        return Optional.of(answer.status() + " with a problem of status " + problem.path("status")
            + " for " + request);
      }
      if (answer.body().contains("com.fasterxml") || answer.body().contains("java.") || answer.body().contains("\tat ")) {
        return Optional.of(answer.status() + " shows internals for " + request + ": " + answer.body());
      }
    } catch (IOException e) {
      return Optional.of(answer.status() + " with a body that is not JSON for " + request);
    }
    return Optional.empty();
  }

  /** Lines of the log that stand for an incident: ERROR lines and 500s. */
  static List<String> incidents(String log) {
    List<String> incidents = new ArrayList<>();
    for (String line : log.split("\n")) {
      if (line.contains(" ERROR ") || line.contains("Incident ")) {
        incidents.add(line);
      }
    }
    return incidents;
  }
}
