package io.relais.bench;

import io.relais.dsl.check.DecisionModels;
import io.relais.dsl.language.LanguageService;
import io.relais.dsl.lsp.RelaisLanguageServer;
import io.relais.dsl.source.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.services.LanguageClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One keystroke in a 1,000-rule ruleset open in an editor, through the language server
 * ({@code ./relais lsp}) in process: {@code didChange} with one character inserted or deleted
 * in a condition, the file parsed again, the whole ruleset checked again, the diagnostics of
 * the files that changed published to the client. The ruleset is in 20 files of 50 rules, or
 * in one file (the worst case: the whole text parsed again). Sampled, so JMH prints the p99.
 * Also: completion after {@code contact.} in the same ruleset.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KeystrokeBenchmark {

  /** How many files hold the 1,000 rules. */
  @Param({"20", "1"})
  public int files;

  private Path folder;
  private RelaisLanguageServer server;
  private final Published client = new Published();
  private String uri;
  private Position edit;
  private Position contactDot;
  private boolean inserted;
  private int version = 1;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    folder = Files.createTempDirectory("relais-keystroke");
    List<Source> sources = CompileBenchmark.thousandRules(files);
    for (Source source : sources) {
      Files.writeString(folder.resolve(source.name()), source.text());
    }
    Source edited = sources.get(sources.size() - 1);
    String text = edited.text();
    String condition = "count(page_visit within 30 days) >= ";
    edit = position(text, text.lastIndexOf(condition) + condition.length());
    contactDot = position(text, text.lastIndexOf("contact.score") + "contact.".length());
    uri = folder.resolve(edited.name()).toUri().toString();
    server = new RelaisLanguageServer(new LanguageService(DecisionModels.installed()), code -> { });
    server.connect(client);
    InitializeParams params = new InitializeParams();
    params.setCapabilities(new ClientCapabilities());
    server.initialize(params).join();
    server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
        new TextDocumentItem(uri, "relais", 1, text)));
    if (client.published == 0) {
      throw new IllegalStateException("no diagnostics published on open");
    }
  }

  /** A 0-based LSP position of an offset of a text without surrogate pairs. */
  private static Position position(String text, int offset) {
    int line = 0;
    int start = 0;
    for (int i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      start = i + 1;
    }
    return new Position(line, offset - start);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try (var paths = Files.list(folder)) {
      for (Path p : paths.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(folder);
  }

  /** Types a digit into a threshold, or deletes it again: the ruleset stays valid. */
  @Benchmark
  public int keystroke() {
    int before = client.published;
    Position end = new Position(edit.getLine(), edit.getCharacter() + 1);
    TextDocumentContentChangeEvent change = inserted
        ? new TextDocumentContentChangeEvent(new Range(edit, end), "")
        : new TextDocumentContentChangeEvent(new Range(edit, edit), "1");
    inserted = !inserted;
    server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
        new VersionedTextDocumentIdentifier(uri, ++version), List.of(change)));
    if (client.published == before) {
      throw new IllegalStateException("the edited file's diagnostics were not published");
    }
    return client.diagnostics;
  }

  /** Completion after {@code contact.}, the ruleset checked already. */
  @Benchmark
  public int completionAfterContactDot() {
    return server.getTextDocumentService().completion(new CompletionParams(
        new TextDocumentIdentifier(uri), contactDot)).join().getRight().getItems().size();
  }

  /** A client that counts what it is sent; the server calls it on the benchmark's thread. */
  static final class Published implements LanguageClient {
    int published;
    int diagnostics;

    @Override
    public void publishDiagnostics(PublishDiagnosticsParams params) {
      published++;
      diagnostics = params.getDiagnostics().size();
    }

    @Override
    public void telemetryEvent(Object object) {}

    @Override
    public void showMessage(MessageParams message) {}

    @Override
    public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams request) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void logMessage(MessageParams message) {}
  }
}
