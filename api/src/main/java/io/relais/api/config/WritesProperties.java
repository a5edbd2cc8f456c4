package io.relais.api.config;

import io.relais.engine.store.GroupCommitSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How contact and event writes are grouped into shared bulk requests ({@code relais.writes.*};
 * see docs/store.md, "Group commit").
 *
 * @param maxBatch operations in one bulk request at most
 * @param maxQueued writers waiting for the next bulk at most
 * @param queueWait how long a writer waits for room in a full queue before the request fails with 503
 * @param linger how long the idle sender waits for more callers while fewer than {@code
 *     lingerBelow} operations are queued (0: never; paced arrivals then go one request each)
 * @param lingerBelow the batch size from which the sender sends at once
 * @param documents the bulks of event documents written after the answer ({@code relais.writes.documents.*})
 */
@ConfigurationProperties("relais.writes")
public record WritesProperties(
    @DefaultValue("256") int maxBatch,
    @DefaultValue("512") int maxQueued,
    @DefaultValue("200ms") Duration queueWait,
    @DefaultValue("0ms") Duration linger,
    @DefaultValue("8") int lingerBelow,
    @DefaultValue Documents documents) {

  /**
   * The event documents of the hot path (write B), in bulks of their own that wait for the
   * refresh that makes them searchable (docs/store.md, "Pruning without a read"). Nobody waits
   * for these bulks, so a full queue refuses at once: the document is written later from the
   * outbox.
   *
   * @param maxBatch documents in one bulk at most: one bulk is in flight at a time and waits up
   *     to a refresh interval, so this bounds the documents written per refresh interval
   * @param maxQueued documents waiting for the next bulk at most
   */
  public record Documents(@DefaultValue("4096") int maxBatch, @DefaultValue("8192") int maxQueued) {

    /** The engine's view of these settings; validates them. */
    public GroupCommitSettings toSettings() {
      return new GroupCommitSettings(maxBatch, maxQueued, Duration.ZERO);
    }
  }

  /** The engine's view of these settings; validates them. */
  public GroupCommitSettings toSettings() {
    return new GroupCommitSettings(maxBatch, maxQueued, queueWait, linger, lingerBelow);
  }
}
