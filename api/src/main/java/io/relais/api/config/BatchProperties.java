package io.relais.api.config;

import io.relais.engine.batch.BatchSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How batch runs execute ({@code relais.batch.*}).
 *
 * @param worker whether this instance claims and works slices of runs (any instance may start one)
 * @param slices how many slices a new run is cut into, shared by the instances
 * @param pageSize contacts read per page of a slice
 * @param threads parts a page's evaluation is cut into, evaluated at once
 * @param concurrentSlices slices this instance works at once
 * @param lease how long a claimed slice stays this instance's without progress
 * @param pitKeepAlive how long a run's point in time lives between two pages
 * @param poll how often an idle worker looks for a slice
 */
@ConfigurationProperties("relais.batch")
public record BatchProperties(
    @DefaultValue("true") boolean worker,
    @DefaultValue("4") int slices,
    @DefaultValue("500") int pageSize,
    @DefaultValue("8") int threads,
    @DefaultValue("2") int concurrentSlices,
    @DefaultValue("2m") Duration lease,
    @DefaultValue("30m") Duration pitKeepAlive,
    @DefaultValue("1s") Duration poll) {

  /** The engine's view of these settings. */
  public BatchSettings toSettings() {
    return new BatchSettings(slices, pageSize, threads, concurrentSlices, lease, pitKeepAlive, poll);
  }
}
