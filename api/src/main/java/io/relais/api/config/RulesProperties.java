package io.relais.api.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where rulesets come from at start ({@code relais.*}).
 *
 * @param rulesDir folder of rulesets, one sub-folder of {@code .rules} files each
 */
@ConfigurationProperties("relais")
public record RulesProperties(@DefaultValue("rules") Path rulesDir) {}
