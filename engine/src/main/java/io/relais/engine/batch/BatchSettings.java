package io.relais.engine.batch;

import java.time.Duration;

/**
 * How batch runs execute.
 *
 * @param slices how many slices a new run is cut into (several instances share them)
 * @param pageSize contacts read per page of a slice
 * @param threads parts a page's evaluation is cut into, evaluated at once
 * @param concurrentSlices slices this instance works at once (each waits on the store in turn)
 * @param lease how long a claimed slice stays ours without progress; an expired one is resumed elsewhere
 * @param pitKeepAlive how long the run's point in time lives between two pages
 * @param poll how often an idle worker looks for a slice to claim
 */
public record BatchSettings(int slices, int pageSize, int threads, int concurrentSlices, Duration lease, Duration pitKeepAlive, Duration poll) {

  public BatchSettings {
    if (slices < 1 || pageSize < 1 || threads < 1 || concurrentSlices < 1) {
      throw new IllegalArgumentException("slices, pageSize, threads and concurrentSlices must be at least 1");
    }
  }

  public static BatchSettings defaults() {
    return new BatchSettings(4, 500, 8, 2, Duration.ofMinutes(2), Duration.ofMinutes(30), Duration.ofSeconds(1));
  }
}
