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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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

  /** This instance's batch and simulation workers, started when the application is ready. */
  @Bean
  BatchWorkers batchWorkers(BatchRuns runs, Simulations simulations, BatchProperties properties) {
    return new BatchWorkers(List.of(runs::startWorker, simulations::startWorker), properties.worker());
  }
}
