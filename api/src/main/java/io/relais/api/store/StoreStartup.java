package io.relais.api.store;

import io.relais.api.config.EventsProperties;
import io.relais.engine.store.ContactMerges;
import io.relais.engine.store.EventRecorder;
import io.relais.engine.store.StoreIndices;
import io.relais.engine.store.StoreUnavailableException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * At start, creates the missing indices and finishes event recordings a crashed instance left;
 * then looks for such leftovers every {@code relais.events.recovery-interval}.
 */
@Component
@Order(StoreStartup.ORDER)
public class StoreStartup implements ApplicationRunner, DisposableBean {

  /** Runs before the other start-up tasks that need the indices. */
  public static final int ORDER = 0;

  private static final Logger log = LoggerFactory.getLogger(StoreStartup.class);

  private final StoreIndices indices;
  private final EventRecorder recorder;
  /** Merges a crash interrupted are finished with the sweep (docs/store.md "Identity merge"). */
  private final ContactMerges merges;
  private final EventsProperties events;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "relais-recovery");
    thread.setDaemon(true);
    return thread;
  });

  public StoreStartup(StoreIndices indices, EventRecorder recorder, ContactMerges merges, EventsProperties events) {
    this.indices = indices;
    this.recorder = recorder;
    this.merges = merges;
    this.events = events;
  }

  @Override
  public void run(ApplicationArguments args) {
    try {
      indices.ensureAll();
    } catch (StoreUnavailableException e) {
      log.warn("The store is unreachable at start; indices will be created when it answers: {}", e.getMessage());
    }
    long every = Math.max(1, events.recoveryInterval().toMillis());
    scheduler.scheduleWithFixedDelay(this::recover, 0, every, TimeUnit.MILLISECONDS);
  }

  private void recover() {
    try {
      indices.ensureAll();
      recorder.recover();
      merges.recover();
    } catch (RuntimeException e) {
      // Logged and tried again at the next tick: the sweep must survive an unreachable store.
      log.warn("Recovery sweep failed: {}", e.getMessage());
    }
  }

  @Override
  public void destroy() {
    scheduler.shutdownNow();
  }
}
