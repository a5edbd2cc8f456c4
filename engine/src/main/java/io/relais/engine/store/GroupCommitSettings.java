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
 * @param linger how long an idle sender waits for more callers when fewer than {@code
 *     lingerBelow} operations are queued (paced arrivals would otherwise go one request each);
 *     zero: never
 * @param lingerBelow the batch size from which the sender sends at once, without lingering
 */
public record GroupCommitSettings(int maxBatch, int maxQueued, Duration queueWait, Duration linger,
    int lingerBelow) {

  public GroupCommitSettings {
    Objects.requireNonNull(queueWait, "queueWait");
    Objects.requireNonNull(linger, "linger");
    if (linger.isNegative()) {
      throw new IllegalArgumentException("linger must not be negative");
    }
    if (lingerBelow < 0) {
      throw new IllegalArgumentException("linger-below must not be negative");
    }
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

  /** Without lingering: a queued caller is sent as soon as the sender is free. */
  public GroupCommitSettings(int maxBatch, int maxQueued, Duration queueWait) {
    this(maxBatch, maxQueued, queueWait, Duration.ZERO, 0);
  }

  /** The defaults of {@code relais.writes.*}. */
  public static GroupCommitSettings defaults() {
    return new GroupCommitSettings(256, 512, Duration.ofMillis(200));
  }
}
