package io.relais.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchClientAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Relais service. Spring Boot's own Elasticsearch client configuration is switched off:
 * Relais builds its client from {@code relais.store.*} (the 9.x client, not Boot's 8.x one).
 */
@SpringBootApplication(
    exclude = {
      ElasticsearchClientAutoConfiguration.class,
      ElasticsearchRestClientAutoConfiguration.class
    })
@ConfigurationPropertiesScan
public class RelaisApplication {

  public static void main(String[] args) {
    SpringApplication.run(RelaisApplication.class, args);
  }
}
