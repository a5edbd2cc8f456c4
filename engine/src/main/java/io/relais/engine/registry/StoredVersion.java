package io.relais.engine.registry;

import io.relais.dsl.diagnostic.Diagnostic;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One version of a ruleset as the store keeps it: its files as uploaded (any extension, so
 * {@code .dmn} files travel with the {@code .rules} ones), who stored it and when, and the
 * warnings it had. Only valid versions are stored.
 */
public record StoredVersion(
    String name,
    int version,
    Map<String, String> files,
    List<Diagnostic> warnings,
    Instant createdAt,
    String createdBy) {

  public StoredVersion {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(createdBy, "createdBy");
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    warnings = List.copyOf(warnings);
  }

  /** The version without its files, as lists show it. */
  public VersionInfo info() {
    return new VersionInfo(name, version, createdAt, createdBy);
  }
}
