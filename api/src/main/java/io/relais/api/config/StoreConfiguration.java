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

  @Bean(destroyMethod = "close")
  ElasticsearchStore elasticsearchStore(StoreProperties properties) {
    return ElasticsearchStore.connect(properties.toSettings(), properties.toGuard());
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
