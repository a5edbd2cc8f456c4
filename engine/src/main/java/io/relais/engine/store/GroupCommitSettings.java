package io.relais.engine.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link GroupCommit} groups writes.
 *
 * @param maxBatch operations in one {@code _bulk} request at most (one caller's writes are never
 *     split, so a single caller with more goes alone)
 * @param maxQueued callers waiting for the next bulk at most; beyond it a caller waits for room
 * @param queueWait how long a caller waits for room in a full queue before it fails as the
 *     store being unavailable (503); zero refuses at once
 */
public record GroupCommitSettings(int maxBatch, int maxQueued, Duration queueWait) {

  public GroupCommitSettings {
    Objects.requireNonNull(queueWait, "queueWait");
    if (maxBatch < 1) {
      throw new IllegalArgumentException("max batch must be at least 1");
    }
    if (maxQueued < 1) {
      throw new IllegalArgumentException("max queued must be at least 1");
    }
    if (queueWait.isNegative()) {
      throw new IllegalArgumentException("queue wait must not be negative");
    }
  }

  /** The defaults of {@code relais.writes.*}. */
  public static GroupCommitSettings defaults() {
    return new GroupCommitSettings(256, 512, Duration.ofMillis(200));
  }
}
