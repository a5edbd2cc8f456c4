package io.relais.api.config;

import io.relais.engine.batch.BatchRuns;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Starts this instance's batch and simulation workers, unless {@code relais.batch.worker} is
 * off: when the application is ready, and again when a run or a simulation is created here (the
 * store may have been down at start). An instance with the switch off creates runs and answers
 * their status, and never works their slices.
 */
public final class BatchWorkers {

  private final List<Runnable> workers;
  private final boolean enabled;

  BatchWorkers(List<Runnable> workers, boolean enabled) {
    this.workers = List.copyOf(workers);
    this.enabled = enabled;
  }

  @EventListener(ApplicationReadyEvent.class)
  void onReady() {
    if (!enabled) {
      return;
    }
    for (Runnable worker : workers) {
      try {
        worker.run();
      } catch (RuntimeException e) {
        // The store may be down at start; the workers are started again on the first run created.
        LoggerFactory.getLogger(BatchRuns.class).warn("Worker not started: {}", e.toString());
      }
    }
  }

  /** Starts the workers that are not running yet, if this instance works slices (idempotent). */
  public void ensureStarted() {
    if (enabled) {
      workers.forEach(Runnable::run);
    }
  }
}
