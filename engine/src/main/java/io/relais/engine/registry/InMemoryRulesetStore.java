package io.relais.engine.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link RulesetStore} in memory, for unit tests and tools: the same contract as the
 * Elasticsearch one (create-if-absent numbers, conditional pointer writes), one JVM only.
 * Several registries sharing one instance behave like several service instances.
 */
public final class InMemoryRulesetStore implements RulesetStore {

  private final Map<String, StoredVersion> versions = new ConcurrentHashMap<>();
  private final Map<String, ActivePointer> pointers = new ConcurrentHashMap<>();
  private final AtomicLong seqNo = new AtomicLong();

  private static String id(String name, int version) {
    return name + "#" + version;
  }

  @Override
  public void ensureExists() {}

  @Override
  public boolean create(StoredVersion version) {
    return versions.putIfAbsent(id(version.name(), version.version()), version) == null;
  }

  @Override
  public Optional<StoredVersion> version(String name, int version) {
    return Optional.ofNullable(versions.get(id(name, version)));
  }

  @Override
  public List<VersionInfo> versions(String name) {
    return allVersions().stream().filter(v -> v.name().equals(name)).toList();
  }

  @Override
  public List<VersionInfo> allVersions() {
    return versions.values().stream()
        .map(StoredVersion::info)
        .sorted(Comparator.comparing(VersionInfo::name).thenComparingInt(VersionInfo::version))
        .toList();
  }

  @Override
  public void delete(String name, int version) {
    versions.remove(id(name, version));
  }

  @Override
  public Optional<ActivePointer> pointer(String name) {
    return Optional.ofNullable(pointers.get(name));
  }

  @Override
  public List<ActivePointer> pointers() {
    return new ArrayList<>(pointers.values());
  }

  @Override
  public Optional<ActivePointer> setPointer(
      String name, int version, Instant at, String by, Optional<ActivePointer> expected) {
    ActivePointer[] written = new ActivePointer[1];
    pointers.compute(name, (key, current) -> {
      boolean matches = expected.isEmpty()
          ? current == null
          : current != null && current.seqNo() == expected.get().seqNo();
      if (!matches) {
        return current;
      }
      written[0] = new ActivePointer(name, version, at, by, seqNo.incrementAndGet(), 1);
      return written[0];
    });
    return Optional.ofNullable(written[0]);
  }
}
