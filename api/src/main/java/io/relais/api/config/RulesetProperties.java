package io.relais.api.config;

import io.relais.engine.evaluation.CompileOptions;
import io.relais.engine.registry.RegistrySettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Ruleset limits, caching and polling ({@code relais.rulesets.*}).
 *
 * @param maxSize the largest ruleset accepted (sum of its files' bytes); larger ones get 413
 *     before they are parsed
 * @param maxFiles the most files one ruleset may have; more get 413
 * @param maxVersions versions kept per ruleset; storing one more deletes the oldest inactive ones
 * @param compiledCache compiled versions kept in memory besides the active ones
 * @param pollInterval how often an instance reads the active pointers to follow activations
 *     made by other instances
 * @param folderPollInterval how often the folders of {@code relais.rules-dir} are checked for changes
 */
@ConfigurationProperties("relais.rulesets")
public record RulesetProperties(
    @DefaultValue("512KB") DataSize maxSize,
    @DefaultValue("100") int maxFiles,
    @DefaultValue("50") int maxVersions,
    @DefaultValue("8") int compiledCache,
    @DefaultValue("2s") Duration pollInterval,
    @DefaultValue("2s") Duration folderPollInterval) {

  /** The engine's view of these limits, versions compiled with {@code compile}; validates them. */
  public RegistrySettings toSettings(CompileOptions compile) {
    return new RegistrySettings(maxSize.toBytes(), maxFiles, maxVersions, compiledCache, compile);
  }
}
