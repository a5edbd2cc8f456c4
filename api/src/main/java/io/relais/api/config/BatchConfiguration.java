package io.relais.api.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.engine.batch.BatchRuns;
import io.relais.engine.store.BulkApplier;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.EventLog;
import io.relais.engine.store.StoreIndices;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.EventRecorder;
import io.relais.engine.store.StoreCalls;
import java.time.Clock;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** Batch runs: the service and this instance's worker, stopped with the application context. */
@Configuration(proxyBeanMethods = false)
class BatchConfiguration {

  @Bean(destroyMethod = "close")
  BatchRuns batchRuns(ElasticsearchStore store, StoreCalls calls, RulesetRegistry registry, StoreIndices indices,
      ContactStore contacts, EventLog events, EventRecorder recorder, ObjectMapper json, Clock clock,
      BatchProperties properties) {
    BulkApplier applier = new BulkApplier(store, indices, calls, contacts, events, recorder, json, clock);
    BatchRuns runs = new BatchRuns(store, calls, registry, applier, clock, properties.toSettings());
    // The runs index comes back with the others (store watcher, recovery sweep) when it is lost:
    // the worker cannot claim slices without it.
    indices.alsoEnsure(runs::ensureIndex);
    return runs;
  }

  /** Starts the worker once the application is ready (the store's indices exist by then). */
  @Bean
  BatchWorkerStarter batchWorkerStarter(BatchRuns runs, BatchProperties properties) {
    return new BatchWorkerStarter(runs, properties.worker());
  }

  /** Starts this instance's batch worker when the application is ready. */
  static final class BatchWorkerStarter {
    private final BatchRuns runs;
    private final boolean enabled;

    BatchWorkerStarter(BatchRuns runs, boolean enabled) {
      this.runs = runs;
      this.enabled = enabled;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
      if (enabled) {
        try {
          runs.startWorker();
        } catch (RuntimeException e) {
          // The store may be down at start; the worker is started again on the first run created.
          org.slf4j.LoggerFactory.getLogger(BatchRuns.class).warn("Batch worker not started: {}", e.toString());
        }
      }
    }
  }
}
