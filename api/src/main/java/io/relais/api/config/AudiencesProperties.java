package io.relais.api.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Audience counts ({@code relais.audiences.*}; see docs/audiences.md, "Residual scans").
 *
 * @param maxResidualScan the most candidate contacts one count reads to evaluate the parts of a
 *     condition the store cannot (fields compared with fields); beyond it the count is a problem
 */
@ConfigurationProperties("relais.audiences")
public record AudiencesProperties(@DefaultValue("3000000") long maxResidualScan) {

  public AudiencesProperties {
    if (maxResidualScan < 1) {
      throw new IllegalArgumentException("relais.audiences.max-residual-scan must be at least 1");
    }
  }
}
