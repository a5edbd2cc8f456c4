package io.relais.api.config;

import io.relais.engine.registry.RulesetRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The engine's shared parts: the clock and the ruleset registry. */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  RulesetRegistry rulesetRegistry(Clock clock) {
    return new RulesetRegistry(clock);
  }
}
