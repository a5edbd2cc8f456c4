package io.relais.api.config;

import io.relais.engine.store.StoreAccess;
import io.relais.engine.store.StoreGuard;
import io.relais.engine.store.StoreSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where contacts, events and rulesets are stored ({@code relais.store.*}), and how calls to it
 * are guarded.
 *
 * @param urls HTTP(S) addresses of the cluster's nodes (or of its load balancer); a node that
 *     fails is skipped and tried again later
 * @param url one address, as before {@code urls} existed (read when {@code urls} is not set)
 * @param apiKey an Elasticsearch API key (encoded); a secret: give it by environment or file
 * @param username a user of the cluster, instead of an API key
 * @param password that user's password; a secret: give it by environment or file
 * @param caCertificate PEM file of the CA that signed the nodes' HTTP certificates
 * @param caFingerprint SHA-256 fingerprint of that CA, instead of the file
 * @param sniff whether to ask the cluster for its nodes (every {@code sniffInterval} and after
 *     a failure) and use them all, rather than only {@code urls}
 * @param sniffInterval how often to ask, when sniffing
 * @param replicas {@code number_of_replicas} of the indices Relais creates (default: 0 on one
 *     data node, 1 on two or more)
 * @param flushThresholdAge {@code index.translog.flush_threshold_age} put on Relais' indices: how
 *     long writes may wait in a shard's translog before Elasticsearch flushes it (a Lucene commit
 *     whose disk syncs hold the writes behind them). Ten seconds by default, not Elasticsearch's
 *     minute: a flush syncs what was written since the last one, so frequent flushes hold the
 *     writes behind them for a shorter time (docs/operations.md "Flushes"); at least 1s
 * @param indexPrefix prefix of every index Relais owns, e.g. {@code relais} gives {@code
 *     relais-contacts}
 * @param connectTimeout how long to wait for a connection to the store
 * @param responseTimeout how long to wait for the store to answer a request
 * @param waitTimeout how long the store itself lets a write of the event path wait for an elected
 *     master or an active primary shard before it drops the write and answers 503 (the bulk's
 *     {@code timeout}); shorter than {@code responseTimeout}; unset: Elasticsearch's own (1 minute)
 * @param maxConcurrentCalls store calls in flight at once (also the connection pool size)
 * @param maxCallsPerCaller store calls in flight at once for one caller, an API key or background
 *     work (default: half of {@code maxConcurrentCalls}): each has a bulkhead of that size
 * @param maxWait how long a call waits for its caller's bulkhead, then the shared one, before it
 *     fails with 503
 * @param failureThreshold consecutive failed calls that open the circuit breaker
 * @param openDuration how long the open circuit answers 503 at once before trying the store again
 * @param retryAttempts attempts of a read (get, search) when the store fails transiently (no
 *     connection, 429, 503), the first included; 1: no retry. Writes are never retried here
 * @param retryBackoff pause before the first retry of a read; doubles at each retry, ±50 % at random
 * @param retryMaxBackoff longest pause between two attempts of a read
 * @param watchInterval how often the store's health is checked, to re-create indices when it
 *     comes back
 */
@ConfigurationProperties("relais.store")
public record StoreProperties(
    List<URI> urls,
    URI url,
    @DefaultValue("relais") String indexPrefix,
    @DefaultValue("1s") Duration connectTimeout,
    @DefaultValue("3s") Duration responseTimeout,
    Duration waitTimeout,
    @DefaultValue("32") int maxConcurrentCalls,
    Integer maxCallsPerCaller,
    @DefaultValue("200ms") Duration maxWait,
    @DefaultValue("5") int failureThreshold,
    @DefaultValue("5s") Duration openDuration,
    @DefaultValue("3") int retryAttempts,
    @DefaultValue("50ms") Duration retryBackoff,
    @DefaultValue("500ms") Duration retryMaxBackoff,
    @DefaultValue("2s") Duration watchInterval,
    String apiKey,
    String username,
    String password,
    Path caCertificate,
    String caFingerprint,
    @DefaultValue("false") boolean sniff,
    @DefaultValue("5m") Duration sniffInterval,
    Integer replicas,
    @DefaultValue("10s") Duration flushThresholdAge) {

  private static final URI LOCAL = URI.create("http://127.0.0.1:9200");

  public StoreProperties {
    if (urls != null && !urls.isEmpty() && url != null) {
      throw new IllegalArgumentException("set relais.store.urls or the older relais.store.url, not both");
    }
    if (urls == null || urls.isEmpty()) {
      urls = List.of(url != null ? url : LOCAL);
    }
    if (maxCallsPerCaller == null) {
      maxCallsPerCaller = StoreGuard.defaultCallsPerCaller(maxConcurrentCalls);
    }
  }

  /** The engine's view of these settings; validates them. */
  public StoreSettings toSettings() {
    return new StoreSettings(urls, indexPrefix, connectTimeout, responseTimeout,
        new StoreAccess(apiKey, username, password, caCertificate, caFingerprint), sniff ? sniffInterval : null,
        replicas, waitTimeout, flushThresholdAge);
  }

  /** What is configured, never the secrets (a record would print them). */
  @Override
  public String toString() {
    String credentials = apiKey != null ? "api-key" : username != null ? "user " + username : "none";
    return "StoreProperties[urls=" + urls + ", indexPrefix=" + indexPrefix + ", credentials=" + credentials + "]";
  }

  /** The guard of every store call; validates it. */
  public StoreGuard toGuard() {
    return new StoreGuard(maxConcurrentCalls, maxWait, failureThreshold, openDuration, maxCallsPerCaller,
        retryAttempts, retryBackoff, retryMaxBackoff);
  }
}
