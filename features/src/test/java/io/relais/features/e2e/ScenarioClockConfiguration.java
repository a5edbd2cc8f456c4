package io.relais.features.e2e;

import java.time.Clock;
import java.time.Instant;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Replaces the service's clock with one the scenarios set. It is added to the application
 * only by {@link RelaisService} on the test class path; the service's jar has no such bean
 * and no endpoint moves its clock, so no client can reach this in production.
 */
@Configuration(proxyBeanMethods = false)
public class ScenarioClockConfiguration {

  /** The one instance the end-to-end driver sets before each call. */
  public static final SettableClock CLOCK = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));

  @Bean
  @Primary
  Clock scenarioClock() {
    return CLOCK;
  }
}
