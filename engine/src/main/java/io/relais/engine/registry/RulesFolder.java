package io.relais.engine.registry;

import io.relais.dsl.diagnostic.Diagnostic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of rulesets, one sub-folder each, kept in the registry: loaded at start and
 * reloaded when its files change. A sub-folder is stored as a new version only when its files
 * differ from the latest stored version, so restarts and several instances add none. A change
 * with errors is logged with its diagnostics and the active version stays.
 *
 * <p>Changes are found by polling, not by a file-system watch: it works the same on every
 * file system (network and container mounts included) and the folders are small. An editor
 * saving several files is debounced: a changed folder is loaded once it reads the same on two
 * scans in a row.
 */
public final class RulesFolder implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RulesFolder.class);

  /** The author of versions stored from the folder. */
  public static final String AUTHOR = "rules-dir";

  /**
   * What loading one sub-folder gave.
   *
   * @param version the version stored or found unchanged; null if invalid (a plain value, so
   *     any JSON mapper shows it)
   */
  public record Loaded(String name, int files, boolean valid, Integer version, List<String> diagnostics) {
    public Loaded {
      diagnostics = List.copyOf(diagnostics);
    }
  }

  private final Path dir;
  private final RulesetRegistry registry;
  // The files last acted on (stored, found unchanged, or refused), per ruleset.
  private final Map<String, Map<String, String>> seen = new HashMap<>();
  // A change seen once and waiting to read the same again.
  private final Map<String, Map<String, String>> pending = new HashMap<>();
  private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();
  private ScheduledExecutorService poller;

  public RulesFolder(Path dir, RulesetRegistry registry) {
    this.dir = dir;
    this.registry = registry;
  }

  /** The outcome of the last load of each sub-folder, by ruleset name. */
  public Map<String, Loaded> loaded() {
    return new TreeMap<>(loaded);
  }

  /** Loads every sub-folder now, without debounce: what the service does at start. */
  public synchronized void loadAll() {
    if (!Files.isDirectory(dir)) {
      log.warn("Rules folder {} does not exist: no ruleset loaded from it", dir.toAbsolutePath());
      return;
    }
    read().forEach(this::load);
    pending.clear();
  }

  /**
   * One poll: a sub-folder whose files differ from those last loaded is loaded if they read the
   * same as at the previous scan, else remembered for the next one.
   */
  public synchronized void scan() {
    read().forEach((name, files) -> {
      if (files.equals(seen.get(name))) {
        pending.remove(name);
      } else if (files.equals(pending.get(name))) {
        pending.remove(name);
        load(name, files);
      } else {
        pending.put(name, files);
      }
    });
  }

  /** Scans every {@code interval} on a daemon thread until {@link #close()}. */
  public synchronized void start(Duration interval) {
    if (poller != null) {
      throw new IllegalStateException("already watching " + dir);
    }
    poller = Poller.every("relais-rules-dir", interval, this::scan,
        e -> log.warn("Cannot reload rules folder {}: {}", dir, e.toString()));
  }

  @Override
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
  }

  private void load(String name, Map<String, String> files) {
    if (files.isEmpty()) {
      return;
    }
    RulesetRegistry.PutResult put;
    try {
      put = registry.putIfChanged(name, files, AUTHOR);
    } catch (RulesetTooLargeException e) {
      seen.put(name, files);
      loaded.put(name, new Loaded(name, files.size(), false, null, List.of(e.getMessage())));
      log.error("Ruleset {} in {} is not loaded: {}", name, dir, e.getMessage());
      return;
    } catch (RuntimeException e) {
      // The store is unreachable, say: not marked seen, so the next scan tries again.
      log.error("Ruleset {} in {} could not be stored: {}", name, dir, e.toString());
      return;
    }
    seen.put(name, files);
    List<String> diagnostics = put.diagnostics().stream().map(Diagnostic::render).toList();
    Optional<Integer> version = put.version().map(StoredVersion::version);
    loaded.put(name, new Loaded(name, files.size(), version.isPresent(), version.orElse(null), diagnostics));
    if (version.isEmpty()) {
      Optional<Integer> active = registry.active(name).map(RulesetVersion::version);
      log.error("Ruleset {} in {} has errors and is not used; {}:", name, dir,
          active.map(v -> "version " + v + " stays active").orElse("no version is active"));
      diagnostics.forEach(d -> log.error("  {}{}{}", dir.resolve(name), java.io.File.separator, d));
      return;
    }
    if (put.created()) {
      log.info("Ruleset {}: version {} stored from {} ({} files){}", name, version.get(), dir, files.size(),
          put.active() ? ", active" : "");
    } else {
      log.info("Ruleset {}: {} is unchanged (version {})", name, dir.resolve(name), version.get());
    }
    diagnostics.forEach(d -> log.warn("  {}{}{}", dir.resolve(name), java.io.File.separator, d));
  }

  // Every sub-folder with a valid ruleset name, as file name to text; unreadable ones are
  // logged and left out of this scan.
  private Map<String, Map<String, String>> read() {
    Map<String, Map<String, String>> folders = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return folders;
    }
    List<Path> subFolders;
    try (Stream<Path> list = Files.list(dir)) {
      subFolders = new ArrayList<>(list.filter(Files::isDirectory).sorted().toList());
    } catch (IOException e) {
      log.error("Cannot list rules folder {}: {}", dir, e.getMessage());
      return folders;
    }
    for (Path folder : subFolders) {
      String name = folder.getFileName().toString();
      if (!RulesetRegistry.isValidName(name)) {
        continue;
      }
      try {
        folders.put(name, files(folder));
      } catch (IOException e) {
        log.error("Cannot read ruleset folder {}: {}", folder, e.getMessage());
      }
    }
    return folders;
  }

  private static Map<String, String> files(Path folder) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    try (Stream<Path> list = Files.list(folder)) {
      for (Path file : list.filter(Files::isRegularFile).sorted().toList()) {
        String fileName = file.getFileName().toString();
        if (RulesetRegistry.FILE_EXTENSIONS.stream().anyMatch(fileName::endsWith)) {
          files.put(fileName, Files.readString(file, StandardCharsets.UTF_8));
        }
      }
    }
    return files;
  }
}
