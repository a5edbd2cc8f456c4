package io.relais.api.config;

import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.registry.RulesetStore;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.RulesetIndex;
import io.relais.engine.store.StoreCalls;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The engine's shared parts: the clock and the ruleset registry on the store. */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

  private static final Logger log = LoggerFactory.getLogger(EngineConfiguration.class);

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Versions and active pointers in the store, through the guarded, counted store calls. */
  @Bean
  RulesetStore rulesetStore(ElasticsearchStore store, StoreCalls calls) {
    return new RulesetIndex(store, calls);
  }

  /**
   * The registry, with the active versions loaded before the first request when the store
   * answers; when it does not, the service still starts and the poll loads them later.
   */
  @Bean(destroyMethod = "close")
  RulesetRegistry rulesetRegistry(RulesetStore store, Clock clock, RulesetProperties properties,
      TemplatesProperties templates) {
    // Every version is compiled with the configured limits: they reach the engine here.
    RulesetRegistry registry = new RulesetRegistry(store, clock, properties.toSettings(templates.toOptions()));
    try {
      registry.refresh();
    } catch (RuntimeException e) {
      log.warn("Rulesets not loaded at start, retrying every {}: {}", properties.pollInterval(), e.toString());
    }
    registry.startPolling(properties.pollInterval());
    return registry;
  }
}
