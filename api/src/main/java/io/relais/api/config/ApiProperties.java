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
 * @param maxBodyReadsPerKey request bodies received at once for one API key (default: a quarter
 *     of {@code maxConcurrentBodyReads}); the slots are shared fairly between keys, one more
 *     gets 503 {@code busy}
 */
@ConfigurationProperties("relais.api")
public record ApiProperties(
    @DefaultValue("1MB") DataSize maxBodySize,
    @DefaultValue("10s") Duration bodyReadTimeout,
    @DefaultValue("64") int maxConcurrentBodyReads,
    Integer maxBodyReadsPerKey) {

  public ApiProperties {
    if (maxConcurrentBodyReads < 1) {
      throw new IllegalArgumentException("relais.api.max-concurrent-body-reads must be at least 1");
    }
    if (maxBodyReadsPerKey == null) {
      maxBodyReadsPerKey = Math.max(1, maxConcurrentBodyReads / 4);
    }
    if (maxBodyReadsPerKey < 1 || maxBodyReadsPerKey > maxConcurrentBodyReads) {
      throw new IllegalArgumentException(
          "relais.api.max-body-reads-per-key must be between 1 and relais.api.max-concurrent-body-reads");
    }
  }
}
