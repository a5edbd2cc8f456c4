package io.relais.engine.store;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The store calls' circuit breaker, a Resilience4j {@link CircuitBreaker} set to what Relais
 * needs: {@code failureThreshold} consecutive failures open it (a count window of that many
 * calls, all failed); while open, every call is refused at once; after {@code openDuration} one
 * trial call passes (half open), and its outcome closes the circuit again or reopens it. This
 * class adds the time left until the trial ({@link #retryAfter()}, for {@code Retry-After}) and
 * a clock that tests drive.
 */
public final class StoreCircuit {

  // What the breaker records for a failure: the outcome is decided by the caller.
  private static final Throwable FAILURE = new StoreUnavailableException("store call failed", null);

  private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
  private final CircuitBreaker breaker;
  private final long openNanos;
  private final LongSupplier nanoTime;
  private volatile long openedAt;

  public StoreCircuit(int failureThreshold, Duration openDuration, LongSupplier nanoTime) {
    this.openNanos = openDuration.toNanos();
    this.nanoTime = nanoTime;
    this.breaker = registry.circuitBreaker("store", CircuitBreakerConfig.custom()
        .slidingWindow(failureThreshold, failureThreshold, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .failureRateThreshold(100)
        .permittedNumberOfCallsInHalfOpenState(1)
        // The breaker lets the trial through strictly after the wait; Relais' contract (and
        // Retry-After) is "once openDuration has passed", hence one nanosecond less.
        .waitDurationInOpenState(openDuration.toMillis() >= 2 ? openDuration.minusNanos(1) : openDuration)
        .clock(new NanoClock(nanoTime))
        .build());
    breaker.getEventPublisher().onStateTransition(event -> {
      if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
        openedAt = nanoTime.getAsLong();
      }
    });
  }

  /** Whether a call may go to the store now; a call allowed while half open is the trial. */
  public boolean tryAcquire() {
    return breaker.tryAcquirePermission();
  }

  /** The store answered. */
  public void onSuccess() {
    breaker.onSuccess(0, TimeUnit.NANOSECONDS);
  }

  /** The store did not answer (unreachable, timed out, overloaded). */
  public void onFailure() {
    breaker.onError(0, TimeUnit.NANOSECONDS, FAILURE);
  }

  /** The call ended without telling whether the store is up: its permission (a trial's) is given back. */
  public void onNeither() {
    breaker.releasePermission();
  }

  /** Where the breaker stands: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}. */
  public CircuitBreaker.State state() {
    return breaker.getState();
  }

  /** The Resilience4j breaker itself (its metrics and events). */
  public CircuitBreaker breaker() {
    return breaker;
  }

  /** The registry that holds the breaker, for binding its metrics. */
  public CircuitBreakerRegistry registry() {
    return registry;
  }

  /** How long until a call may pass again: zero unless open. */
  public Duration retryAfter() {
    if (breaker.getState() != CircuitBreaker.State.OPEN) {
      return Duration.ZERO;
    }
    long left = openNanos - (nanoTime.getAsLong() - openedAt);
    return Duration.ofNanos(Math.max(0, left));
  }

  // The breaker's clock from a nano-time source, so tests move time by hand.
  private static final class NanoClock extends Clock {
    private final LongSupplier nanoTime;

    NanoClock(LongSupplier nanoTime) {
      this.nanoTime = nanoTime;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.EPOCH.plusNanos(nanoTime.getAsLong());
    }

    @Override
    public long millis() {
      return Math.floorDiv(nanoTime.getAsLong(), 1_000_000L);
    }
  }
}
