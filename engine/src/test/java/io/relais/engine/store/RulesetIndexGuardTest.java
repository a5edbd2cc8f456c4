package io.relais.engine.store;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relais.engine.registry.StoredVersion;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The ruleset index goes through the store's guard: once the circuit is open, every read and
 * write fails at once with {@link StoreUnavailableException}, without a connection to the store.
 * The "store" is a socket that counts connections and hangs up on each.
 */
class RulesetIndexGuardTest {

  @Test
  void withTheCircuitOpenRulesetCallsFailAtOnceWithoutReachingTheStore() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      AtomicInteger connections = new AtomicInteger();
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try (Socket socket = server.accept()) {
            connections.incrementAndGet(); // counted before the client can see the hang-up
          } catch (IOException e) {
            return;
          }
        }
      }, "hang-up");
      acceptor.setDaemon(true);
      acceptor.start();
      StoreSettings settings = new StoreSettings(URI.create("http://127.0.0.1:" + server.getLocalPort()), "relais",
          Duration.ofSeconds(5), Duration.ofSeconds(5));
      List<StoreUnavailableException> counted = new java.util.concurrent.CopyOnWriteArrayList<>();
      try (ElasticsearchStore store = ElasticsearchStore.connect(settings,
          new StoreGuard(4, Duration.ZERO, 1, Duration.ofMinutes(10)))) {
        RulesetIndex index = new RulesetIndex(store, new StoreCalls(store, counted::add));

        assertThatThrownBy(() -> index.pointer("leads")).isInstanceOf(StoreUnavailableException.class);
        assertThat(store.circuit()).isEqualTo(CircuitBreaker.State.OPEN);
        int reached = connections.get();
        assertThat(reached).isPositive();
        counted.clear();

        StoredVersion version = new StoredVersion("leads", 1, Map.of("a.rules", ""), List.of(), Instant.EPOCH, "ana");
        List<Executable> calls = List.of(
            () -> index.pointer("leads"),
            () -> index.pointers(),
            () -> index.version("leads", 1),
            () -> index.versions("leads"),
            () -> index.allVersions(),
            () -> index.create(version),
            () -> index.delete("leads", 1),
            () -> index.setPointer("leads", 1, Instant.EPOCH, "ana", Optional.empty()),
            index::ensureExists);
        for (Executable call : calls) {
          assertThatThrownBy(call::execute).isInstanceOf(StoreUnavailableException.class)
              .hasMessageStartingWith("The store is unavailable");
        }
        assertThat(connections.get()).isEqualTo(reached);
        assertThat(counted).hasSize(calls.size()); // each refusal counts as a store error
      }
    }
  }
}
