package io.relais.engine.dmn;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A class a malicious DMN file names in an external function: its static initializer and its
 * method count every time Java ran on behalf of a model. Tests read {@link Hits} (reading it
 * does not initialize this class) and assert it stays at zero.
 */
public final class Tripwire {

  static {
    Hits.COUNT.incrementAndGet();
  }

  private Tripwire() {}

  /** What an external function calls. */
  public static String fire(String argument) {
    Hits.COUNT.incrementAndGet();
    return "tripped " + argument;
  }

  /** Times the class was initialized or its method called. */
  public static final class Hits {
    public static final AtomicInteger COUNT = new AtomicInteger();

    private Hits() {}
  }
}
