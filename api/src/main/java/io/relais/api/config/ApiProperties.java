package io.relais.api.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the REST API ({@code relais.api.*}).
 *
 * @param maxBodySize the largest request body accepted on any path; larger ones get 413
 * @param bodyReadTimeout how long a request body may take to arrive once authorised; slower
 *     ones get 408 and free their worker
 * @param maxConcurrentBodyReads request bodies received at once; one more gets 503 {@code busy},
 *     so slow clients cannot hold every worker
 */
@ConfigurationProperties("relais.api")
public record ApiProperties(
    @DefaultValue("1MB") DataSize maxBodySize,
    @DefaultValue("10s") Duration bodyReadTimeout,
    @DefaultValue("64") int maxConcurrentBodyReads) {

  public ApiProperties {
    if (maxConcurrentBodyReads < 1) {
      throw new IllegalArgumentException("relais.api.max-concurrent-body-reads must be at least 1");
    }
  }
}
