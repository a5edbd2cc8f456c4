package io.relais.engine.store;

/** The store could not be reached or did not answer in time, or the guard refused the call. */
public final class StoreUnavailableException extends RuntimeException {

  private final boolean refused;

  /** The store failed: {@code cause} says how (an I/O error, a 429 or 5xx answer). */
  public StoreUnavailableException(String message, Throwable cause) {
    this(message, cause, false);
  }

  StoreUnavailableException(String message, Throwable cause, boolean refused) {
    super(message, cause);
    this.refused = refused;
  }

  /** A refusal of the guard itself (an open circuit, too many calls in flight): the store was not asked. */
  static StoreUnavailableException refused(String message, Throwable cause) {
    return new StoreUnavailableException(message, cause, true);
  }

  /** Whether the guard refused the call without asking the store. */
  public boolean refused() {
    return refused;
  }
}
