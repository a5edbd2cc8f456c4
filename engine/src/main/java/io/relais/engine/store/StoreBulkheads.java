package io.relais.engine.store;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.relais.engine.fair.Callers;

/**
 * The bound on store calls in flight, as Resilience4j semaphore {@link Bulkhead}s: one shared
 * by every caller, of {@link StoreGuard#maxConcurrentCalls()}, and one per caller ({@link
 * Callers#current()}: an API key, or a kind of background work), of {@link
 * StoreGuard#maxCallsPerCaller()}. A call takes its caller's permit first, so a caller at its
 * ceiling never queues for the shared bulkhead: one busy caller leaves the rest of the shared
 * permits to the others, and a newcomer waits behind no more of its calls. Both bulkheads are
 * fair (first come, first served) and wait at most {@link StoreGuard#maxWait()}.
 */
final class StoreBulkheads {

  /** The name of the shared bulkhead (and its metrics' tag); the callers' bulkheads carry theirs. */
  static final String SHARED = "store";

  // The shared bulkhead and the callers' (the registry's default configuration), so that one
  // binding of the registry's metrics (resilience4j-micrometer) covers them all.
  private final BulkheadRegistry registry;
  private final Bulkhead shared;
  private final boolean perCaller; // false when a caller may use every permit anyway

  StoreBulkheads(StoreGuard guard) {
    this.registry = BulkheadRegistry.of(config(guard.maxCallsPerCaller(), guard));
    this.shared = registry.bulkhead(SHARED, config(guard.maxConcurrentCalls(), guard));
    this.perCaller = guard.maxCallsPerCaller() < guard.maxConcurrentCalls();
  }

  private static BulkheadConfig config(int permits, StoreGuard guard) {
    return BulkheadConfig.custom()
        .maxConcurrentCalls(permits)
        .maxWaitDuration(guard.maxWait())
        .fairCallHandlingStrategyEnabled(true)
        .build();
  }

  /**
   * The permits of one call for the current caller, to {@link Permit#close() close} when the call
   * is over.
   *
   * @throws StoreUnavailableException (refused) when a bulkhead stayed full for {@code maxWait}
   */
  Permit acquire(String what) {
    String caller = Callers.current();
    Bulkhead own = perCaller ? registry.bulkhead(caller) : null;
    if (own != null && !own.tryAcquirePermission()) {
      throw StoreUnavailableException.refused("Too many calls to the store in flight for " + caller
          + ", which has its share (" + what + ").", null);
    }
    if (!shared.tryAcquirePermission()) {
      if (own != null) {
        own.releasePermission();
      }
      throw StoreUnavailableException.refused("Too many calls to the store in flight (" + what + ").", null);
    }
    return new Permit(own);
  }

  /** The shared bulkhead ({@value #SHARED}) and one per caller seen (their metrics). */
  BulkheadRegistry registry() {
    return registry;
  }

  /** The permits one call holds; closing it returns them. */
  final class Permit implements AutoCloseable {
    private final Bulkhead own;

    private Permit(Bulkhead own) {
      this.own = own;
    }

    @Override
    public void close() {
      shared.onComplete();
      if (own != null) {
        own.onComplete();
      }
    }
  }
}
