package io.relais.dsl.lsp;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.RulesetSources;
import io.relais.dsl.language.LanguageService;
import io.relais.dsl.language.Position;
import io.relais.dsl.language.RulesetFiles;
import io.relais.dsl.source.Source;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;

/**
 * The rulesets the editor works on: a {@code .rules} file belongs to the ruleset of its folder
 * (every {@code .rules} and {@code .dmn} file in it, as {@code ./relais check FOLDER} sees
 * them), with the text of the open documents in place of what is on disk. A document that is
 * no file ({@code untitled:}) is a ruleset of its own.
 */
final class Folders {

  private static final Logger LOG = Logger.getLogger(Folders.class.getName());

  /** A ruleset: its files, and the URI of each (as the client wrote it when it opened one). */
  record Ruleset(String key, Path folder, RulesetFiles files, Map<String, String> uris) {

    /** The URI of a file of this ruleset. */
    String uri(String file) {
      String uri = uris.get(file);
      return uri != null ? uri : folder == null ? key : folder.resolve(file).toUri().toString();
    }
  }

  /** Where a document sits: its ruleset and its file name there. */
  record Place(Ruleset ruleset, String file) {}

  private final LanguageService service;
  private final Map<String, Ruleset> rulesets = new HashMap<>();
  private final Set<String> open = new HashSet<>();

  Folders(LanguageService service) {
    this.service = service;
  }

  /** The ruleset and file of {@code uri}, loading its folder from disk the first time. */
  synchronized Place place(String uri) {
    Path path = path(uri).orElse(null);
    if (path == null || path.getParent() == null) {
      String name = uri.substring(uri.lastIndexOf('/') + 1);
      String file = name.endsWith(RuleLanguage.EXTENSION) ? name : "untitled" + RuleLanguage.EXTENSION;
      Ruleset r = rulesets.computeIfAbsent(uri, k -> new Ruleset(k, null,
          service.ruleset("untitled"), new HashMap<>()));
      r.uris().put(file, uri);
      return new Place(r, file);
    }
    Path folder = path.getParent();
    String key = folder.toString();
    Ruleset r = rulesets.get(key);
    if (r == null) {
      r = load(key, folder);
      rulesets.put(key, r);
    }
    String file = path.getFileName().toString();
    r.uris().put(file, uri);
    return new Place(r, file);
  }

  synchronized void opened(String uri) {
    open.add(uri);
  }

  synchronized void closed(String uri) {
    open.remove(uri);
  }

  /** Whether the editor has the document open (its text, not the disk's, is the file). */
  synchronized boolean isOpen(String uri) {
    return open.contains(uri);
  }

  /** Whether the ruleset of a folder is loaded (a document of it was opened). */
  synchronized boolean loaded(Path folder) {
    return folder != null && rulesets.containsKey(folder.toString());
  }

  /** An existing place only: a URI of a folder not loaded, or of no ruleset file, is empty. */
  synchronized Optional<Place> existing(String uri) {
    Optional<Path> path = path(uri);
    Ruleset r = path.map(p -> p.getParent() == null ? null : rulesets.get(p.getParent().toString()))
        .orElse(rulesets.get(uri));
    if (r == null) {
      return Optional.empty();
    }
    String file = path.filter(p -> p.getParent() != null)
        .map(p -> p.getFileName().toString())
        .orElseGet(() -> r.uris().entrySet().stream().filter(e -> e.getValue().equals(uri))
            .map(Map.Entry::getKey).findFirst().orElse(""));
    return r.files().text(file).isPresent() ? Optional.of(new Place(r, file)) : Optional.empty();
  }

  private Ruleset load(String key, Path folder) {
    RulesetFiles files;
    if (Files.isDirectory(folder)) {
      try {
        RulesetSources sources = RuleLanguage.load(folder);
        files = service.ruleset(sources.name());
        for (Source source : sources.sources()) {
          files.put(source.name(), source.text());
        }
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot read the folder " + folder + ": " + e.getMessage());
        files = service.ruleset(String.valueOf(folder.getFileName()));
      }
    } else {
      files = service.ruleset(String.valueOf(folder.getFileName()));
    }
    return new Ruleset(key, folder, files, new HashMap<>());
  }

  /** Applies the changes of one {@code didChange}, in order: ranges, or whole texts. */
  static String apply(String text, List<TextDocumentContentChangeEvent> changes) {
    String result = text;
    for (TextDocumentContentChangeEvent change : changes) {
      if (change.getRange() == null) {
        result = change.getText();
        continue;
      }
      Position start = Convert.position(change.getRange().getStart());
      Position end = Convert.position(change.getRange().getEnd());
      int from = start.offset(result);
      int to = Math.max(from, end.offset(result));
      result = result.substring(0, from) + change.getText() + result.substring(to);
    }
    return result;
  }

  /** What a file holds on disk now, if it is a readable file. */
  static Optional<String> onDisk(String uri) {
    return path(uri).filter(Files::isRegularFile).flatMap(p -> {
      try {
        return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot read " + p + ": " + e.getMessage());
        return Optional.empty();
      }
    });
  }

  /** The file a {@code file:} URI names. */
  static Optional<Path> path(String uri) {
    try {
      URI parsed = new URI(uri);
      return "file".equalsIgnoreCase(parsed.getScheme()) ? Optional.of(Path.of(parsed))
          : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
