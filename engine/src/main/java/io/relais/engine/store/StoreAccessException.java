package io.relais.engine.store;

/** The store answers but refuses Relais: wrong credentials, or a TLS certificate not trusted. */
public final class StoreAccessException extends RuntimeException {

  public StoreAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
