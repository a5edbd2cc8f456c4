package io.relais.engine.fair;

/**
 * Who the current thread works for: the name its {@link FairShare} slots and its store
 * bulkhead ({@code io.relais.engine.store.StoreBulkheads}) are counted under. A
 * request's filter sets it to its API key for the request's duration; threads that no request
 * set it for (background work: sweeps, watchers, pollers) count as {@link #SYSTEM}, and the
 * long-lived senders of grouped store requests and the batch worker name themselves so each has
 * its own share.
 */
public final class Callers {

  /** Background work that no request set a caller for. */
  public static final String SYSTEM = "system";

  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private Callers() {}

  /** A background caller with a share of its own, such as {@code system:batch}. */
  public static String system(String part) {
    return SYSTEM + ":" + part;
  }

  /** The current thread's caller; {@link #SYSTEM} when none is set. */
  public static String current() {
    String caller = CURRENT.get();
    return caller == null ? SYSTEM : caller;
  }

  /**
   * Makes {@code caller} the current thread's caller until the scope is closed, which restores
   * the previous one (use it in try-with-resources: a pooled thread must not keep it).
   */
  public static Scope as(String caller) {
    if (caller == null || caller.isEmpty()) {
      throw new IllegalArgumentException("a caller needs a name");
    }
    String previous = CURRENT.get();
    CURRENT.set(caller);
    return () -> {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    };
  }

  /** The span of code that works for one caller. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
