package io.relais.api.config;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.relais.api.store.StoreWatcher;
import io.relais.engine.registry.RulesetStore;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.StoreIndices;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one connection to the store that the whole service shares. */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

  /**
   * The connection, checked once: a store that refuses the credentials or whose certificate is
   * not trusted stops the start with a message saying so ({@link StoreAccessFailureAnalyzer}); a
   * store that does not answer yet does not (the watcher ensures the indices when it comes).
   */
  @Bean(destroyMethod = "close")
  ElasticsearchStore elasticsearchStore(StoreProperties properties) {
    ElasticsearchStore store = ElasticsearchStore.connect(properties.toSettings(), properties.toGuard());
    try {
      store.checkAccess();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  /**
   * The store guard's Resilience4j metrics on {@code /actuator/prometheus}: the bulkheads'
   * ({@code resilience4j_bulkhead_*}, tag {@code name}: {@code store} or a caller), the retry of
   * reads' ({@code resilience4j_retry_calls}) and the circuit breaker's ({@code
   * resilience4j_circuitbreaker_*}), as resilience4j-micrometer names them.
   */
  @Bean
  MeterBinder storeGuardMetrics(ElasticsearchStore store) {
    return registry -> {
      TaggedBulkheadMetrics.ofBulkheadRegistry(store.bulkheads()).bindTo(registry);
      TaggedRetryMetrics.ofRetryRegistry(store.retries()).bindTo(registry);
      TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(store.circuitBreakers()).bindTo(registry);
    };
  }

  @Bean
  ElasticsearchClient elasticsearchClient(ElasticsearchStore store) {
    return store.client();
  }

  /** Re-creates Relais' indices whenever the store is (again) reachable. */
  @Bean
  StoreWatcher storeWatcher(ElasticsearchStore store, StoreIndices indices, RulesetStore rulesets,
      StoreProperties properties) {
    return new StoreWatcher(store, () -> {
      indices.ensureAll();
      rulesets.ensureExists();
    }, properties.watchInterval());
  }
}
