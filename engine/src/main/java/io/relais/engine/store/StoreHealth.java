package io.relais.engine.store;

/**
 * What the store says of itself.
 *
 * @param cluster the cluster's name
 * @param status {@code green}, {@code yellow} or {@code red}
 * @param nodes the nodes in the cluster
 * @param dataNodes those that hold data
 */
public record StoreHealth(String cluster, String status, int nodes, int dataNodes) {

  /** Green and yellow serve reads and writes; yellow only lacks replicas (one node). */
  public boolean isUp() {
    return "green".equals(status) || "yellow".equals(status);
  }
}
