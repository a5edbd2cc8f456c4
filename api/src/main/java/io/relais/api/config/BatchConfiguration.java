package io.relais.api.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.engine.batch.BatchRuns;
import io.relais.engine.simulation.Simulations;
import io.relais.engine.store.BulkApplier;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.EventLog;
import io.relais.engine.store.StoreIndices;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.EventRecorder;
import io.relais.engine.store.StoreCalls;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Batch runs and simulations (which run on the batch-run protocol and its {@code relais.batch.*}
 * settings): the services and this instance's workers, stopped with the application context.
 */
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

  @Bean(destroyMethod = "close")
  Simulations simulations(ElasticsearchStore store, StoreCalls calls, StoreIndices indices, ContactStore contacts,
      RulesetRegistry registry, Clock clock, BatchProperties properties) {
    Simulations simulations = new Simulations(store, calls, indices, contacts, registry, clock,
        properties.toSettings());
    indices.alsoEnsure(simulations::ensureIndex);
    return simulations;
  }

  /** Starts the workers once the application is ready (the store's indices exist by then). */
  @Bean
  BatchWorkerStarter batchWorkerStarter(BatchRuns runs, Simulations simulations, BatchProperties properties) {
    return new BatchWorkerStarter(List.of(runs::startWorker, simulations::startWorker), properties.worker());
  }

  /** Starts this instance's batch and simulation workers when the application is ready. */
  static final class BatchWorkerStarter {
    private final List<Runnable> workers;
    private final boolean enabled;

    BatchWorkerStarter(List<Runnable> workers, boolean enabled) {
      this.workers = workers;
      this.enabled = enabled;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
      if (enabled) {
        for (Runnable worker : workers) {
          try {
            worker.run();
          } catch (RuntimeException e) {
            // The store may be down at start; a worker is started again on the first run created.
            org.slf4j.LoggerFactory.getLogger(BatchRuns.class).warn("Worker not started: {}", e.toString());
          }
        }
      }
    }
  }
}
