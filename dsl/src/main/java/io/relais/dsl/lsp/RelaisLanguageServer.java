package io.relais.dsl.lsp;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.language.LanguageService;
import io.relais.dsl.language.Snapshot;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.CodeActionOptions;
import org.eclipse.lsp4j.CompletionOptions;
import org.eclipse.lsp4j.DidChangeWatchedFilesRegistrationOptions;
import org.eclipse.lsp4j.FileSystemWatcher;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.PositionEncodingKind;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Registration;
import org.eclipse.lsp4j.RegistrationParams;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextDocumentSyncOptions;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * The Relais language server: lifecycle and capabilities; the documents are {@link Documents},
 * watched files {@link Workspace}. Every message is handled in the order it arrives, on LSP4J's
 * reading thread: a request sees every change sent before it, and an answer takes milliseconds
 * (docs/performance.md, "Language service").
 */
public final class RelaisLanguageServer implements LanguageServer, LanguageClientAware {

  private final Folders folders;
  private final IntConsumer exit;
  private final Documents documents;
  private final Workspace workspace;
  private final Map<String, List<org.eclipse.lsp4j.Diagnostic>> published = new HashMap<>();
  private LanguageClient client;
  private boolean watchable;
  private volatile boolean shutdown;

  /**
   * A server over {@code service}; {@code exit} receives the exit code when the client sends
   * {@code exit}: 0 after {@code shutdown}, 1 without (LSP 3.17).
   */
  public RelaisLanguageServer(LanguageService service, IntConsumer exit) {
    this.folders = new Folders(service);
    this.exit = exit;
    this.documents = new Documents(folders, service, this::publish);
    this.workspace = new Workspace(folders, this::publish);
  }

  @Override
  public void connect(LanguageClient client) {
    this.client = client;
  }

  @Override
  public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
    var capabilities = params.getCapabilities();
    watchable = capabilities != null && capabilities.getWorkspace() != null
        && capabilities.getWorkspace().getDidChangeWatchedFiles() != null
        && Boolean.TRUE.equals(capabilities.getWorkspace().getDidChangeWatchedFiles()
            .getDynamicRegistration());
    ServerCapabilities server = new ServerCapabilities();
    server.setPositionEncoding(PositionEncodingKind.UTF16);
    TextDocumentSyncOptions sync = new TextDocumentSyncOptions();
    sync.setOpenClose(true);
    sync.setChange(TextDocumentSyncKind.Incremental);
    server.setTextDocumentSync(sync);
    server.setCompletionProvider(new CompletionOptions(false, List.of(".", "\"")));
    server.setHoverProvider(true);
    server.setDefinitionProvider(true);
    server.setDocumentSymbolProvider(true);
    server.setDocumentFormattingProvider(true);
    server.setCodeActionProvider(new CodeActionOptions(List.of(CodeActionKind.QuickFix)));
    return CompletableFuture.completedFuture(new InitializeResult(server,
        new ServerInfo("relais", "1")));
  }

  @Override
  public void initialized(InitializedParams params) {
    if (watchable && client != null) {
      // Files changed outside the editor (git checkout, ./relais format) are checked again.
      String glob = "**/*.{" + RuleLanguage.EXTENSION.substring(1) + ","
          + RuleLanguage.DMN_EXTENSION.substring(1) + "}";
      client.registerCapability(new RegistrationParams(List.of(new Registration("relais-files",
          "workspace/didChangeWatchedFiles", new DidChangeWatchedFilesRegistrationOptions(
              List.of(new FileSystemWatcher(Either.forLeft(glob))))))));
    }
  }

  @Override
  public CompletableFuture<Object> shutdown() {
    shutdown = true;
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void exit() {
    exit.accept(shutdown ? 0 : 1);
  }

  @Override
  public TextDocumentService getTextDocumentService() {
    return documents;
  }

  @Override
  public WorkspaceService getWorkspaceService() {
    return workspace;
  }

  /**
   * Sends the diagnostics of every file of a ruleset whose diagnostics changed since last sent
   * (the file just edited always: an empty list clears what the editor shows).
   */
  private synchronized void publish(Folders.Ruleset ruleset, String edited) {
    if (client == null) {
      return;
    }
    Snapshot snapshot = ruleset.files().snapshot();
    Set<String> files = new LinkedHashSet<>(snapshot.diagnosticsByFile().keySet());
    files.addAll(ruleset.uris().keySet());
    for (String file : files) {
      String uri = ruleset.uri(file);
      List<org.eclipse.lsp4j.Diagnostic> diagnostics = snapshot.diagnostics(file).stream()
          .map(Convert::diagnostic).toList();
      if (file.equals(edited) || !diagnostics.equals(published.get(uri))) {
        published.put(uri, diagnostics);
        client.publishDiagnostics(new PublishDiagnosticsParams(uri, diagnostics));
      }
    }
  }

  /** Sends diagnostics after a change to a ruleset ({@code edited}: the file changed). */
  interface Publisher {
    void publish(Folders.Ruleset ruleset, String edited);
  }
}
