package io.relais.engine.store;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach the Elasticsearch store.
 *
 * @param urls the HTTP addresses of the cluster's nodes (or of one load balancer), for example
 *     {@code http://127.0.0.1:9200}; a node that fails is skipped and tried again later
 * @param indexPrefix prepended to every index Relais owns, so several deployments can share
 *     one cluster
 * @param connectTimeout how long to wait for a TCP connection
 * @param responseTimeout how long to wait for an answer once a request is sent
 * @param access credentials and TLS trust ({@link StoreAccess#NONE} for a local node)
 * @param sniffInterval how often the cluster's nodes are asked for (sniffing); null: never,
 *     only {@code urls} are used
 * @param replicas {@code number_of_replicas} of the indices Relais creates; null: 0 on a
 *     cluster with one data node, 1 with two or more
 * @param waitTimeout how long Elasticsearch itself lets a write of the event path wait for what
 *     it needs (an elected master, an active primary shard) before it gives the write up and
 *     answers 503: the bulk's {@code timeout}; shorter than {@code responseTimeout}, so the store
 *     answers before the client stops waiting. Null: Elasticsearch's default (1 minute), which
 *     leaves a write the client gave up on pending in the cluster, to be applied when it recovers
 * @param flushThresholdAge {@code index.translog.flush_threshold_age} of the indices Relais
 *     keeps: how long a shard's writes may stay in its translog before Elasticsearch flushes it
 *     (a Lucene commit, whose disk syncs hold the writes behind them; docs/operations.md); null:
 *     left as each index has it (the service always gives one: 10 s unless configured)
 */
public record StoreSettings(List<URI> urls, String indexPrefix, Duration connectTimeout, Duration responseTimeout,
    StoreAccess access, Duration sniffInterval, Integer replicas, Duration waitTimeout, Duration flushThresholdAge) {

  // Elasticsearch index names: lower case, no path or wildcard characters, not starting with _-+.
  private static final Pattern INDEX_PREFIX = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  public StoreSettings {
    Objects.requireNonNull(urls, "urls");
    Objects.requireNonNull(indexPrefix, "indexPrefix");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    urls = List.copyOf(urls);
    access = access == null ? StoreAccess.NONE : access;
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("the store needs at least one url");
    }
    for (URI url : urls) {
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
        throw new IllegalArgumentException("store url must be http or https: " + url);
      }
      // Credentials in a URL would be logged with it (the client names nodes in its messages).
      if (url.getUserInfo() != null) {
        throw new IllegalArgumentException(
            "store url must not hold credentials: use relais.store.username/password or api-key");
      }
    }
    if (!INDEX_PREFIX.matcher(indexPrefix).matches()) {
      throw new IllegalArgumentException(
          "index prefix must be lower-case letters, digits, - or _: " + indexPrefix);
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connect timeout must be positive");
    }
    if (responseTimeout.isNegative() || responseTimeout.isZero()) {
      throw new IllegalArgumentException("response timeout must be positive");
    }
    if (sniffInterval != null && (sniffInterval.isNegative() || sniffInterval.isZero())) {
      throw new IllegalArgumentException("sniff interval must be positive");
    }
    if (replicas != null && replicas < 0) {
      throw new IllegalArgumentException("replicas must not be negative");
    }
    if (waitTimeout != null && (waitTimeout.isNegative() || waitTimeout.isZero()
        || waitTimeout.compareTo(responseTimeout) >= 0)) {
      throw new IllegalArgumentException("wait timeout must be positive and shorter than the response timeout ("
          + responseTimeout + "): " + waitTimeout);
    }
    // Elasticsearch refuses an age under a second; refused here, the service does not start.
    if (flushThresholdAge != null && flushThresholdAge.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("flush threshold age must be at least 1s: " + flushThresholdAge);
    }
  }

  /** As the canonical constructor, with Elasticsearch's own flush threshold age. */
  public StoreSettings(List<URI> urls, String indexPrefix, Duration connectTimeout, Duration responseTimeout,
      StoreAccess access, Duration sniffInterval, Integer replicas, Duration waitTimeout) {
    this(urls, indexPrefix, connectTimeout, responseTimeout, access, sniffInterval, replicas, waitTimeout, null);
  }

  /** As the canonical constructor, with Elasticsearch's own wait (no {@code waitTimeout}). */
  public StoreSettings(List<URI> urls, String indexPrefix, Duration connectTimeout, Duration responseTimeout,
      StoreAccess access, Duration sniffInterval, Integer replicas) {
    this(urls, indexPrefix, connectTimeout, responseTimeout, access, sniffInterval, replicas, null, null);
  }

  /** One node, no credentials, default trust, no sniffing, replicas by the cluster's size. */
  public StoreSettings(URI url, String indexPrefix, Duration connectTimeout, Duration responseTimeout) {
    this(List.of(url), indexPrefix, connectTimeout, responseTimeout, StoreAccess.NONE, null, null, null, null);
  }

  /** Local defaults: the node that {@code ./run} starts. */
  public static StoreSettings local(URI url) {
    return new StoreSettings(url, "relais", Duration.ofSeconds(2), Duration.ofSeconds(10));
  }

  /** The first of {@link #urls()}. */
  public URI url() {
    return urls.get(0);
  }

  /** The full name of one of Relais' indices, such as {@code relais-contacts}. */
  public String index(String name) {
    return indexPrefix + "-" + name;
  }
}
