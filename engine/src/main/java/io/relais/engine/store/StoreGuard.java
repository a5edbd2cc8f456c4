package io.relais.engine.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How store calls are guarded: a bound on calls in flight, so a slow store can hold only a few
 * of the service's request workers, and a circuit breaker, so that once the store is known to
 * be down calls fail at once instead of each waiting for its timeout.
 *
 * The calls in flight are shared fairly between callers (API keys, background work; {@link
 * io.relais.engine.fair.FairShare}): each gets at least its equal share while it wants it, and
 * none more than {@code maxCallsPerCaller}.
 *
 * @param maxConcurrentCalls calls to the store in flight at once; also the client's connection
 *     pool size
 * @param maxWait how long a call waits for one of those slots before it fails (fail fast)
 * @param failureThreshold consecutive failed calls that open the circuit
 * @param openDuration how long an open circuit refuses calls before one trial call may pass
 * @param maxCallsPerCaller calls in flight for one caller at once, 1 to {@code maxConcurrentCalls}
 */
public record StoreGuard(int maxConcurrentCalls, Duration maxWait, int failureThreshold, Duration openDuration,
    int maxCallsPerCaller) {

  public StoreGuard {
    Objects.requireNonNull(maxWait, "maxWait");
    Objects.requireNonNull(openDuration, "openDuration");
    if (maxConcurrentCalls < 1) {
      throw new IllegalArgumentException("max concurrent store calls must be at least 1");
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("max wait must not be negative");
    }
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failure threshold must be at least 1");
    }
    if (openDuration.isNegative() || openDuration.isZero()) {
      throw new IllegalArgumentException("open duration must be positive");
    }
    if (maxCallsPerCaller < 1 || maxCallsPerCaller > maxConcurrentCalls) {
      throw new IllegalArgumentException("max store calls per caller must be between 1 and max concurrent calls");
    }
  }

  /** A guard whose callers may each use every slot (still shared fairly when several want them). */
  public StoreGuard(int maxConcurrentCalls, Duration maxWait, int failureThreshold, Duration openDuration) {
    this(maxConcurrentCalls, maxWait, failureThreshold, openDuration, maxConcurrentCalls);
  }

  /** The default ceiling per caller: half the calls in flight (at least one). */
  public static int defaultCallsPerCaller(int maxConcurrentCalls) {
    return Math.max(1, maxConcurrentCalls / 2);
  }

  /** The defaults of {@code relais.store.*}. */
  public static StoreGuard defaults() {
    return new StoreGuard(32, Duration.ofMillis(200), 5, Duration.ofSeconds(5), defaultCallsPerCaller(32));
  }
}
