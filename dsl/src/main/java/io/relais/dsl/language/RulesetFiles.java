package io.relais.dsl.language;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The files of one ruleset as an editor holds them, changing as the author types. A change
 * parses again only the file changed; the checker runs again over every file (fast enough: see
 * docs/performance.md, "Language service"). Thread-safe; snapshots are immutable.
 */
public final class RulesetFiles {

  private final String name;
  private final LanguageService service;
  private final Map<String, FileState> files = new TreeMap<>();
  private Snapshot snapshot;

  RulesetFiles(String name, LanguageService service) {
    this.name = name;
    this.service = service;
  }

  public String name() {
    return name;
  }

  /** Sets the text of a file (added if new); unchanged text keeps its parse. */
  public synchronized void put(String file, String text) {
    FileState current = files.get(file);
    if (current == null || !current.source().text().equals(text)) {
      files.put(file, new FileState(new io.relais.dsl.source.Source(file, text)));
      snapshot = null;
    }
  }

  /** Removes a file; false if there was none. */
  public synchronized boolean remove(String file) {
    boolean removed = files.remove(file) != null;
    if (removed) {
      snapshot = null;
    }
    return removed;
  }

  public synchronized Optional<String> text(String file) {
    return Optional.ofNullable(files.get(file)).map(f -> f.source().text());
  }

  public synchronized Set<String> files() {
    return Set.copyOf(files.keySet());
  }

  /** The files as they are now, checked: computed once per change. */
  public synchronized Snapshot snapshot() {
    if (snapshot == null) {
      snapshot = service.analyse(name, files.values());
    }
    return snapshot;
  }
}
