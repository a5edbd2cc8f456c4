package io.relais.engine.batch;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /batch-runs/{id}} shows: the run's state and its slices' progress summed.
 *
 * @param done contacts finished (applied, replayed or failed)
 * @param applied contacts whose decision was applied by this run
 * @param replayed contacts found already applied (a resumed page): not applied again
 * @param rate contacts finished per second since the run started
 */
public record BatchRunStatus(String id, String ruleset, int version, String event, String filter, String state,
    long total, long done, long applied, long replayed, long errors, List<String> errorSamples,
    Map<String, Long> decisions, double rate, Instant createdAt, Instant updatedAt, int slices, int slicesDone) {

  public BatchRunStatus {
    errorSamples = List.copyOf(errorSamples);
    decisions = Map.copyOf(decisions);
  }
}
