package io.relais.api.config;

import io.relais.engine.campaigns.DueStepScheduler;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.registry.RulesetVersion;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.EventRecorder;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The due-step scheduler: started with the service, stopped with it (docs/campaigns.md). */
@Configuration(proxyBeanMethods = false)
class CampaignsConfiguration {

  @Bean(destroyMethod = "close")
  DueStepScheduler dueStepScheduler(ContactStore contacts, EventRecorder recorder,
      RulesetRegistry registry, Clock clock, CampaignsProperties properties) {
    DueStepScheduler scheduler = new DueStepScheduler(contacts, recorder,
        () -> registry.activeVersions().stream().map(RulesetVersion::compiled).toList(), clock,
        properties.dueStepsPage(), properties.dueStepsThreads());
    if (properties.dueStepsEnabled()) {
      // The first pass runs at start: steps that came due while no instance ran.
      scheduler.start(properties.dueStepsEvery());
    }
    return scheduler;
  }
}
