package io.relais.engine.store;

/**
 * What the store says of itself.
 *
 * @param status {@code green}, {@code yellow} or {@code red}
 */
public record StoreHealth(String cluster, String status, int nodes) {

  /** Green and yellow serve reads and writes; yellow only lacks replicas (one node). */
  public boolean isUp() {
    return "green".equals(status) || "yellow".equals(status);
  }
}
