package io.relais.engine.registry;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import io.relais.engine.evaluation.CompiledRuleset;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Rulesets in memory: every version kept, one active per name. Readers get immutable
 * snapshots; writers per name are serialised, so activation is one atomic swap.
 */
public final class RulesetRegistry {

  /** Ruleset names as they appear in URLs and folder names. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private final Clock clock;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  /** Everything known of one name; replaced whole on every change. */
  public record Entry(String name, List<RulesetVersion> versions, Optional<RulesetVersion> active) {
    public Entry {
      versions = List.copyOf(versions);
    }
  }

  /** What storing gave: a version, or the diagnostics that kept it out. */
  public record PutResult(Optional<RulesetVersion> version, boolean active, List<Diagnostic> diagnostics) {
    public PutResult {
      diagnostics = List.copyOf(diagnostics);
    }
  }

  public RulesetRegistry(Clock clock) {
    this.clock = clock;
  }

  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** Checks the files as ruleset {@code name}; stores nothing. */
  public CheckResult validate(String name, Map<String, String> files) {
    List<Source> sources = new ArrayList<>();
    files.forEach((file, text) -> sources.add(new Source(file, text)));
    sources.sort(java.util.Comparator.comparing(Source::name));
    CheckResult checked = RuleLanguage.check(name, sources);
    if (checked.ruleset().isPresent() && !checked.ruleset().get().name().equals(name)) {
      // A `ruleset "x"` header that disagrees with the name it is stored under.
      Diagnostic mismatch = Diagnostic.error("ruleset-name-mismatch", SourceSpan.at(sources.get(0).name(), 1, 1),
          "these files declare ruleset \"" + checked.ruleset().get().name() + "\" but are stored as \"" + name + "\"");
      List<Diagnostic> all = new ArrayList<>(checked.diagnostics());
      all.add(0, mismatch);
      return new CheckResult(Optional.empty(), all);
    }
    return checked;
  }

  /**
   * Stores a new version if the files are valid, and activates it unless told not to. An
   * invalid upload stores nothing and leaves the active version in place.
   */
  public PutResult put(String name, Map<String, String> files, boolean activate, String author) {
    CheckResult checked = validate(name, files);
    if (checked.ruleset().isEmpty()) {
      return new PutResult(Optional.empty(), false, checked.diagnostics());
    }
    RulesetVersion[] stored = new RulesetVersion[1];
    Entry updated = entries.compute(name, (key, entry) -> {
      List<RulesetVersion> versions = entry == null ? new ArrayList<>() : new ArrayList<>(entry.versions());
      int number = versions.size() + 1;
      // Compiled under the name's lock: writes of one ruleset are rare, and the version
      // number must match the one being stored.
      RulesetVersion version = new RulesetVersion(name, number, files, checked.warnings(),
          clock.instant(), author, CompiledRuleset.compile(checked.ruleset().get(), number));
      versions.add(version);
      stored[0] = version;
      Optional<RulesetVersion> active = activate ? Optional.of(version)
          : entry == null ? Optional.empty() : entry.active();
      return new Entry(name, versions, active);
    });
    return new PutResult(Optional.of(stored[0]), updated.active().map(v -> v == stored[0]).orElse(false),
        checked.diagnostics());
  }

  /** Makes an existing version the active one (a rollback too). */
  public Optional<RulesetVersion> activate(String name, int version) {
    Entry updated = entries.computeIfPresent(name, (key, entry) ->
        version >= 1 && version <= entry.versions().size()
            ? new Entry(name, entry.versions(), Optional.of(entry.versions().get(version - 1)))
            : entry);
    return Optional.ofNullable(updated)
        .flatMap(Entry::active)
        .filter(v -> v.version() == version);
  }

  public Optional<RulesetVersion> active(String name) {
    return Optional.ofNullable(entries.get(name)).flatMap(Entry::active);
  }

  public Optional<Entry> get(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /** Every ruleset, by name. */
  public List<Entry> list() {
    return entries.values().stream().sorted(java.util.Comparator.comparing(Entry::name)).toList();
  }
}
