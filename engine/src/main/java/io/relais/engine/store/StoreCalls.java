package io.relais.engine.store;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The one place where the contact and event stores call Elasticsearch: transport failures
 * (no connection, time-outs, 5xx and 429 answers) become {@link StoreUnavailableException},
 * which the edge answers with 503; every other error is left as it is (a 409 is a version
 * conflict the caller handles, a 400 is a bug of ours).
 */
public final class StoreCalls {

  /** A request to the store. */
  @FunctionalInterface
  public interface Call<T> {
    T run() throws IOException;
  }

  private final ElasticsearchStore guard;
  private final Consumer<StoreUnavailableException> onFailure;

  /** @param onFailure told of every translated failure (counted as a metric by the service) */
  public StoreCalls(Consumer<StoreUnavailableException> onFailure) {
    this(null, onFailure);
  }

  /**
   * Calls that also go through {@code guard}'s bulkheads, circuit breaker and (for reads) retry
   * ({@link ElasticsearchStore#call}, {@link ElasticsearchStore#read}), as the service's do.
   */
  public StoreCalls(ElasticsearchStore guard, Consumer<StoreUnavailableException> onFailure) {
    this.guard = guard;
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
  }

  /** Calls that nobody counts and nothing guards: tests and tools. */
  public static StoreCalls uncounted() {
    return new StoreCalls(e -> {});
  }

  /** Runs one request, once (see {@link ElasticsearchStore#call}); {@code what} names it in the exception's message. */
  public <T> T run(String what, Call<T> call) {
    return guard == null ? translated(what, call) : guarded(() -> guard.call(what, () -> translated(what, call)));
  }

  /**
   * Runs one idempotent request (a get, a search), tried again after a transient failure of the
   * store (see {@link ElasticsearchStore#read}); unguarded calls are run once.
   */
  public <T> T read(String what, Call<T> call) {
    return guard == null ? translated(what, call) : guarded(() -> guard.read(what, () -> translated(what, call)));
  }

  private <T> T guarded(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (StoreUnavailableException e) {
      if (e.refused()) {
        onFailure.accept(e); // refused by the guard itself: an open circuit, too many in flight
      }
      throw e;
    }
  }

  private <T> T translated(String what, Call<T> call) {
    try {
      return call.run();
    } catch (ElasticsearchException e) {
      if (isUnavailable(e.status())) {
        throw fail(what, e);
      }
      throw e;
    } catch (TransportException e) {
      if (isUnavailable(e.statusCode()) || e.statusCode() <= 0) {
        throw fail(what, e);
      }
      throw new IllegalStateException("the store refused " + what + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw fail(what, e);
    } catch (RuntimeException e) {
      // The low-level client wraps some connection failures (a closed pool, a reset, no free
      // connection within the deadline) in unchecked exceptions that carry the real cause.
      if (hasTransportCause(e)) {
        throw fail(what, e);
      }
      throw e;
    }
  }

  /**
   * Whether a status (of an answer, or of one item of a bulk) means the store could not take the
   * request now, rather than refusing it as such: worth a retry, and a 503 to a caller.
   */
  public static boolean isUnavailable(int status) {
    return status >= 500 || status == 429;
  }

  private static boolean hasTransportCause(Throwable e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof java.util.concurrent.TimeoutException) {
        return true;
      }
    }
    return false;
  }

  private StoreUnavailableException fail(String what, Throwable cause) {
    StoreUnavailableException failure =
        new StoreUnavailableException("the store did not answer " + what + ": " + cause.getMessage(), cause);
    onFailure.accept(failure);
    return failure;
  }
}
