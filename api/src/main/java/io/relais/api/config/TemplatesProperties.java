package io.relais.api.config;

import io.relais.engine.evaluation.CompileOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a rendered template may be ({@code relais.templates.*}).
 *
 * @param maxLength the longest message a {@code notify} or {@code send} template renders, in
 *     characters; a longer one is cut there while rendering, with a {@code template-truncated}
 *     warning in the decision
 */
@ConfigurationProperties("relais.templates")
public record TemplatesProperties(@DefaultValue("4096") int maxLength) {

  /** The engine's view of this setting: what rulesets are compiled with; validates it. */
  public CompileOptions toOptions() {
    return new CompileOptions(maxLength);
  }
}
