package io.relais.dsl.lsp;

import io.relais.dsl.RuleLanguage;
import java.util.Optional;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.FileChangeType;
import org.eclipse.lsp4j.FileEvent;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * {@code workspace/...}: files of a loaded folder changed on disk. An open document keeps the
 * editor's text; any other file of the folder is read again (or leaves the ruleset).
 */
final class Workspace implements WorkspaceService {

  private final Folders folders;
  private final RelaisLanguageServer.Publisher publisher;

  Workspace(Folders folders, RelaisLanguageServer.Publisher publisher) {
    this.folders = folders;
    this.publisher = publisher;
  }

  @Override
  public void didChangeConfiguration(DidChangeConfigurationParams params) {
    // No settings.
  }

  @Override
  public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) {
    for (FileEvent event : params.getChanges()) {
      String uri = event.getUri();
      boolean ruleFile = uri.endsWith(RuleLanguage.EXTENSION) || RuleLanguage.isDmn(uri);
      Optional<java.nio.file.Path> path = Folders.path(uri);
      if (!ruleFile || path.isEmpty() || !folders.loaded(path.get().getParent())
          || folders.isOpen(uri)) {
        continue;
      }
      Folders.Place place = folders.place(uri);
      Optional<String> disk = event.getType() == FileChangeType.Deleted ? Optional.empty()
          : Folders.onDisk(uri);
      if (disk.isPresent()) {
        place.ruleset().files().put(place.file(), disk.get());
      } else {
        place.ruleset().files().remove(place.file());
      }
      publisher.publish(place.ruleset(), place.file());
    }
  }
}
