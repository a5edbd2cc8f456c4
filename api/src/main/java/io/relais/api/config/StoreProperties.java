package io.relais.api.config;

import io.relais.engine.store.StoreSettings;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where contacts, events and rulesets are stored ({@code relais.store.*}).
 *
 * @param url HTTP address of an Elasticsearch node or load balancer
 * @param indexPrefix prefix of every index Relais owns, e.g. {@code relais} gives {@code
 *     relais-contacts}
 * @param connectTimeout how long to wait for a connection to the store
 * @param responseTimeout how long to wait for the store to answer a request
 */
@ConfigurationProperties("relais.store")
public record StoreProperties(
    @DefaultValue("http://127.0.0.1:9200") URI url,
    @DefaultValue("relais") String indexPrefix,
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue("10s") Duration responseTimeout) {

  /** The engine's view of these settings; validates them. */
  public StoreSettings toSettings() {
    return new StoreSettings(url, indexPrefix, connectTimeout, responseTimeout);
  }
}
