package io.relais.engine.store;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.relais.engine.fair.Callers;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import co.elastic.clients.transport.rest5_client.low_level.Node;
import co.elastic.clients.transport.rest5_client.low_level.NodeSelector;
import co.elastic.clients.transport.rest5_client.low_level.ResponseException;
import co.elastic.clients.transport.rest5_client.low_level.Rest5ClientBuilder;
import co.elastic.clients.transport.rest5_client.low_level.sniffer.ElasticsearchNodesSniffer;
import co.elastic.clients.transport.rest5_client.low_level.sniffer.SniffOnFailureListener;
import co.elastic.clients.transport.rest5_client.low_level.sniffer.Sniffer;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to the Elasticsearch store through the official Java client. Every request
 * should go through {@link #call} (or {@link #read}, which retries): Resilience4j bulkheads
 * bound the calls in flight, a circuit breaker fails them fast while the store is down, and "the
 * store did not answer" becomes {@link StoreUnavailableException}.
 */
public final class ElasticsearchStore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ElasticsearchStore.class);

  private final StoreSettings settings;
  private final Rest5Client restClient;
  private final ElasticsearchClient client;
  private final StoreWire wire;
  private final StoreGuard guard;
  private final StoreBulkheads bulkheads;
  private final RetryRegistry retries;
  private final Retry retry;
  private final StoreCircuit breaker;
  private final Sniffer sniffer; // null unless sniffing
  private final OneNodeWrites nodes;

  private ElasticsearchStore(StoreSettings settings, StoreGuard guard, Rest5Client restClient, Sniffer sniffer,
      OneNodeWrites nodes) {
    this.settings = settings;
    this.nodes = nodes;
    this.sniffer = sniffer;
    this.guard = guard;
    this.restClient = restClient;
    ObjectMapper json = mapper();
    this.client = new ElasticsearchClient(new Rest5ClientTransport(restClient, new JacksonJsonpMapper(json)));
    this.wire = new StoreWire(restClient, json, settings.waitTimeout());
    this.bulkheads = new StoreBulkheads(guard);
    this.retries = RetryRegistry.ofDefaults();
    this.retry = retries.retry("store-reads", RetryConfig.custom()
        .maxAttempts(guard.retryAttempts())
        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(guard.retryBackoff(), 2, 0.5,
            guard.retryMaxBackoff()))
        .retryOnException(ElasticsearchStore::isTransient)
        .build());
    this.breaker = new StoreCircuit(guard.failureThreshold(), guard.openDuration(), System::nanoTime);
  }

  /** Opens a connection with the default guard; nothing is sent until the first request. */
  public static ElasticsearchStore connect(StoreSettings settings) {
    return connect(settings, StoreGuard.defaults());
  }

  /**
   * Opens a connection to every node of {@link StoreSettings#urls()}, with the credentials and
   * TLS trust of {@link StoreSettings#access()}; nothing is sent until the first request. The
   * low-level client sends each request to the next live node in turn: a node that fails (no
   * connection, a time-out, a 502/503/504) is marked dead, a read goes to the next one (a
   * write, sent by {@link #call}, does not: {@link OneNodeWrites}), and the dead node is tried again after a back-off (1 minute, doubling up to 30). With
   * {@link StoreSettings#sniffInterval()} the cluster's nodes are asked for at that interval and
   * after a failure, so nodes added later are used too.
   */
  public static ElasticsearchStore connect(StoreSettings settings, StoreGuard guard) {
    Timeout connect = Timeout.ofMilliseconds(settings.connectTimeout().toMillis());
    Timeout response = Timeout.ofMilliseconds(settings.responseTimeout().toMillis());
    SniffOnFailureListener sniffOnFailure = new SniffOnFailureListener();
    boolean sniffing = settings.sniffInterval() != null;
    // Sniffed nodes carry their roles: a dedicated master serves no data requests.
    OneNodeWrites nodes = new OneNodeWrites(sniffing ? NodeSelector.SKIP_DEDICATED_MASTERS : NodeSelector.ANY);
    Rest5ClientBuilder builder =
        Rest5Client.builder(settings.urls())
            // The pool has one connection per allowed call, so no call waits for a connection.
            .setConnectionManagerCallback(
                pool ->
                    pool.setMaxConnPerRoute(guard.maxConcurrentCalls())
                        .setMaxConnTotal(guard.maxConcurrentCalls()))
            .setRequestConfigCallback(
                config -> config.setConnectionRequestTimeout(connect).setResponseTimeout(response))
            .setConnectionConfigCallback(
                config -> config.setConnectTimeout(connect).setSocketTimeout(response))
            // The HTTP client's own retries are off: it would send a 503-answered request again,
            // a write included, to the same node. Reads are retried by Relais (read), writes by
            // their protocol, which alone knows when that is safe (OneNodeWrites).
            .setHttpClientConfigCallback(HttpAsyncClientBuilder::disableAutomaticRetries)
            .setNodeSelector(nodes)
            .setFailureListener(new Rest5Client.FailureListener() {
              @Override
              public void onFailure(Node node) {
                // The node's address only: settings refuse URLs that hold credentials.
                log.warn("Store node {} failed; skipped until it answers again", node.getHost());
                if (sniffing) {
                  sniffOnFailure.onFailure(node);
                }
              }
            });
    settings.access().authorization().ifPresent(value ->
        builder.setDefaultHeaders(new Header[] {new BasicHeader(HttpHeaders.AUTHORIZATION, value)}));
    settings.access().sslContext().ifPresent(builder::setSSLContext);
    Rest5Client rest = builder.build();
    Sniffer sniffer = null;
    if (sniffing) {
      boolean https = "https".equals(settings.url().getScheme());
      sniffer = Sniffer.builder(rest)
          .setSniffIntervalMillis((int) Math.min(Integer.MAX_VALUE, settings.sniffInterval().toMillis()))
          .setNodesSniffer(new ElasticsearchNodesSniffer(rest, settings.responseTimeout().toMillis(),
              https ? ElasticsearchNodesSniffer.Scheme.HTTPS : ElasticsearchNodesSniffer.Scheme.HTTP))
          .build();
      sniffOnFailure.setSniffer(sniffer);
    }
    return new ElasticsearchStore(settings, guard, rest, sniffer, nodes);
  }

  /**
   * The mapper of stored documents: Java time as ISO-8601 strings, and unknown fields tolerated
   * so older code reads newer documents.
   */
  public static ObjectMapper mapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /**
   * Puts an index's dynamic settings given as JSON text, through the low-level client: the typed
   * one cannot send a {@code null}, which resets a setting to its default. Call it through
   * {@link #call} or {@link StoreCalls}; an answer other than 2xx throws an {@link IOException}.
   */
  public void putSettings(String index, String json) throws IOException {
    Request request = new Request("PUT", "/" + index + "/_settings");
    request.setJsonEntity(json);
    restClient.performRequest(request);
  }

  /** The raw client; prefer {@code call(what, () -> client().…)} so faults are guarded. */
  public ElasticsearchClient client() {
    return client;
  }

  /** The event path's {@code _mget} and {@code _bulk}, without the typed client's object model. */
  StoreWire wire() {
    return wire;
  }

  public StoreSettings settings() {
    return settings;
  }

  public StoreGuard guard() {
    return guard;
  }

  /**
   * Runs one store request under the guard, once, to one node ({@link OneNodeWrites}): for a
   * request that must not be sent twice (a write, a create, anything whose retry the caller's
   * own protocol handles). Refused at
   * once while the circuit is open; refused when the caller's bulkhead ({@link
   * StoreGuard#maxCallsPerCaller()}, the caller being {@link Callers#current()}) or the shared
   * one ({@link StoreGuard#maxConcurrentCalls()}) stays full for {@link StoreGuard#maxWait()}
   * ({@link StoreBulkheads}). An {@link IOException} (unreachable, timed out) or an overloaded
   * store (429, 5xx) becomes {@link StoreUnavailableException} and counts against the circuit.
   * Other answers of the store (404, 409...) are answers: they pass through.
   *
   * @param what a few words for the message, such as {@code "read contact"}; never user text
   *     the caller would not show
   */
  public <T> T call(String what, StoreCall<T> call) {
    return guarded(what, call, false);
  }

  /**
   * Runs one idempotent request (a get, a search, an existence check) under the guard, as
   * {@link #call}, and tries it again, up to {@link StoreGuard#retryAttempts()} in all, when
   * the store failed transiently ({@link #isTransient}) — with a Resilience4j {@link Retry}
   * whose pauses grow exponentially from {@link StoreGuard#retryBackoff()} and are randomised.
   * Each attempt takes its bulkhead permits anew, so a pause holds none; the circuit counts the
   * request once, by its last attempt. Never for a write: a write whose answer was lost may
   * have been applied, and sending it again is the write protocol's decision (a 409 tells it).
   */
  public <T> T read(String what, StoreCall<T> call) {
    return guarded(what, call, true);
  }

  private <T> T guarded(String what, StoreCall<T> call, boolean idempotent) {
    if (!breaker.tryAcquire()) {
      throw StoreUnavailableException.refused("The store is unavailable (" + what + ").", null);
    }
    boolean verdict = false;
    try {
      T result = idempotent ? retried(what, call) : attempt(what, call, false);
      breaker.onSuccess();
      verdict = true;
      return result;
    } catch (StoreUnavailableException e) {
      if (!e.refused()) {
        breaker.onFailure();
        verdict = true;
      }
      throw e;
    } catch (ElasticsearchException e) {
      breaker.onSuccess(); // an answer (attempt() turned 429 and 5xx into StoreUnavailableException)
      verdict = true;
      throw e;
    } finally {
      if (!verdict) {
        breaker.onNeither();
      }
    }
  }

  private <T> T retried(String what, StoreCall<T> call) {
    try {
      return retry.executeCallable(() -> attempt(what, call, true));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("unexpected checked exception from " + what, e); // attempt() throws none
    }
  }

  // One attempt: the bulkheads' permits, the request, and "the store failed" as StoreUnavailableException.
  // A write goes to one node (OneNodeWrites): its failure is an unknown fate, never sent again.
  private <T> T attempt(String what, StoreCall<T> call, boolean idempotent) {
    try (StoreBulkheads.Permit permit = bulkheads.acquire(what)) {
      return idempotent ? call.run() : nodes.once(call);
    } catch (IOException | UncheckedIOException e) {
      throw new StoreUnavailableException("The store did not answer (" + what + ").", e);
    } catch (ElasticsearchException e) {
      if (e.status() == 429 || e.status() >= 500) {
        throw new StoreUnavailableException("The store is overloaded or failing (" + what + ").", e);
      }
      throw e;
    }
  }

  /**
   * Whether a failed attempt may be tried again: the store was asked (not a refusal of the
   * guard) and did not answer for a reason that passes — no connection, the connection lost,
   * 429 (too many requests) or 503 (unavailable). A time-out is not retried (the attempt
   * already took the whole response timeout, and the request may still be running), nor a
   * 500 (a failure that repeats), nor anything the store answered (404, 409...).
   */
  static boolean isTransient(Throwable failure) {
    if (!(failure instanceof StoreUnavailableException)) {
      return false;
    }
    boolean io = false; // a refusal of the guard has no cause: never retried
    for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
      int status = status(t);
      if (status > 0) {
        return status == 429 || status == 503;
      }
      if (t instanceof InterruptedIOException || t instanceof java.util.concurrent.TimeoutException) {
        return false; // SocketTimeoutException, ConnectTimeoutException, no pooled connection in time
      }
      io |= t instanceof IOException;
    }
    return io;
  }

  // The HTTP status an exception of the clients carries; 0 when none.
  private static int status(Throwable t) {
    if (t instanceof ElasticsearchException e) {
      return e.status();
    }
    if (t instanceof co.elastic.clients.transport.TransportException e) {
      return Math.max(0, e.statusCode());
    }
    if (t instanceof ResponseException e) {
      return e.getResponse().getStatusCode();
    }
    return 0;
  }

  /**
   * The bulkheads of store calls, for their metrics: {@code store}, shared by all, and one per
   * caller seen (named as {@link Callers} names them, such as {@code key:crm} or {@code system}).
   */
  public BulkheadRegistry bulkheads() {
    return bulkheads.registry();
  }

  /** The retry of reads, {@code store-reads}, for its metrics. */
  public RetryRegistry retries() {
    return retries;
  }

  /** The circuit breaker, {@code store}, for its metrics. */
  public CircuitBreakerRegistry circuitBreakers() {
    return breaker.registry();
  }

  /** Where the circuit breaker stands (for health and tests). */
  public io.github.resilience4j.circuitbreaker.CircuitBreaker.State circuit() {
    return breaker.state();
  }

  /**
   * How long a client should wait before trying again after a {@link
   * StoreUnavailableException}: until the circuit lets a trial through, at least one second.
   */
  public Duration retryAfter() {
    Duration left = breaker.retryAfter();
    long seconds = (left.toMillis() + 999) / 1000;
    return Duration.ofSeconds(Math.max(1, seconds));
  }

  /**
   * Cluster health. The node answers {@code GET /} with 405, so the client's {@code ping()}
   * and {@code info()} cannot tell liveness: cluster health can.
   *
   * @throws StoreUnavailableException when the store does not answer
   */
  public StoreHealth health() {
    HealthResponse health = read("cluster health", () -> client.cluster().health());
    return new StoreHealth(
        health.clusterName(),
        health.status().jsonValue().toLowerCase(Locale.ROOT),
        health.numberOfNodes(),
        health.numberOfDataNodes());
  }

  /**
   * The {@code number_of_replicas} of an index created now: {@link StoreSettings#replicas()}
   * if set, else 0 on a cluster with one data node (a replica could never be assigned) and 1
   * with two or more (losing one data node then loses no acknowledged write). Asks the cluster
   * unguarded: call it inside the {@link #call} that creates the index.
   */
  public int replicasForNewIndex() throws IOException {
    if (settings.replicas() != null) {
      return settings.replicas();
    }
    return client.cluster().health().numberOfDataNodes() >= 2 ? 1 : 0;
  }

  /**
   * Checks once that the store lets Relais in, so that a wrong password or an untrusted
   * certificate stops the start with a message that says so, instead of every later call
   * answering 503. A store that cannot be reached is no such error: it may come later.
   *
   * @return whether the store answered
   * @throws StoreAccessException when the store refuses the credentials or TLS fails
   */
  public boolean checkAccess() {
    try {
      // This client answers a 401 as a response, not as a ResponseException: check both.
      refuseCredentials(restClient.performRequest(new Request("GET", "/_cluster/health")).getStatusCode());
      return true;
    } catch (ResponseException e) {
      refuseCredentials(e.getResponse().getStatusCode());
      return false;
    } catch (IOException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof SSLException) {
          throw new StoreAccessException("TLS with the store failed (" + settings.access() + "): "
              + cause.getMessage() + ". Give the CA that signed the nodes' certificates as"
              + " relais.store.ca-certificate (a PEM file) or relais.store.ca-fingerprint, and use"
              + " https:// URLs.", e);
        }
      }
      return false;
    }
  }

  private void refuseCredentials(int status) {
    if (status == 401 || status == 403) {
      throw new StoreAccessException("The store refused Relais' credentials (HTTP " + status + ", "
          + settings.access() + "): check relais.store.username and password, or api-key, and"
          + " the privileges of that user or key.", null);
    }
  }

  @Override
  public void close() {
    try {
      if (sniffer != null) {
        sniffer.close();
      }
      restClient.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
