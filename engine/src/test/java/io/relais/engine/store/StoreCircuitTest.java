package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StoreCircuitTest {

  private final AtomicLong now = new AtomicLong();
  private final StoreCircuit breaker = new StoreCircuit(3, Duration.ofSeconds(5), now::get);

  @Test
  void opensAfterTheThresholdOfConsecutiveFailures() {
    breaker.onFailure();
    breaker.onFailure();
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onFailure();

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(breaker.retryAfter()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aSuccessResetsTheCount() {
    breaker.onFailure();
    breaker.onFailure();
    breaker.onSuccess();
    breaker.onFailure();
    breaker.onFailure();

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void afterTheOpenDurationOneTrialPassesAndDecides() {
    open();
    now.addAndGet(Duration.ofSeconds(4).toNanos());
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(breaker.retryAfter()).isEqualTo(Duration.ofSeconds(1));

    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(breaker.tryAcquire()).as("only one trial at a time").isFalse();

    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void aFailedTrialOpensTheCircuitForAnotherPeriod() {
    open();
    now.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(breaker.tryAcquire()).isTrue();

    breaker.onFailure();

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(breaker.retryAfter()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aTrialWithoutVerdictLetsTheNextCallTry() {
    open();
    now.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(breaker.tryAcquire()).isTrue();

    breaker.onNeither();

    assertThat(breaker.tryAcquire()).isTrue();
  }

  private void open() {
    breaker.onFailure();
    breaker.onFailure();
    breaker.onFailure();
  }
}
