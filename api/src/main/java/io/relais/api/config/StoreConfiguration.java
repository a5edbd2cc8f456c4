package io.relais.api.config;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
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
