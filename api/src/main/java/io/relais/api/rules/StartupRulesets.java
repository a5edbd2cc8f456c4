package io.relais.api.rules;

import io.relais.api.config.RulesProperties;
import io.relais.dsl.RuleLanguage;
import io.relais.dsl.RulesetSources;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.engine.registry.RulesetRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * Loads every ruleset folder of {@code relais.rules-dir} into the registry at start (author
 * {@code rules-dir}) and logs its diagnostics; {@code /actuator/info} lists what was found. A
 * ruleset with errors is reported, never activated.
 */
@Component
public class StartupRulesets implements InfoContributor {

  private static final Logger log = LoggerFactory.getLogger(StartupRulesets.class);

  /** What checking one folder gave. */
  public record Loaded(String name, int files, boolean valid, List<String> diagnostics) {}

  private final Map<String, Loaded> loaded;

  public StartupRulesets(RulesProperties properties, RulesetRegistry registry) {
    this.loaded = Collections.unmodifiableMap(load(properties.rulesDir(), registry));
  }

  public Map<String, Loaded> loaded() {
    return loaded;
  }

  private static Map<String, Loaded> load(Path dir, RulesetRegistry registry) {
    Map<String, Loaded> result = new LinkedHashMap<>();
    if (!Files.isDirectory(dir)) {
      log.warn("Rules folder {} does not exist: no ruleset loaded", dir.toAbsolutePath());
      return result;
    }
    for (Path folder : folders(dir)) {
      try {
        RulesetSources sources = RuleLanguage.load(folder);
        if (sources.sources().isEmpty()) {
          continue;
        }
        CheckResult checked = RuleLanguage.check(sources);
        String name = checked.ruleset().map(r -> r.name()).orElse(sources.name());
        Map<String, String> files = new LinkedHashMap<>();
        sources.sources().forEach(source -> files.put(source.name(), source.text()));
        RulesetRegistry.PutResult put = registry.put(name, files, true, "rules-dir");
        List<String> diagnostics = put.diagnostics().stream().map(Diagnostic::render).toList();
        result.put(
            name, new Loaded(name, sources.sources().size(), put.version().isPresent(), diagnostics));
        if (put.version().isPresent()) {
          log.info("Ruleset {}: {} files, valid", name, sources.sources().size());
        } else {
          log.error("Ruleset {} has errors and is not used:", name);
        }
        diagnostics.forEach(d -> log.warn("  {}", d));
      } catch (IOException e) {
        log.error("Cannot read ruleset folder {}: {}", folder, e.getMessage());
      }
    }
    return result;
  }

  private static List<Path> folders(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return new ArrayList<>(list.filter(Files::isDirectory).sorted().toList());
    } catch (IOException e) {
      log.error("Cannot list rules folder {}: {}", dir, e.getMessage());
      return List.of();
    }
  }

  @Override
  public void contribute(Info.Builder builder) {
    builder.withDetail("rulesets", loaded);
  }
}
