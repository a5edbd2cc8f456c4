package io.relais.engine.store;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.apache.hc.core5.util.Timeout;

/** A connection to the Elasticsearch store through the official Java client. */
public final class ElasticsearchStore implements AutoCloseable {

  /** Connections to the store at most (one node or all together): the web server's 200 threads. */
  static final int MAX_CONNECTIONS = 200;

  private final StoreSettings settings;
  private final Rest5Client restClient;
  private final ElasticsearchClient client;

  private ElasticsearchStore(StoreSettings settings, Rest5Client restClient) {
    this.settings = settings;
    this.restClient = restClient;
    this.client = new ElasticsearchClient(new Rest5ClientTransport(restClient, mapper()));
  }

  /** Opens a connection; nothing is sent until the first request. */
  public static ElasticsearchStore connect(StoreSettings settings) {
    Rest5Client rest =
        Rest5Client.builder(settings.url())
            .setRequestConfigCallback(
                config ->
                    config
                        .setConnectionRequestTimeout(
                            Timeout.ofMilliseconds(settings.connectTimeout().toMillis()))
                        .setResponseTimeout(
                            Timeout.ofMilliseconds(settings.responseTimeout().toMillis())))
            .setConnectionConfigCallback(
                config ->
                    config
                        .setConnectTimeout(
                            Timeout.ofMilliseconds(settings.connectTimeout().toMillis()))
                        .setSocketTimeout(
                            Timeout.ofMilliseconds(settings.responseTimeout().toMillis())))
            // The client's default is 10 connections to a node: fewer than the web server's
            // threads, so concurrent events queued for a connection and timed out under load.
            .setConnectionManagerCallback(
                pool -> pool.setMaxConnPerRoute(MAX_CONNECTIONS).setMaxConnTotal(MAX_CONNECTIONS))
            .build();
    return new ElasticsearchStore(settings, rest);
  }

  // Java time as ISO-8601 strings, and unknown fields tolerated so older code reads newer docs.
  private static JacksonJsonpMapper mapper() {
    ObjectMapper json =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    return new JacksonJsonpMapper(json);
  }

  public ElasticsearchClient client() {
    return client;
  }

  public StoreSettings settings() {
    return settings;
  }

  /**
   * Cluster health. The node answers {@code GET /} with 405, so the client's {@code ping()}
   * and {@code info()} cannot tell liveness: cluster health can.
   */
  public StoreHealth health() {
    try {
      HealthResponse health = client.cluster().health();
      return new StoreHealth(
          health.clusterName(),
          health.status().jsonValue().toLowerCase(Locale.ROOT),
          health.numberOfNodes());
    } catch (IOException e) {
      throw new UncheckedIOException("store unreachable at " + settings.url(), e);
    }
  }

  @Override
  public void close() {
    try {
      restClient.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
