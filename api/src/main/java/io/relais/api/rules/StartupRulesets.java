package io.relais.api.rules;

import io.relais.api.config.RulesProperties;
import io.relais.api.config.RulesetProperties;
import io.relais.engine.registry.RulesFolder;
import io.relais.engine.registry.RulesetRegistry;
import java.util.Map;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * The ruleset folders of {@code relais.rules-dir}: stored and activated at start when they
 * differ from the latest stored version, then reloaded when a file changes (a change with
 * errors is logged and the active version stays). {@code /actuator/info} shows the outcome of
 * the last load of each folder.
 */
@Component
public class StartupRulesets implements InfoContributor, DisposableBean {

  private final RulesFolder folder;

  public StartupRulesets(RulesProperties rules, RulesetProperties rulesets, RulesetRegistry registry) {
    this.folder = new RulesFolder(rules.rulesDir(), registry);
    folder.loadAll();
    folder.start(rulesets.folderPollInterval());
  }

  public Map<String, RulesFolder.Loaded> loaded() {
    return folder.loaded();
  }

  @Override
  public void contribute(Info.Builder builder) {
    builder.withDetail("rulesets", folder.loaded());
  }

  @Override
  public void destroy() {
    folder.close();
  }
}
