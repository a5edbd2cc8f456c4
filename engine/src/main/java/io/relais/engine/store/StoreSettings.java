package io.relais.engine.store;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach the Elasticsearch store.
 *
 * @param url the node's HTTP address, for example {@code http://127.0.0.1:9200}
 * @param indexPrefix prepended to every index Relais owns, so several deployments can share
 *     one cluster
 * @param connectTimeout how long to wait for a TCP connection
 * @param responseTimeout how long to wait for an answer once a request is sent
 */
public record StoreSettings(
    URI url, String indexPrefix, Duration connectTimeout, Duration responseTimeout) {

  // Elasticsearch index names: lower case, no path or wildcard characters, not starting with _-+.
  private static final Pattern INDEX_PREFIX = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  public StoreSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(indexPrefix, "indexPrefix");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException("store url must be http or https: " + url);
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
  }

  /** Local defaults: the node that {@code ./run} starts. */
  public static StoreSettings local(URI url) {
    return new StoreSettings(url, "relais", Duration.ofSeconds(2), Duration.ofSeconds(10));
  }

  /** The full name of one of Relais' indices, such as {@code relais-contacts}. */
  public String index(String name) {
    return indexPrefix + "-" + name;
  }
}
