package io.relais.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The store-down half of {@link OpenApiContractIT}: with no store at the configured
 * address (a port nobody listens on: a real refused connection, no stand-in for the store),
 * every documented operation answers what its OpenAPI description and docs/api.md list, 503
 * {@code store-unavailable} included, and none answers 500. The body-read timeout is zero here, so operations that
 * read a body may answer 408 {@code request-timeout} instead, which must be documented too.
 */
// The three keys of application-three-keys.properties: k-admin, k-author, k-decide.
@ActiveProfiles("three-keys")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "relais.api.body-read-timeout=0s",
      "relais.store.connect-timeout=500ms",
      "relais.store.response-timeout=1s",
      "relais.rules-dir=target/no-rules-here"
    })
class OpenApiStoreDownIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> "http://127.0.0.1:" + closedPort());
    registry.add("relais.store.index-prefix", () -> "it-openapi-down");
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @LocalServerPort int port;

  @Test
  void notReadyWhileTheRulesetsAreNotLoadedNorTheIndicesEnsuredButAlive() throws Exception {
    RawHttp.Answer readiness = RawHttp.send(port, "GET", "/actuator/health/readiness", java.util.Map.of(), null);
    RawHttp.Answer liveness = RawHttp.send(port, "GET", "/actuator/health/liveness", java.util.Map.of(), null);

    assertThat(readiness.status()).isEqualTo(503);
    assertThat(readiness.json().path("status").asText()).isEqualTo("OUT_OF_SERVICE");
    assertThat(liveness.status()).isEqualTo(200);
  }

  @Test
  void withTheStoreDownEveryAnswerIsDocumented() throws Exception {
    OpenApiContract contract = new OpenApiContract(port);
    for (String operation : contract.operations()) {
      String method = operation.substring(0, operation.indexOf(' '));
      String target = operation.substring(operation.indexOf(' ') + 1)
          .replace("{name}", "oa").replace("{version}", "1").replace("{id}", "oa-c1").replace("{reward}", "r");
      String key = target.startsWith("/api/v1/rulesets") ? "k-author"
          : target.startsWith("/api/v1/decisions") || target.startsWith("/api/v1/contacts")
              || target.startsWith("/api/v1/events") ? "k-decide" : "k-admin";
      java.util.List<String> types = contract.bodyTypes(operation);
      String type = types.isEmpty() ? null : types.get(0);
      String body = type == null ? null : type.contains("json") ? "{\"ruleset\": \"oa\"}" : "segment \"x\"\nthen tag \"A\"\nend\n";
      contract.call(method, target, OpenApiContract.headers(key, type), body);
    }

    assertThat(contract.violations()).isEmpty();
    assertThat(contract.statuses()).contains("503 store-unavailable");
    // A store that is down is never a bug: leads and the funnel answered 500 when their
    // queries bypassed the store's guard and its translation of failures.
    assertThat(contract.statuses()).noneMatch(status -> status.startsWith("500"));
  }
}
