package io.relais.engine.batch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.relais.engine.registry.RegistrySettings;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.simulation.Simulations;
import io.relais.engine.store.BulkApplier;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.EventLog;
import io.relais.engine.store.EventRecorder;
import io.relais.engine.store.EventSettings;
import io.relais.engine.store.RulesetIndex;
import io.relais.engine.store.StoreCalls;
import io.relais.engine.store.StoreIndices;
import io.relais.engine.store.StoreSettings;
import java.time.Clock;
import java.time.Duration;

/**
 * What a batch or simulation worker is made of, on one index prefix: the same for the test JVM
 * and a worker process.
 */
public final class BatchParts implements AutoCloseable {

  public final ElasticsearchStore store;
  public final StoreCalls calls = StoreCalls.uncounted();
  public final StoreIndices indices;
  public final ContactStore contacts;
  public final EventLog events;
  public final EventRecorder recorder;
  public final BulkApplier applier;
  public final RulesetRegistry registry;

  public BatchParts(StoreSettings settings) {
    store = ElasticsearchStore.connect(new StoreSettings(settings.url(), settings.indexPrefix(),
        settings.connectTimeout(), Duration.ofMinutes(1)));
    ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    indices = new StoreIndices(store, calls);
    indices.ensureAll();
    contacts = new ContactStore(store, indices, calls, json);
    events = new EventLog(store, indices, calls);
    recorder = new EventRecorder(contacts, events, Clock.systemUTC(),
        new EventSettings(50, Duration.ofMillis(50), 1_000, Duration.ofSeconds(1)));
    applier = new BulkApplier(store, indices, calls, contacts, events, recorder, json, Clock.systemUTC());
    registry = new RulesetRegistry(new RulesetIndex(store), Clock.systemUTC(), RegistrySettings.defaults());
  }

  BatchRuns runs(BatchSettings settings) {
    BatchRuns runs = new BatchRuns(store, calls, registry, applier, Clock.systemUTC(), settings);
    runs.ensureIndex();
    return runs;
  }

  /** Simulations on these parts (their index created). */
  public Simulations simulations(BatchSettings settings) {
    Simulations simulations = new Simulations(store, calls, indices, contacts, registry, Clock.systemUTC(), settings);
    simulations.ensureIndex();
    return simulations;
  }

  @Override
  public void close() {
    store.close();
  }
}
