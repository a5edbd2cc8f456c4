package io.relais.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Slow clients (a declared {@code Content-Length: 100000},
 * then one byte every two seconds, on loopback) must not hold the request workers. While they
 * trickle, health and an inline decision are still answered, each with a client timeout of one
 * second: a functional check, not a benchmark. Every phase is bounded in time.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "relais.security.api-keys[0].key=k-author",
      "relais.security.api-keys[0].roles=author",
      "relais.security.api-keys[1].key=k-decide",
      "relais.security.api-keys[1].roles=decide",
      "relais.api.body-read-timeout=3s",
      "relais.api.max-concurrent-body-reads=8",
      // One key's slow clients here: the total bound is tested, the shares between keys in FairnessIT.
      "relais.api.max-body-reads-per-key=8",
      "relais.rules-dir=target/no-rules-here"
    })
class SlowClientsIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-slow");
  }

  @LocalServerPort int port;

  private final List<Socket> slow = new ArrayList<>();
  private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService readers = Executors.newFixedThreadPool(16);
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();

  @BeforeEach
  void ruleset() throws Exception {
    RawHttp.Answer put = RawHttp.send(port, "PUT", "/api/v1/rulesets/slow",
        Map.of("X-API-Key", "k-author", "Content-Type", "text/plain"), "segment \"x\"\nthen tag \"A\"\nend\n");
    assertThat(put.status()).isEqualTo(201);
    // The first decision compiles and loads classes; the checks below measure the steady state.
    assertThat(RawHttp.send(port, "POST", "/api/v1/decisions",
        Map.of("X-API-Key", "k-decide", "Content-Type", "application/json"),
        "{\"ruleset\": \"slow\", \"contact\": {\"id\": \"c-1\"}}").status()).isEqualTo(200);
  }

  @AfterEach
  void close() throws IOException {
    trickle.shutdownNow();
    readers.shutdownNow();
    for (Socket socket : slow) {
      socket.close();
    }
  }

  /** Opens a connection that declares a 100,000-byte body and sends its first byte. */
  private Socket openSlow(String method, String path, String key) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(15_000);
    String request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (key == null ? "" : "X-API-Key: " + key + "\r\n")
        + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    slow.add(socket);
    return socket;
  }

  // One byte every two seconds on every slow connection; closed ones are skipped.
  private void startTrickling() {
    trickle.scheduleWithFixedDelay(() -> {
      for (Socket socket : List.copyOf(slow)) {
        try {
          OutputStream out = socket.getOutputStream();
          out.write(' ');
          out.flush();
        } catch (IOException e) {
          // the server closed it: that is what it should do
        }
      }
    }, 2, 2, TimeUnit.SECONDS);
  }

  private List<Future<RawHttp.Answer>> answers(List<Socket> sockets) {
    List<Future<RawHttp.Answer>> answers = new ArrayList<>();
    for (Socket socket : sockets) {
      answers.add(readers.submit(() -> RawHttp.read(socket.getInputStream())));
    }
    return answers;
  }

  private void healthAndAnInlineDecisionAreAnsweredWithinASecond() throws Exception {
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
        .timeout(Duration.ofSeconds(1)).build();
    HttpRequest decision = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/decisions"))
        .timeout(Duration.ofSeconds(1))
        .header("X-API-Key", "k-decide").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"ruleset\": \"slow\", \"contact\": {\"id\": \"c-1\"}}")).build();

    assertThat(withinASecond(health)).isEqualTo(200);
    assertThat(withinASecond(decision)).isEqualTo(200);
  }

  // Up to three tries of one second each: the build machine may be busy for a moment, while a
  // starved service answers none of them (its workers are held for as long as the clients trickle).
  private int withinASecond(HttpRequest request) throws Exception {
    HttpTimeoutException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
      } catch (HttpTimeoutException e) {
        last = e;
      }
    }
    throw last;
  }

  @Test
  void slowClientsWithoutAKeyAreRefusedWithoutReadingTheirBodies() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      sockets.add(openSlow("PUT", "/api/v1/rulesets/slow-" + i, null));
    }
    startTrickling();

    for (Future<RawHttp.Answer> answer : answers(sockets)) {
      RawHttp.Answer refused = answer.get(20, TimeUnit.SECONDS);
      assertThat(refused.status() + " " + refused.problemType()).isEqualTo("401 unauthorized");
    }
    // Without UnreadBodyValve each worker would now drain its client's body, a byte at a time.
    for (int round = 0; round < 3; round++) {
      healthAndAnInlineDecisionAreAnsweredWithinASecond();
    }
  }

  @Test
  void slowClientsWithAKeyAreCutOffAfterTheBodyReadTimeout() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      sockets.add(openSlow("POST", "/api/v1/decisions", "k-decide"));
    }
    startTrickling();

    healthAndAnInlineDecisionAreAnsweredWithinASecond();
    for (Future<RawHttp.Answer> answer : answers(sockets)) {
      RawHttp.Answer cut = answer.get(20, TimeUnit.SECONDS);
      assertThat(cut.status() + " " + cut.problemType()).isEqualTo("408 request-timeout");
    }
  }

  @Test
  void bodiesBeyondTheConcurrentReadLimitAreRefusedAtOnce() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sockets.add(openSlow("POST", "/api/v1/decisions", "k-decide"));
    }
    startTrickling();

    List<String> outcomes = new ArrayList<>();
    for (Future<RawHttp.Answer> answer : answers(sockets)) {
      RawHttp.Answer refused = answer.get(20, TimeUnit.SECONDS);
      outcomes.add(refused.status() + " " + refused.problemType()
          + (refused.status() == 503 ? " retry-after=" + refused.headers().get("retry-after") : ""));
    }
    assertThat(outcomes).filteredOn(o -> o.startsWith("503")).containsOnly("503 busy retry-after=1").hasSize(2);
    assertThat(outcomes).filteredOn(o -> o.startsWith("408")).hasSize(8);
  }
}
