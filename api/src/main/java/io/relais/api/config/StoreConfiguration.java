package io.relais.api.config;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.relais.api.store.StoreWatcher;
import io.relais.engine.store.ContactIndex;
import io.relais.engine.store.ElasticsearchStore;
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
  StoreWatcher storeWatcher(ElasticsearchStore store, StoreProperties properties) {
    ContactIndex contacts = new ContactIndex(store);
    return new StoreWatcher(store, () -> store.call("ensure indices", () -> {
      contacts.ensureExists();
      return null;
    }), properties.watchInterval());
  }
}
