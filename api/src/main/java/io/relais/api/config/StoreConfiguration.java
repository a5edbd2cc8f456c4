package io.relais.api.config;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.relais.engine.store.ElasticsearchStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one connection to the store that the whole service shares. */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

  @Bean(destroyMethod = "close")
  ElasticsearchStore elasticsearchStore(StoreProperties properties) {
    return ElasticsearchStore.connect(properties.toSettings());
  }

  @Bean
  ElasticsearchClient elasticsearchClient(ElasticsearchStore store) {
    return store.client();
  }
}
