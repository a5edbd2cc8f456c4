package io.relais.engine.store;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A small circuit breaker: {@code failureThreshold} consecutive failures open it; while open,
 * every call is refused at once; after {@code openDuration} one trial call passes (half open),
 * and its outcome closes the circuit again or reopens it. Resilience4j would do the same with
 * sliding windows and a registry; this is the one behaviour Relais needs, in a class that
 * tests drive with their own clock.
 */
public final class CircuitBreaker {

  /** Where the breaker stands. */
  public enum State {
    /** Calls pass. */
    CLOSED,
    /** Calls are refused until the open duration has passed. */
    OPEN,
    /** One trial call is in flight; others are refused. */
    HALF_OPEN
  }

  private final int failureThreshold;
  private final long openNanos;
  private final LongSupplier nanoTime;

  private State state = State.CLOSED;
  private int failures;
  private long openedAt;

  public CircuitBreaker(int failureThreshold, Duration openDuration, LongSupplier nanoTime) {
    this.failureThreshold = failureThreshold;
    this.openNanos = openDuration.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Whether a call may go to the store now; a call allowed while half open is the trial. */
  public synchronized boolean tryAcquire() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (nanoTime.getAsLong() - openedAt >= openNanos) {
          state = State.HALF_OPEN;
          return true;
        }
        return false;
      default:
        return false; // a trial is already in flight
    }
  }

  /** The store answered. */
  public synchronized void onSuccess() {
    failures = 0;
    state = State.CLOSED;
  }

  /** The store did not answer (unreachable, timed out, overloaded). */
  public synchronized void onFailure() {
    failures++;
    if (state == State.HALF_OPEN || failures >= failureThreshold) {
      state = State.OPEN;
      openedAt = nanoTime.getAsLong();
    }
  }

  /** The call ended without telling whether the store is up (a bug in the caller's code). */
  public synchronized void onNeither() {
    if (state == State.HALF_OPEN) {
      state = State.OPEN; // not a verdict: the next call may be the trial again
    }
  }

  public synchronized State state() {
    return state;
  }

  /** How long until a call may pass again: zero unless open. */
  public synchronized Duration retryAfter() {
    if (state != State.OPEN) {
      return Duration.ZERO;
    }
    long left = openNanos - (nanoTime.getAsLong() - openedAt);
    return Duration.ofNanos(Math.max(0, left));
  }
}
