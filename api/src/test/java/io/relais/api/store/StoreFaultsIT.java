package io.relais.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.api.web.RawHttp;
import io.relais.engine.store.StoreIndices;
import io.relais.engine.store.ElasticsearchStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Store faults against a node of the test's own: each fault (pause, resume,
 * kill, restart, restart without data) is a row with the exact status and problem type of a
 * decision that needs the store, while inline decisions that do not need it keep being answered.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "relais.security.api-keys[0].key=k-author",
      "relais.security.api-keys[0].roles=author",
      "relais.security.api-keys[1].key=k-decide",
      "relais.security.api-keys[1].roles=decide",
      "relais.store.index-prefix=it-faults",
      "relais.store.connect-timeout=500ms",
      "relais.store.response-timeout=1s",
      "relais.store.max-concurrent-calls=4",
      "relais.store.max-wait=100ms",
      "relais.store.failure-threshold=3",
      "relais.store.open-duration=2s",
      "relais.store.watch-interval=500ms",
      "relais.rules-dir=target/no-rules-here"
    })
class StoreFaultsIT {

  private static LocalNode node;

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) throws Exception {
    node = new LocalNode("it-faults");
    node.start();
    registry.add("relais.store.url", node::url);
  }

  @AfterAll
  static void purge() throws Exception {
    if (node != null) {
      node.stop(true);
    }
  }

  @LocalServerPort int port;
  @Autowired ElasticsearchStore store;
  @Autowired StoreWatcher watcher;
  @Autowired StoreIndices indices;

  private static final String BY_ID = "{\"ruleset\": \"faults\", \"contactId\": \"c-f1\"}";
  private static final String INLINE = "{\"ruleset\": \"faults\", \"contact\": {\"id\": \"c-inline\"}}";

  @Test
  void eachFaultOfTheStoreIsAProblemAndTheServiceRecoversByItself() throws Exception {
    until(watcher::ready);
    // Retried: ruleset writes go through the circuit breaker, which this test's short timeouts
    // may open while the fresh node starts up on a busy build machine.
    until(() -> putRuleset() == 201);
    // Retried: on a busy build machine a write may outlast this test's short response timeout.
    until(() -> putContact("c-f1", "{\"score\": 7}") / 100 == 2);
    until(() -> decide(BY_ID).status() == 200);

    List<String> rows = new ArrayList<>();
    rows.add("up: " + outcome(BY_ID) + ", score " + score());

    node.pause();
    rows.add("paused: " + outcome(BY_ID) + ", health " + health());
    rows.add("paused, many calls at once: " + storeCallsAtOnceLeaveInlineDecisionsAlone());
    rows.add("paused, circuit open: " + outcome(BY_ID));

    node.resume();
    until(() -> decide(BY_ID).status() == 200);
    rows.add("resumed: " + outcome(BY_ID) + ", health " + health());

    node.kill();
    rows.add("killed: " + outcome(BY_ID) + ", health " + health());

    node.start();
    until(() -> decide(BY_ID).status() == 200);
    rows.add("restarted: " + outcome(BY_ID) + ", score " + score());

    // The watcher may or may not have seen the kill (it checks every 500 ms); what matters is
    // that it sees the node come back empty and creates the indices again.
    int ensuredBefore = watcher.timesEnsured();
    node.stop(true);
    node.start();
    until(() -> watcher.timesEnsured() > ensuredBefore && indexExists());
    until(() -> decide(BY_ID).status() != 503); // the new index's shard becomes active
    rows.add("restarted without data: " + outcome(BY_ID) + ", index " + indexExists());

    assertThat(rows).containsExactly(
        "up: 200 -, score 7",
        "paused: 503 store-unavailable retry-after, health 503 DOWN",
        "paused, many calls at once: inline 200, stored 503 store-unavailable only",
        "paused, circuit open: 503 store-unavailable retry-after",
        "resumed: 200 -, health 200 UP",
        "killed: 503 store-unavailable retry-after, health 503 DOWN",
        "restarted: 200 -, score 7",
        "restarted without data: 404 not-found, index true");
  }

  // While 20 calls that need the paused store are in flight, a decision that does not is answered.
  private String storeCallsAtOnceLeaveInlineDecisionsAlone() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(20);
    try {
      List<Future<RawHttp.Answer>> stored = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        stored.add(callers.submit(() -> decide(BY_ID)));
      }
      String inline = "inline " + decide(INLINE).status();
      List<String> outcomes = new ArrayList<>();
      for (Future<RawHttp.Answer> answer : stored) {
        RawHttp.Answer a = answer.get(60, TimeUnit.SECONDS);
        String outcome = a.status() + " " + a.problemType();
        if (!outcomes.contains(outcome)) {
          outcomes.add(outcome);
        }
      }
      return inline + ", stored " + String.join(" and ", outcomes) + " only";
    } finally {
      callers.shutdownNow();
    }
  }

  private RawHttp.Answer decide(String body) {
    try {
      return RawHttp.send(port, "POST", "/api/v1/decisions",
          Map.of("X-API-Key", "k-decide", "Content-Type", "application/json"), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String outcome(String body) {
    RawHttp.Answer answer = decide(body);
    if (answer.status() < 300) {
      return answer.status() + " -";
    }
    String retry = answer.headers().containsKey("retry-after")
        && Integer.parseInt(answer.headers().get("retry-after")) >= 1 ? " retry-after" : "";
    return answer.status() + " " + answer.problemType() + retry;
  }

  private int score() {
    return decide(BY_ID).json().path("contact").path("score").asInt();
  }

  private String health() throws IOException {
    RawHttp.Answer health = RawHttp.send(port, "GET", "/actuator/health", Map.of(), null);
    return health.status() + " " + health.json().path("status").asText();
  }

  private int putRuleset() {
    try {
      return RawHttp.send(port, "PUT", "/api/v1/rulesets/faults",
          Map.of("X-API-Key", "k-author", "Content-Type", "text/plain"), "segment \"x\"\nthen tag \"A\"\nend\n").status();
    } catch (IOException e) {
      return 0;
    }
  }

  private int putContact(String id, String body) {
    try {
      return RawHttp.send(port, "PUT", "/api/v1/contacts/" + id,
          Map.of("X-API-Key", "k-decide", "Content-Type", "application/json"), body).status();
    } catch (IOException e) {
      return 0;
    }
  }

  private boolean indexExists() {
    try {
      return store.call("test", () -> store.client().indices().exists(e -> e.index(indices.contacts())).value());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void until(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // not yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 240 s");
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }
}
