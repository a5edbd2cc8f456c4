package io.relais.engine.registry;

import io.relais.engine.evaluation.CompileOptions;
import java.util.Objects;

/**
 * Limits of the registry, and the options every version it compiles is compiled with.
 *
 * @param maxRulesetBytes the largest ruleset accepted, as the sum of its files' UTF-8 bytes
 * @param maxFiles the most files one ruleset may have
 * @param maxVersions the most versions kept per ruleset; storing one more deletes the oldest
 *     versions that are not active
 * @param compiledCache how many compiled versions besides the active ones stay in memory
 * @param compile what versions are compiled with (the limits their evaluations keep)
 */
public record RegistrySettings(long maxRulesetBytes, int maxFiles, int maxVersions, int compiledCache,
    CompileOptions compile) {

  public RegistrySettings {
    if (maxRulesetBytes < 1 || maxFiles < 1 || maxVersions < 1 || compiledCache < 0) {
      throw new IllegalArgumentException("ruleset limits must be positive: " + maxRulesetBytes
          + " bytes, " + maxFiles + " files, " + maxVersions + " versions, cache " + compiledCache);
    }
    Objects.requireNonNull(compile, "compile");
  }

  /** These limits, versions compiled with the default options. */
  public RegistrySettings(long maxRulesetBytes, int maxFiles, int maxVersions, int compiledCache) {
    this(maxRulesetBytes, maxFiles, maxVersions, compiledCache, CompileOptions.defaults());
  }

  /** 512 KB, 100 files, 50 versions, 8 compiled versions besides the active ones, default options. */
  public static RegistrySettings defaults() {
    return new RegistrySettings(512 * 1024, 100, 50, 8);
  }
}
