package io.relais.engine.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How store calls are guarded (with Resilience4j, see {@link ElasticsearchStore#call}): a
 * bulkhead bounds the calls in flight, so a slow store can hold only a few of the service's
 * request workers; a circuit breaker makes calls fail at once once the store is known to be
 * down, instead of each waiting for its timeout; and reads, which are idempotent, are retried
 * after a transient failure (no connection, 429, 503) with a growing, randomised pause.
 *
 * The calls in flight are shared between callers (API keys, background work; {@link
 * io.relais.engine.fair.Callers}): each has a bulkhead of its own of {@code maxCallsPerCaller}
 * calls, so one caller alone always leaves {@code maxConcurrentCalls - maxCallsPerCaller} for the
 * others, and callers waiting for the shared bulkhead are served in the order they came.
 *
 * @param maxConcurrentCalls calls to the store in flight at once; also the client's connection
 *     pool size
 * @param maxWait how long a call waits for its caller's bulkhead, and then for the shared one,
 *     before it fails (fail fast)
 * @param failureThreshold consecutive failed calls that open the circuit
 * @param openDuration how long an open circuit refuses calls before one trial call may pass
 * @param maxCallsPerCaller calls in flight for one caller at once, 1 to {@code maxConcurrentCalls}
 * @param retryAttempts attempts of a read, the first included, when the store fails transiently
 *     (1: never retried)
 * @param retryBackoff the pause before the first retry; each next pause doubles, and every
 *     pause is randomised by ±50 % so that instances do not retry in step
 * @param retryMaxBackoff the longest pause between two attempts
 */
public record StoreGuard(int maxConcurrentCalls, Duration maxWait, int failureThreshold, Duration openDuration,
    int maxCallsPerCaller, int retryAttempts, Duration retryBackoff, Duration retryMaxBackoff) {

  /** Attempts of a read by default: the first and two retries. */
  public static final int DEFAULT_RETRY_ATTEMPTS = 3;
  /** The pause before the first retry by default. */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(50);
  /** The longest pause between two attempts by default. */
  public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofMillis(500);

  public StoreGuard {
    Objects.requireNonNull(maxWait, "maxWait");
    Objects.requireNonNull(openDuration, "openDuration");
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    Objects.requireNonNull(retryMaxBackoff, "retryMaxBackoff");
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
    if (retryAttempts < 1) {
      throw new IllegalArgumentException("store retry attempts must be at least 1 (1: no retry)");
    }
    // Resilience4j needs at least a millisecond between attempts.
    if (retryBackoff.toMillis() < 1) {
      throw new IllegalArgumentException("store retry backoff must be at least 1ms");
    }
    if (retryMaxBackoff.compareTo(retryBackoff) < 0) {
      throw new IllegalArgumentException("store retry max backoff must not be shorter than the retry backoff");
    }
  }

  /** A guard with the default retries. */
  public StoreGuard(int maxConcurrentCalls, Duration maxWait, int failureThreshold, Duration openDuration,
      int maxCallsPerCaller) {
    this(maxConcurrentCalls, maxWait, failureThreshold, openDuration, maxCallsPerCaller,
        DEFAULT_RETRY_ATTEMPTS, DEFAULT_RETRY_BACKOFF, DEFAULT_RETRY_MAX_BACKOFF);
  }

  /** A guard whose callers may each use every slot, with the default retries. */
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

  /** This guard with another failure threshold (tests). */
  public StoreGuard withThreshold(int threshold) {
    return new StoreGuard(maxConcurrentCalls, maxWait, threshold, openDuration, maxCallsPerCaller,
        retryAttempts, retryBackoff, retryMaxBackoff);
  }

  /** This guard with other retries (tests and tools). */
  public StoreGuard withRetries(int attempts, Duration backoff, Duration maxBackoff) {
    return new StoreGuard(maxConcurrentCalls, maxWait, failureThreshold, openDuration, maxCallsPerCaller,
        attempts, backoff, maxBackoff);
  }
}
