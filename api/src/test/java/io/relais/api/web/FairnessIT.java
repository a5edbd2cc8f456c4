package io.relais.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One key cannot shut the others out: a {@code decide} key's slow bodies, reconnecting whenever
 * they are dropped, could keep every body-read slot (503 {@code busy} for every other key).
 * Here the noisy key keeps more slow bodies open than there are slots, all the time; meanwhile
 * the quiet key's decisions, inline and by stored contact, are all answered 200, and the noisy
 * key's extra bodies are refused as over its share. Every phase is bounded in time.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "relais.security.api-keys[0].key=k-author",
      "relais.security.api-keys[0].roles=author",
      "relais.security.api-keys[1].key=k-noisy",
      "relais.security.api-keys[1].name=noisy",
      "relais.security.api-keys[1].roles=decide",
      "relais.security.api-keys[2].key=k-quiet",
      "relais.security.api-keys[2].name=quiet",
      "relais.security.api-keys[2].roles=decide",
      // The slow bodies keep their slots for the whole test (a byte a second keeps each read alive).
      "relais.api.body-read-timeout=60s",
      "relais.api.max-concurrent-body-reads=8",
      "relais.api.max-body-reads-per-key=4",
      "relais.rules-dir=target/no-rules-here"
    })
class FairnessIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-fair");
  }

  private static final int NOISY_CONNECTIONS = 12; // more than the 8 slots
  private static final String INLINE = "{\"ruleset\": \"fair\", \"contact\": {\"id\": \"c-inline\"}}";
  private static final String BY_ID = "{\"ruleset\": \"fair\", \"contactId\": \"c-quiet\"}";

  @LocalServerPort int port;

  private volatile boolean attacking = true;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> noisyAnswers = new ConcurrentHashMap<>();
  private final List<String> noisyRefusals = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
  private final List<Thread> lanes = new ArrayList<>();

  @BeforeEach
  void rulesetAndContact() throws Exception {
    until(() -> send("PUT", "/api/v1/rulesets/fair", "k-author", "text/plain",
        "segment \"x\"\nthen tag \"A\"\nend\n") == 201);
    until(() -> send("PUT", "/api/v1/contacts/c-quiet", "k-quiet", "application/json", "{\"score\": 7}") / 100 == 2);
    until(() -> send("POST", "/api/v1/decisions", "k-quiet", "application/json", BY_ID) == 200);
  }

  @AfterEach
  void stop() throws Exception {
    attacking = false;
    trickle.shutdownNow();
    for (Socket socket : open) {
      socket.close();
    }
    for (Thread lane : lanes) {
      lane.interrupt();
      lane.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  @Test
  void oneKeysSlowBodiesLeaveTheOtherKeysTheirSlots() throws Exception {
    for (int i = 0; i < NOISY_CONNECTIONS; i++) {
      Thread lane = new Thread(this::slowBodiesOneAfterAnother, "noisy-" + i);
      lane.setDaemon(true);
      lane.start();
      lanes.add(lane);
    }
    trickle.scheduleWithFixedDelay(this::oneMoreByte, 1, 1, TimeUnit.SECONDS);
    // The noisy key holds what it may: its other bodies are refused (and come straight back).
    until(() -> noisyAnswers.getOrDefault("503 busy", 0) >= NOISY_CONNECTIONS);

    List<String> quiet = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      quiet.add("inline " + send("POST", "/api/v1/decisions", "k-quiet", "application/json", INLINE));
      quiet.add("stored " + send("POST", "/api/v1/decisions", "k-quiet", "application/json", BY_ID));
    }

    assertThat(quiet).containsOnly("inline 200", "stored 200").hasSize(20);
    assertThat(noisyAnswers.keySet()).as("no slow body was cut off: they held their slots throughout")
        .containsOnly("503 busy");
    assertThat(noisyRefusals).allMatch(refusal -> refusal.equals(
        "retry-after 1: This API key has its share of the request bodies being received at once; try again in 1 s."));
  }

  // One noisy client: a slow body, and when it is answered (refused), the next one at once.
  private void slowBodiesOneAfterAnother() {
    while (attacking) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(120_000);
        socket.getOutputStream().write(("POST /api/v1/decisions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: k-noisy\r\n"
            + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        open.add(socket);
        RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
        open.remove(socket);
        noisyAnswers.merge(answer.status() + " " + answer.problemType(), 1, Integer::sum);
        if (answer.status() == 503) {
          noisyRefusals.add("retry-after " + answer.headers().get("retry-after") + ": "
              + answer.json().path("detail").asText());
        }
      } catch (IOException e) {
        // closed by the test's end
      }
    }
  }

  private void oneMoreByte() {
    for (Socket socket : open) {
      try {
        OutputStream out = socket.getOutputStream();
        out.write(' ');
        out.flush();
      } catch (IOException e) {
        // answered and closed meanwhile
      }
    }
  }

  private int send(String method, String path, String key, String contentType, String body) {
    try {
      return RawHttp.send(port, method, path, Map.of("X-API-Key", key, "Content-Type", contentType), body).status();
    } catch (IOException e) {
      return 0;
    }
  }

  private static void until(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not reached within 60 s");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // a polling interval
    }
  }
}
