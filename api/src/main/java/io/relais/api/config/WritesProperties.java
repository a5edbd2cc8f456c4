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
 */
@ConfigurationProperties("relais.writes")
public record WritesProperties(
    @DefaultValue("256") int maxBatch,
    @DefaultValue("512") int maxQueued,
    @DefaultValue("200ms") Duration queueWait) {

  /** The engine's view of these settings; validates them. */
  public GroupCommitSettings toSettings() {
    return new GroupCommitSettings(maxBatch, maxQueued, queueWait);
  }
}
