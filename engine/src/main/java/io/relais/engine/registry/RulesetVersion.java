package io.relais.engine.registry;

import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.engine.evaluation.CompiledRuleset;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One version of a ruleset ready to evaluate: its stored files and warnings, compiled. */
public record RulesetVersion(
    String name,
    int version,
    Map<String, String> files,
    List<Diagnostic> warnings,
    Instant createdAt,
    String createdBy,
    CompiledRuleset compiled) {

  public RulesetVersion {
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    warnings = List.copyOf(warnings);
  }

  static RulesetVersion of(StoredVersion stored, CompiledRuleset compiled) {
    return new RulesetVersion(stored.name(), stored.version(), stored.files(), stored.warnings(),
        stored.createdAt(), stored.createdBy(), compiled);
  }
}
