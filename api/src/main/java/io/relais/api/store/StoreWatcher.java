package io.relais.api.store;

import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.StoreHealth;
import io.relais.engine.store.StoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Notices the store coming back: checks its health every interval (which also lets the circuit
 * breaker try the store again), and each time the store turns reachable after being away (and
 * once at start) runs the index-ensuring callback, so an index lost with the node's data is
 * there again without restarting the service.
 */
public final class StoreWatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(StoreWatcher.class);

  private final ElasticsearchStore store;
  private final Runnable ensureIndices;
  private final Duration interval;
  private ScheduledExecutorService timer;
  private volatile boolean ready;
  private volatile int ensured;

  public StoreWatcher(ElasticsearchStore store, Runnable ensureIndices, Duration interval) {
    this.store = store;
    this.ensureIndices = ensureIndices;
    this.interval = interval;
  }

  /** One check; public so tests can drive it without waiting for the timer. */
  public synchronized void check() {
    boolean up;
    try {
      StoreHealth health = store.health();
      up = health.isUp();
    } catch (StoreUnavailableException e) {
      up = false;
    }
    if (!up) {
      if (ready) {
        log.warn("Store unreachable at {}; calls that need it answer 503 until it is back", store.settings().url());
      }
      ready = false;
      return;
    }
    if (!ready) {
      try {
        ensureIndices.run();
        ready = true;
        ensured++;
        log.info("Store reachable; indices ensured");
      } catch (RuntimeException e) {
        log.warn("Store reachable but indices could not be ensured yet: {}", e.getMessage());
      }
    }
  }

  /** Whether the store answered the last check and its indices were ensured since. */
  public boolean ready() {
    return ready;
  }

  /** How many times the indices were ensured (once per return of the store). */
  public int timesEnsured() {
    return ensured;
  }

  @Override
  public synchronized void start() {
    timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "relais-store-watcher");
      thread.setDaemon(true);
      return thread;
    });
    // The first check before the start completes: with the store up, the indices exist by the
    // time the instance says it is ready.
    checkQuietly();
    timer.scheduleWithFixedDelay(this::checkQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      log.warn("Store check failed: {}", e.getMessage());
    }
  }

  @Override
  public synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return timer != null;
  }
}
