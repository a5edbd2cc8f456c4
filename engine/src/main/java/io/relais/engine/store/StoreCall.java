package io.relais.engine.store;

import java.io.IOException;

/**
 * One request to the store, run by {@link ElasticsearchStore#call}: the client's methods throw
 * {@link IOException} when the store cannot be reached, which the call turns into {@link
 * StoreUnavailableException}.
 */
@FunctionalInterface
public interface StoreCall<T> {
  T run() throws IOException;
}
