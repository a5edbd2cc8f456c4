package io.relais.api.config;

import io.relais.engine.store.GroupCommitSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the first reads of concurrent events are grouped into shared {@code _mget} requests
 * ({@code relais.reads.*}; see docs/store.md, "Grouped reads").
 *
 * @param maxBatch documents in one {@code _mget} at most (an event reads two: its contact and
 *     its event document)
 * @param maxQueued events waiting for the next {@code _mget} at most
 * @param queueWait how long an event waits for room in a full queue before the request fails with 503
 * @param linger how long the idle sender waits for more callers while fewer than {@code
 *     lingerBelow} operations are queued (0: never; paced arrivals then go one request each)
 * @param lingerBelow the batch size from which the sender sends at once
 */
@ConfigurationProperties("relais.reads")
public record ReadsProperties(
    @DefaultValue("256") int maxBatch,
    @DefaultValue("512") int maxQueued,
    @DefaultValue("200ms") Duration queueWait,
    @DefaultValue("0ms") Duration linger,
    @DefaultValue("8") int lingerBelow) {

  /** The engine's view of these settings; validates them. */
  public GroupCommitSettings toSettings() {
    return new GroupCommitSettings(maxBatch, maxQueued, queueWait, linger, lingerBelow);
  }
}
