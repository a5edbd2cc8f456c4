package io.relais.engine.batch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.relais.engine.registry.RegistrySettings;
import io.relais.engine.registry.RulesetRegistry;
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

/** What a batch worker is made of, on one index prefix: the same for the test JVM and a worker process. */
final class BatchParts implements AutoCloseable {

  final ElasticsearchStore store;
  final StoreCalls calls = StoreCalls.uncounted();
  final StoreIndices indices;
  final ContactStore contacts;
  final EventLog events;
  final EventRecorder recorder;
  final BulkApplier applier;
  final RulesetRegistry registry;

  BatchParts(StoreSettings settings) {
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

  @Override
  public void close() {
    store.close();
  }
}
