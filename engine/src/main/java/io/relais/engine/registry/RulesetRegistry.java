package io.relais.engine.registry;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import io.relais.engine.evaluation.CompiledRuleset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rulesets by name and version on a shared {@link RulesetStore}: every valid version is
 * stored, and one active pointer per name says which version decisions use.
 *
 * <p>Each instance keeps the active versions compiled (swapped whole, so a decision in flight
 * holds one immutable version and never sees a mix) plus a bounded cache of recently used
 * ones; anything else is compiled from the store on demand. Instances follow each other's
 * activations by polling the pointers ({@link #refresh()}, scheduled by {@link #startPolling}).
 */
public final class RulesetRegistry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RulesetRegistry.class);

  /** Ruleset names as they appear in URLs and folder names. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  /** The files a ruleset may hold: rule files are checked; the others are stored and passed on. */
  public static final Set<String> FILE_EXTENSIONS = Set.of(RuleLanguage.EXTENSION, ".dmn");

  // Two writers racing for one number, or one pointer, retry; this bounds a pathological loop.
  private static final int MAX_ATTEMPTS = 100;

  private final RulesetStore store;
  private final Clock clock;
  private final RegistrySettings settings;
  private final ConcurrentHashMap<String, Live> live = new ConcurrentHashMap<>();
  private final Map<Key, RulesetVersion> recent;
  private volatile boolean storeReady;
  // Whether the active pointers were read from the store once: until then this instance would
  // answer "no such ruleset" for rulesets the others serve.
  private volatile boolean loaded;
  private ScheduledExecutorService poller;

  /** The active version of a name as this instance serves it, with the pointer revision it came from. */
  private record Live(RulesetVersion version, ActivePointer pointer) {}

  private record Key(String name, int version) {}

  /** Everything known of one name: its versions (without files) and its active pointer. */
  public record Entry(String name, List<VersionInfo> versions, Optional<ActivePointer> active) {
    public Entry {
      versions = List.copyOf(versions);
    }

    public Optional<Integer> activeVersion() {
      return active.map(ActivePointer::version);
    }
  }

  /**
   * What storing gave: the version stored (or, for an unchanged folder, the latest one), or
   * the diagnostics that kept it out.
   *
   * @param created false if nothing was stored: invalid, or the same files as the latest version
   */
  public record PutResult(
      Optional<StoredVersion> version, boolean active, List<Diagnostic> diagnostics, boolean created) {
    public PutResult {
      diagnostics = List.copyOf(diagnostics);
    }
  }

  public RulesetRegistry(RulesetStore store, Clock clock, RegistrySettings settings) {
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    int bound = settings.compiledCache();
    this.recent = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, RulesetVersion> eldest) {
        return size() > bound;
      }
    };
  }

  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  public RegistrySettings settings() {
    return settings;
  }

  /**
   * Checks the files as ruleset {@code name}; stores nothing. Rule files are parsed; {@code .dmn}
   * files are decision tables the checker validates and reads through the engine's DMN support.
   *
   * @throws RulesetTooLargeException over the size or file-count limit, before any parsing
   */
  public CheckResult validate(String name, Map<String, String> files) {
    checkLimits(files);
    List<Source> sources = new ArrayList<>();
    files.forEach((file, text) -> sources.add(new Source(file, text)));
    sources.sort(Comparator.comparing(Source::name));
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
   * Refuses files over the file-count or byte limit of a ruleset (the language service takes
   * the same files as validate).
   *
   * @throws RulesetTooLargeException over a limit
   */
  public void checkLimits(Map<String, String> files) {
    if (files.size() > settings.maxFiles()) {
      throw new RulesetTooLargeException("A ruleset has at most " + settings.maxFiles() + " files; this one has "
          + files.size() + ".");
    }
    long bytes = 0;
    for (String text : files.values()) {
      bytes += text.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > settings.maxRulesetBytes()) {
        throw new RulesetTooLargeException("A ruleset has at most " + settings.maxRulesetBytes()
            + " bytes of files; this one has more.");
      }
    }
  }

  /**
   * Stores a new version if the files are valid, and activates it unless told not to. An
   * invalid upload stores nothing and leaves the active version in place.
   */
  public PutResult put(String name, Map<String, String> files, boolean activate, String author) {
    return store(name, files, activate, author, false);
  }

  /**
   * Stores and activates the files as a new version unless they equal the latest stored
   * version (then nothing changes, whichever version is active): a restart, or several
   * instances loading the same folder, add no version.
   */
  public PutResult putIfChanged(String name, Map<String, String> files, String author) {
    return store(name, files, true, author, true);
  }

  private PutResult store(String name, Map<String, String> files, boolean activate, String author,
      boolean onlyIfChanged) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException("not a ruleset name: " + name);
    }
    CheckResult checked = validate(name, files);
    if (checked.ruleset().isEmpty()) {
      return new PutResult(Optional.empty(), false, checked.diagnostics(), false);
    }
    ready();
    List<VersionInfo> existing = store.versions(name);
    int number = existing.isEmpty() ? 1 : existing.get(existing.size() - 1).version() + 1;
    if (onlyIfChanged && number > 1) {
      Optional<StoredVersion> same = store.version(name, number - 1).filter(v -> v.files().equals(files));
      if (same.isPresent()) {
        return unchanged(same.get(), checked, activate, author);
      }
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++, number++) {
      // Compiled before storing, so a version in the store always builds.
      CompiledRuleset compiled = CompiledRuleset.compile(checked.ruleset().get(), number, settings.compile());
      StoredVersion version =
          new StoredVersion(name, number, files, checked.warnings(), clock.instant(), author);
      if (!store.create(version)) {
        Optional<StoredVersion> taken = store.version(name, number);
        if (taken.isEmpty() || !sameWrite(taken.get(), version)) {
          // Another writer took this number: the search that gave it was not yet up to date.
          if (onlyIfChanged && taken.isPresent() && taken.get().files().equals(files)) {
            return unchanged(taken.get(), checked, activate, author);
          }
          continue;
        }
      }
      RulesetVersion ready = RulesetVersion.of(version, compiled);
      remember(ready);
      boolean active = activate && point(name, ready, author).isPresent();
      prune(name);
      return new PutResult(Optional.of(version), active, checked.diagnostics(), true);
    }
    throw new IllegalStateException("no free version number for ruleset " + name + " after " + MAX_ATTEMPTS
        + " attempts");
  }

  /**
   * Whether {@code stored}, found under the number {@code written} could not take, is {@code
   * written} itself: the store answers "taken" to a create it applied and then received again (an
   * Elasticsearch node sends a write again to a new primary). The same files, author and
   * instant (the store keeps milliseconds) are this write; a second identical version would
   * otherwise be stored under the next number.
   */
  private static boolean sameWrite(StoredVersion stored, StoredVersion written) {
    return stored.files().equals(written.files())
        && Objects.equals(stored.createdBy(), written.createdBy())
        && stored.createdAt().truncatedTo(ChronoUnit.MILLIS)
            .equals(written.createdAt().truncatedTo(ChronoUnit.MILLIS));
  }

  // The files are already the latest version. If activation was asked and that version was
  // never made active since it was stored (an earlier attempt stored it, then the store failed
  // before the pointer was written), the activation is finished now. A pointer written after
  // the version was stored is someone's decision (a rollback) and is left alone.
  private PutResult unchanged(StoredVersion latest, CheckResult checked, boolean activate, String author) {
    Optional<ActivePointer> pointer = store.pointer(latest.name());
    boolean active = pointer.map(p -> p.version() == latest.version()).orElse(false);
    boolean neverActivated = pointer.map(p -> p.activatedAt().isBefore(latest.createdAt())).orElse(true);
    if (!active && activate && neverActivated) {
      active = point(latest.name(), compiled(latest), author).isPresent();
    }
    return new PutResult(Optional.of(latest), active, checked.diagnostics(), false);
  }

  /** Makes an existing version the active one (a rollback too), for every instance. */
  public Optional<RulesetVersion> activate(String name, int version) {
    return activate(name, version, "api");
  }

  /** {@link #activate(String, int)}, recording who activated it. */
  public Optional<RulesetVersion> activate(String name, int version, String by) {
    if (!isValidName(name)) {
      return Optional.empty();
    }
    ready();
    Optional<StoredVersion> stored = store.version(name, version);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    RulesetVersion compiled = compiled(stored.get());
    return point(name, compiled, by).map(pointer -> compiled);
  }

  // One conditional write of the pointer, retried if another writer moved it meanwhile; then the
  // local swap, so this instance serves the new version at once instead of at the next poll.
  private Optional<ActivePointer> point(String name, RulesetVersion version, String by) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<ActivePointer> current = store.pointer(name);
      Optional<ActivePointer> written =
          store.setPointer(name, version.version(), clock.instant(), by, current);
      if (written.isPresent()) {
        swap(version, written.get());
        return written;
      }
    }
    throw new IllegalStateException("the active pointer of ruleset " + name + " kept changing");
  }

  // Only a later revision of the pointer replaces what is served: two activations finishing in
  // either order, or a poll racing an activation, end on the pointer's last write.
  private void swap(RulesetVersion version, ActivePointer pointer) {
    Live[] replaced = new Live[1];
    live.compute(version.name(), (name, current) -> {
      if (current == null || pointer.isNewerThan(current.pointer())) {
        replaced[0] = current;
        return new Live(version, pointer);
      }
      return current;
    });
    if (replaced[0] != null && replaced[0].version() != version) {
      remember(replaced[0].version()); // no longer pinned: it is one of the recent ones now
    }
  }

  /** The version decisions of {@code name} use now, compiled; read from memory only. */
  public Optional<RulesetVersion> active(String name) {
    return Optional.ofNullable(live.get(name)).map(Live::version);
  }

  /** Every active version, compiled, by ruleset name; read from memory only. */
  public List<RulesetVersion> activeVersions() {
    return live.values().stream().map(Live::version)
        .sorted(java.util.Comparator.comparing(RulesetVersion::name)).toList();
  }

  /** One ruleset's versions and active pointer, as the store has them. */
  public Optional<Entry> get(String name) {
    if (!isValidName(name)) {
      return Optional.empty();
    }
    ready();
    List<VersionInfo> versions = store.versions(name);
    Optional<ActivePointer> pointer = store.pointer(name);
    if (versions.isEmpty() && pointer.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Entry(name, versions, pointer));
  }

  /** One stored version with its files. */
  public Optional<StoredVersion> version(String name, int version) {
    if (!isValidName(name)) {
      return Optional.empty();
    }
    ready();
    return store.version(name, version);
  }

  /**
   * One stored version, compiled: from memory when it is active or recent, else compiled from
   * the store (and then kept among the recent ones). A batch run pinned to a version uses it.
   */
  public Optional<RulesetVersion> compiled(String name, int version) {
    return version(name, version).map(this::compiled);
  }

  /** Every ruleset, by name. */
  public List<Entry> list() {
    ready();
    Map<String, List<VersionInfo>> byName = new TreeMap<>();
    for (VersionInfo version : store.allVersions()) {
      byName.computeIfAbsent(version.name(), n -> new ArrayList<>()).add(version);
    }
    Map<String, ActivePointer> pointers = new TreeMap<>();
    for (ActivePointer pointer : store.pointers()) {
      pointers.put(pointer.name(), pointer);
      byName.computeIfAbsent(pointer.name(), n -> new ArrayList<>());
    }
    List<Entry> entries = new ArrayList<>();
    byName.forEach((name, versions) -> entries.add(
        new Entry(name, versions, Optional.ofNullable(pointers.get(name)))));
    return entries;
  }

  /**
   * Follows the store's active pointers once: every ruleset whose pointer moved since this
   * instance last saw it is compiled (or taken from the cache) and swapped in whole. A pointer
   * to a version that cannot be read or compiled is logged and the current version kept.
   */
  public void refresh() {
    ready();
    for (ActivePointer pointer : store.pointers()) {
      Live current = live.get(pointer.name());
      if (current != null && !pointer.isNewerThan(current.pointer())) {
        continue;
      }
      try {
        if (current != null && current.version().version() == pointer.version()) {
          swap(current.version(), pointer);
          continue;
        }
        Optional<StoredVersion> stored = store.version(pointer.name(), pointer.version());
        if (stored.isEmpty()) {
          log.warn("Ruleset {}: the active version {} is not in the store; version {} stays active",
              pointer.name(), pointer.version(), current == null ? "none" : current.version().version());
          continue;
        }
        swap(compiled(stored.get()), pointer);
        log.info("Ruleset {}: version {} is active (activated by {})", pointer.name(), pointer.version(),
            pointer.activatedBy());
      } catch (RuntimeException e) {
        log.error("Ruleset {}: cannot load active version {}: {}", pointer.name(), pointer.version(), e.toString());
      }
    }
    loaded = true;
  }

  /** Whether the active versions were read from the store at least once ({@link #refresh()}). */
  public boolean loaded() {
    return loaded;
  }

  /**
   * Calls {@link #refresh()} every {@code interval} on a daemon thread, until
   * {@link #close()}. A failure (store unreachable) is logged and retried at the next tick.
   */
  public synchronized void startPolling(Duration interval) {
    if (poller != null) {
      throw new IllegalStateException("already polling");
    }
    poller = Poller.every("relais-ruleset-poll", interval, this::refresh,
        e -> log.warn("Cannot follow the active rulesets: {}", e.toString()));
  }

  @Override
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
  }

  /** How many compiled versions this instance holds: the active ones plus the recent ones. */
  public int compiledInMemory() {
    Set<Key> keys = new java.util.HashSet<>();
    live.values().forEach(l -> keys.add(new Key(l.version().name(), l.version().version())));
    synchronized (recent) {
      keys.addAll(recent.keySet());
    }
    return keys.size();
  }

  private RulesetVersion compiled(StoredVersion stored) {
    Key key = new Key(stored.name(), stored.version());
    Live current = live.get(stored.name());
    if (current != null && current.version().version() == stored.version()) {
      return current.version();
    }
    synchronized (recent) {
      RulesetVersion cached = recent.get(key);
      if (cached != null) {
        return cached;
      }
    }
    CheckResult checked = validate(stored.name(), stored.files());
    if (checked.ruleset().isEmpty()) {
      // Stored versions were valid when stored; a newer language may reject them.
      throw new IllegalStateException("stored version " + stored.version() + " of ruleset " + stored.name()
          + " no longer checks: " + checked.errors().stream().map(Diagnostic::render).toList());
    }
    RulesetVersion version = RulesetVersion.of(stored, CompiledRuleset.compile(checked.ruleset().get(),
        stored.version(), settings.compile()));
    remember(version);
    return version;
  }

  private void remember(RulesetVersion version) {
    synchronized (recent) {
      recent.put(new Key(version.name(), version.version()), version);
    }
  }

  // Over the cap, the oldest versions go, except the active one and the one just stored, so the
  // active version and every rollback target newer than the deleted ones stay.
  private void prune(String name) {
    List<VersionInfo> versions = store.versions(name);
    int excess = versions.size() - settings.maxVersions();
    if (excess <= 0) {
      return;
    }
    Optional<Integer> active = store.pointer(name).map(ActivePointer::version);
    int newest = versions.get(versions.size() - 1).version();
    for (VersionInfo version : versions) {
      if (excess == 0) {
        break;
      }
      if (version.version() == newest || active.map(a -> a == version.version()).orElse(false)) {
        continue;
      }
      store.delete(name, version.version());
      synchronized (recent) {
        recent.remove(new Key(name, version.version()));
      }
      excess--;
      log.info("Ruleset {}: version {} deleted (at most {} versions are kept)", name, version.version(),
          settings.maxVersions());
    }
  }

  private void ready() {
    if (!storeReady) {
      store.ensureExists();
      storeReady = true;
    }
  }
}
