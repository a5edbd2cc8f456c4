package io.relais.engine.store;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import io.relais.engine.fair.Callers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The guard of {@link ElasticsearchStore#call}, without a store: the calls themselves are
 * lambdas, so what is tested is the bulkhead, the breaker and the translation of failures.
 */
class ElasticsearchStoreGuardTest {

  private static ElasticsearchStore store(StoreGuard guard) throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    StoreSettings settings = new StoreSettings(URI.create("http://127.0.0.1:" + closed), "relais",
        Duration.ofMillis(500), Duration.ofMillis(500));
    return ElasticsearchStore.connect(settings, guard);
  }

  @Test
  void anUnreachableStoreIsStoreUnavailableAndOpensTheCircuit() throws Exception {
    try (ElasticsearchStore store = store(new StoreGuard(4, Duration.ZERO, 2, Duration.ofMinutes(1)))) {
      assertThatThrownBy(store::health).isInstanceOf(StoreUnavailableException.class);
      assertThat(store.circuit()).isEqualTo(CircuitBreaker.State.CLOSED);
      assertThatThrownBy(store::health).isInstanceOf(StoreUnavailableException.class);
      assertThat(store.circuit()).isEqualTo(CircuitBreaker.State.OPEN);

      // Open: refused without running the call at all.
      boolean[] ran = {false};
      assertThatThrownBy(() -> store.call("test", () -> ran[0] = true))
          .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("unavailable");
      assertThat(ran[0]).isFalse();
      assertThat(store.retryAfter()).isGreaterThan(Duration.ofSeconds(50));
    }
  }

  @Test
  void callsBeyondTheBoundFailAtOnceInsteadOfWaiting() throws Exception {
    try (ElasticsearchStore store = store(new StoreGuard(2, Duration.ZERO, 5, Duration.ofSeconds(5)))) {
      CountDownLatch inside = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<?> first = pool.submit(() -> store.call("slow", () -> hold(inside, release)));
        Future<?> second = pool.submit(() -> store.call("slow", () -> hold(inside, release)));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> store.call("third", () -> "never"))
            .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("Too many");

        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        assertThat(store.call("after", () -> "ok")).isEqualTo("ok");
      } finally {
        release.countDown();
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aCallerHoldingItsShareDoesNotStopAnotherCallersCalls() throws Exception {
    // Four calls in flight, at most two for one caller.
    try (ElasticsearchStore store = store(new StoreGuard(4, Duration.ZERO, 5, Duration.ofSeconds(5), 2))) {
      CountDownLatch inside = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<String>> greedy = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          greedy.add(pool.submit(() -> {
            try (Callers.Scope a = Callers.as("key:a")) {
              return store.call("slow", () -> hold(inside, release));
            } catch (StoreUnavailableException e) {
              return e.getMessage();
            }
          }));
        }
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        // Two of key:a's calls are in; the other two were refused at once, the store untouched.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (greedy.stream().filter(Future::isDone).count() < 2) {
          assertThat(System.nanoTime() - deadline).as("two calls refused within 10 s").isNegative();
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // a polling interval
        }
        List<String> refused = new ArrayList<>();
        for (Future<String> call : greedy) {
          if (call.isDone()) {
            refused.add(call.get());
          }
        }
        assertThat(refused).hasSize(2).allMatch(message -> message.contains("for key:a, which has its share"));

        try (Callers.Scope b = Callers.as("key:b")) {
          assertThat(store.call("quick", () -> "ok")).isEqualTo("ok");
          assertThat(store.call("quick", () -> "ok")).isEqualTo("ok");
        }
        assertThat(store.call("background", () -> "ok")).isEqualTo("ok"); // Callers.SYSTEM
      } finally {
        release.countDown();
        pool.shutdownNow();
      }
    }
  }

  private static String hold(CountDownLatch inside, CountDownLatch release) {
    inside.countDown();
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "done";
  }

  @Test
  void answersOfTheStorePassThroughAndOverloadIsUnavailable() throws Exception {
    try (ElasticsearchStore store = store(new StoreGuard(2, Duration.ZERO, 1, Duration.ofSeconds(5)))) {
      assertThatThrownBy(() -> store.call("conflict", () -> {
        throw error(409);
      })).isInstanceOf(ElasticsearchException.class);
      assertThat(store.circuit()).isEqualTo(CircuitBreaker.State.CLOSED);

      assertThatThrownBy(() -> store.call("overloaded", () -> {
        throw error(429);
      })).isInstanceOf(StoreUnavailableException.class);
      assertThat(store.circuit()).isEqualTo(CircuitBreaker.State.OPEN);
    }
  }

  @Test
  void aBugInTheCallIsNotCountedAgainstTheStore() throws Exception {
    try (ElasticsearchStore store = store(new StoreGuard(2, Duration.ZERO, 1, Duration.ofSeconds(5)))) {
      assertThatThrownBy(() -> store.call("bug", () -> {
        throw new IllegalStateException("bug");
      })).isInstanceOf(IllegalStateException.class);

      assertThat(store.circuit()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
  }

  // Retries with a millisecond's pause: what is tested is which failures are retried.
  private static StoreGuard retrying(int attempts) {
    return new StoreGuard(4, Duration.ZERO, 5, Duration.ofSeconds(5)).withRetries(attempts, Duration.ofMillis(1),
        Duration.ofMillis(2));
  }

  @Test
  void aReadIsTriedAgainAfterATransientFailureAndSucceeds() throws Exception {
    try (ElasticsearchStore store = store(retrying(3))) {
      for (Exception transientFailure : List.<Exception>of(new java.net.ConnectException("Connection refused"),
          new org.apache.hc.core5.http.ConnectionClosedException("Connection closed by peer"), error(429), error(503))) {
        AtomicInteger attempts = new AtomicInteger();
        String answer = store.read("read", () -> {
          if (attempts.incrementAndGet() == 1) {
            throw sneaky(transientFailure);
          }
          return "ok";
        });
        assertThat(answer).as(transientFailure.toString()).isEqualTo("ok");
        assertThat(attempts).as(transientFailure.toString()).hasValue(2);
      }
      assertThat(store.circuit()).isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(store.retries().retry("store-reads").getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt())
          .isEqualTo(4);
    }
  }

  @Test
  void aReadThatKeepsFailingIsTriedAtMostTheAttemptsAndCountsOnceAgainstTheCircuit() throws Exception {
    try (ElasticsearchStore store = store(retrying(3).withThreshold(2))) {
      AtomicInteger attempts = new AtomicInteger();
      assertThatThrownBy(() -> store.read("read", () -> {
        attempts.incrementAndGet();
        throw new java.net.ConnectException("Connection refused");
      })).isInstanceOf(StoreUnavailableException.class);
      assertThat(attempts).hasValue(3);
      assertThat(store.circuit()).isEqualTo(CircuitBreaker.State.CLOSED); // one failed call of two
    }
  }

  @Test
  void writesConflictsTimeOutsAndErrorsAreNotTriedAgain() throws Exception {
    try (ElasticsearchStore store = store(retrying(3))) {
      AtomicInteger write = new AtomicInteger();
      assertThatThrownBy(() -> store.call("write", () -> {
        write.incrementAndGet();
        throw new java.net.ConnectException("Connection refused");
      })).isInstanceOf(StoreUnavailableException.class);
      assertThat(write).as("a write, even after a transient failure").hasValue(1);

      for (Exception failure : List.<Exception>of(error(409), error(404), error(500),
          new java.net.SocketTimeoutException("Read timed out"), new IllegalStateException("bug"))) {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> store.read("read", () -> {
          attempts.incrementAndGet();
          throw sneaky(failure);
        }));
        assertThat(attempts).as(failure.toString()).hasValue(1);
      }
    }
  }

  @Test
  void aReadRefusedByAFullBulkheadIsNotTriedAgainAndIsUnavailable() throws Exception {
    try (ElasticsearchStore store = store(new StoreGuard(1, Duration.ZERO, 1, Duration.ofSeconds(5))
        .withRetries(3, Duration.ofMillis(1), Duration.ofMillis(2)))) {
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<?> holder = pool.submit(() -> store.call("slow", () -> hold(inside, release)));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> store.read("read", () -> attempts.incrementAndGet()))
            .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.refused()).isTrue())
            .hasMessageContaining("Too many");
        assertThat(attempts).hasValue(0);
        assertThat(store.retries().retry("store-reads").getMetrics().getNumberOfFailedCallsWithRetryAttempt())
            .as("the refusal was not tried again").isZero();
        assertThat(store.retryAfter()).isEqualTo(Duration.ofSeconds(1)); // Retry-After: 1
        // A refusal says nothing of the store: it does not count against the circuit (threshold 1).
        assertThat(store.circuit()).isEqualTo(CircuitBreaker.State.CLOSED);

        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        assertThat(store.read("after", () -> "ok")).isEqualTo("ok");
      } finally {
        release.countDown();
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aRetryIsCountedAsAStoreErrorOncePerFailedAttempt() throws Exception {
    try (ElasticsearchStore store = store(retrying(3))) {
      List<StoreUnavailableException> counted = new java.util.concurrent.CopyOnWriteArrayList<>();
      StoreCalls calls = new StoreCalls(store, counted::add);
      AtomicInteger attempts = new AtomicInteger();
      assertThat(calls.read("read", () -> {
        if (attempts.incrementAndGet() == 1) {
          throw new java.net.ConnectException("Connection refused");
        }
        return "ok";
      })).isEqualTo("ok");
      assertThat(counted).hasSize(1);

      AtomicInteger writes = new AtomicInteger();
      assertThatThrownBy(() -> calls.run("write", () -> {
        writes.incrementAndGet();
        throw new java.net.ConnectException("Connection refused");
      })).isInstanceOf(StoreUnavailableException.class);
      assertThat(writes).hasValue(1);
    }
  }

  // Throws a checked exception from a StoreCall (whose run() declares only IOException).
  @SuppressWarnings("unchecked")
  private static <E extends Exception> RuntimeException sneaky(Exception e) throws E {
    throw (E) e;
  }

  private static ElasticsearchException error(int status) {
    return new ElasticsearchException("test", ErrorResponse.of(e -> e.status(status)
        .error(c -> c.type("test").reason("test"))));
  }
}
