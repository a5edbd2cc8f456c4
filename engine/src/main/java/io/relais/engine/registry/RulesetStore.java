package io.relais.engine.registry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where ruleset versions and active pointers live, shared by every instance: Elasticsearch in
 * the service ({@code io.relais.engine.store.RulesetIndex}), memory in unit tests.
 */
public interface RulesetStore {

  /** Creates what the store needs (the index) unless it exists. */
  void ensureExists();

  /**
   * Stores a version under its number if no version has that number yet.
   *
   * @return false if the number is taken (another writer got there first)
   */
  boolean create(StoredVersion version);

  /** One version with its files; reads the latest write (no refresh delay). */
  Optional<StoredVersion> version(String name, int version);

  /** The versions of one ruleset, oldest first, without files. */
  List<VersionInfo> versions(String name);

  /** The versions of every ruleset, by name then number, without files. */
  List<VersionInfo> allVersions();

  /** Removes one version; a missing one is not an error. */
  void delete(String name, int version);

  /** The active pointer of one ruleset, read at its latest write. */
  Optional<ActivePointer> pointer(String name);

  /** Every active pointer: what instances poll to follow activations. */
  List<ActivePointer> pointers();

  /**
   * Points {@code name} at {@code version} if the pointer is still at {@code expected} (none:
   * the pointer must not exist yet).
   *
   * @return the written pointer, or empty if another writer changed it first
   */
  Optional<ActivePointer> setPointer(
      String name, int version, Instant at, String by, Optional<ActivePointer> expected);
}
