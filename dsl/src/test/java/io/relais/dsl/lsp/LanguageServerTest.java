package io.relais.dsl.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.format.Formatter;
import io.relais.dsl.parser.RulesParser;
import io.relais.dsl.source.Source;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The language server through the protocol: LSP4J's own client launcher on piped streams to
 * {@link LanguageServerMain#serve}, a folder of two rule files on disk, the client opening one.
 */
class LanguageServerTest {

  private static final Duration DEADLINE = Duration.ofSeconds(20);

  static final String DECLARATIONS = """
      ruleset "shop"
      define HOT = 100
      campaign "leasing-101"
        step "leasing-intro" after 1 day
      end

      segment "VIP"
      when
        contact.score >= HOT
      then
        tag "VIP"
      end
      """;

  /** Two errors after a non-ASCII letter and an emoji (two UTF-16 units) on their line. */
  static final String TWO_ERRORS =
      "scoring \"Café 😀\" when contact.scroe > 1 and event.urll = \"x\" then add 1 to score end\n";

  @TempDir Path folder;
  private final Client client = new Client();
  private LanguageServer server;
  private CompletableFuture<Integer> exitCode;
  private String declarations;
  private String rules;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(folder.resolve("a-declarations.rules"), DECLARATIONS);
    Files.writeString(folder.resolve("b-rules.rules"), "");
    declarations = folder.resolve("a-declarations.rules").toUri().toString();
    rules = folder.resolve("b-rules.rules").toUri().toString();
    PipedInputStream serverIn = new PipedInputStream(1 << 16);
    PipedOutputStream clientOut = new PipedOutputStream(serverIn);
    PipedInputStream clientIn = new PipedInputStream(1 << 16);
    PipedOutputStream serverOut = new PipedOutputStream(clientIn);
    exitCode = CompletableFuture.supplyAsync(() ->
        LanguageServerMain.serve(serverIn, serverOut, Optional.empty()));
    Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(client, clientIn, clientOut);
    launcher.startListening();
    server = launcher.getRemoteProxy();
  }

  @AfterEach
  void stop() {
    if (!exitCode.isDone()) {
      server.exit();
    }
  }

  private InitializeResult initialize() throws Exception {
    InitializeParams params = new InitializeParams();
    params.setCapabilities(new ClientCapabilities());
    InitializeResult result = server.initialize(params).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    server.initialized(new InitializedParams());
    return result;
  }

  private void open(String text) {
    server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
        new TextDocumentItem(rules, "relais", 1, text)));
  }

  private int version = 1;

  private void change(TextDocumentContentChangeEvent... changes) {
    server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
        new VersionedTextDocumentIdentifier(rules, ++version), List.of(changes)));
  }

  private void replaceAll(String text) {
    change(new TextDocumentContentChangeEvent(text));
  }

  private List<CompletionItem> complete(int line, int character) throws Exception {
    return server.getTextDocumentService().completion(new CompletionParams(
            new TextDocumentIdentifier(rules), new Position(line, character)))
        .get(DEADLINE.toSeconds(), TimeUnit.SECONDS).getRight().getItems();
  }

  private static List<String> labels(List<CompletionItem> items) {
    return items.stream().map(CompletionItem::getLabel).toList();
  }

  @Test
  void initializeAnnouncesWhatTheServerDoes() throws Exception {
    InitializeResult result = initialize();

    var capabilities = result.getCapabilities();
    assertThat(capabilities.getPositionEncoding()).isEqualTo("utf-16");
    assertThat(capabilities.getTextDocumentSync().getRight().getChange())
        .isEqualTo(TextDocumentSyncKind.Incremental);
    assertThat(capabilities.getCompletionProvider().getTriggerCharacters()).containsExactly(".", "\"");
    assertThat(capabilities.getHoverProvider().getLeft()).isTrue();
    assertThat(capabilities.getDefinitionProvider().getLeft()).isTrue();
    assertThat(capabilities.getDocumentSymbolProvider().getLeft()).isTrue();
    assertThat(capabilities.getDocumentFormattingProvider().getLeft()).isTrue();
    assertThat(result.getServerInfo().getName()).isEqualTo("relais");
  }

  @Test
  void diagnosticsAtZeroBasedUtf16PositionsWithTheSuggestionThenClearedByEdits() throws Exception {
    initialize();
    open(TWO_ERRORS);

    List<Diagnostic> diagnostics = client.await(rules, d -> !d.isEmpty());
    assertThat(diagnostics).hasSize(2);
    Diagnostic field = diagnostics.get(0);
    // "scoring \"Café 😀\" when " is 23 UTF-16 units (22 code points): the field starts at 23.
    assertThat(field.getRange()).isEqualTo(new Range(new Position(0, 23), new Position(0, 36)));
    assertThat(field.getMessage()).isEqualTo("unknown field contact.scroe — did you mean contact.score?");
    assertThat(field.getCode().getLeft()).isEqualTo("unknown-field");
    assertThat(field.getSeverity()).isEqualTo(DiagnosticSeverity.Error);
    assertThat(field.getSource()).isEqualTo("relais");
    Diagnostic attribute = diagnostics.get(1);
    assertThat(attribute.getRange()).isEqualTo(new Range(new Position(0, 45), new Position(0, 55)));
    assertThat(attribute.getMessage()).endsWith("did you mean event.url?");

    // Incremental: each range is read against the text the change before it left.
    change(new TextDocumentContentChangeEvent(new Range(new Position(0, 31), new Position(0, 36)), "score"),
        new TextDocumentContentChangeEvent(new Range(new Position(0, 45), new Position(0, 61)), "contact.score < 9"));

    assertThat(client.await(rules, List::isEmpty)).isEmpty();
  }

  @Test
  void aWholeTextChangeIsFullSync() throws Exception {
    initialize();
    open("scoring \"s\" when contact.score > 1 then add 1 to score end\n");
    assertThat(client.await(rules, d -> true)).isEmpty();

    replaceAll("scoring \"s\" when contact.scroe > 1 then add 1 to score end\n");

    assertThat(client.await(rules, d -> !d.isEmpty())).extracting(Diagnostic::getMessage)
        .containsExactly("unknown field contact.scroe — did you mean contact.score?");
  }

  @Test
  void theFolderIsOneRulesetAcrossFiles() throws Exception {
    initialize();
    open("nurture \"n\" then enroll in \"nowhere\" end\n");
    assertThat(client.await(rules, d -> !d.isEmpty())).extracting(Diagnostic::getMessage)
        .containsExactly("unknown campaign \"nowhere\"");
    assertThat(client.await(declarations, d -> !d.isEmpty())).extracting(d -> d.getCode().getLeft())
        .containsExactly("campaign-never-enrolled");

    replaceAll("nurture \"n\" then enroll in \"leasing-101\" end\n");

    assertThat(client.await(rules, List::isEmpty)).isEmpty();
    assertThat(client.await(declarations, List::isEmpty)).isEmpty();
  }

  @Test
  void completionInEachContext() throws Exception {
    initialize();
    open("""
        segment "s"
        when
          contact. and event is  and event is purchase and event.
        then
          tag ""
        end

        nurture "n"
        then
          enroll in "
        """);

    List<CompletionItem> fields = complete(2, 10);
    assertThat(labels(fields)).contains("score", "stage", "consent.email");
    CompletionItem score = fields.stream().filter(i -> i.getLabel().equals("score")).findFirst().orElseThrow();
    assertThat(score.getKind()).isEqualTo(CompletionItemKind.Field);
    assertThat(score.getDetail()).isEqualTo("number");
    assertThat(score.getDocumentation().getRight().getValue()).isEqualTo("the contact score (whole number)");
    assertThat(score.getTextEdit().getLeft().getRange()).isEqualTo(new Range(new Position(2, 10), new Position(2, 10)));

    assertThat(labels(complete(2, 24))).contains("page_visit", "purchase", "daily");
    assertThat(labels(complete(2, 58))).containsExactlyInAnyOrder("order", "amount", "currency", "items", "id", "type", "at");
    assertThat(labels(complete(4, 7))).containsExactly("VIP");
    List<CompletionItem> campaigns = complete(9, 13);
    assertThat(labels(campaigns)).containsExactly("leasing-101");
    assertThat(campaigns.get(0).getTextEdit().getLeft().getNewText()).isEqualTo("leasing-101\"");
    assertThat(labels(complete(4, 2))).contains("tag", "add", "remove", "untag").doesNotContain("when");
    assertThat(labels(complete(2, 2))).contains("contact", "count", "HOT", "not");
  }

  @Test
  @SuppressWarnings("unchecked")
  void hoverAndDefinitionAcrossTwoFilesOfTheFolder() throws Exception {
    initialize();
    open("scoring \"s\"\nwhen\n  contact.score > HOT\nthen\n  add 1 to score\nend\n\n"
        + "nurture \"n\"\nthen\n  enroll in \"leasing-101\"\nend\n");

    Hover hover = server.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(rules),
        new Position(2, 12))).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(hover.getContents().getRight().getValue())
        .isEqualTo("**contact.score** `number`\n\nthe contact score (whole number)");
    assertThat(hover.getRange()).isEqualTo(new Range(new Position(2, 10), new Position(2, 15)));

    List<Location> campaign = (List<Location>) server.getTextDocumentService().definition(new DefinitionParams(
        new TextDocumentIdentifier(rules), new Position(9, 16))).get(DEADLINE.toSeconds(), TimeUnit.SECONDS).getLeft();
    assertThat(campaign).containsExactly(new Location(declarations,
        new Range(new Position(2, 9), new Position(2, 22))));
    List<Location> define = (List<Location>) server.getTextDocumentService().definition(new DefinitionParams(
        new TextDocumentIdentifier(rules), new Position(2, 19))).get(DEADLINE.toSeconds(), TimeUnit.SECONDS).getLeft();
    assertThat(define).containsExactly(new Location(declarations,
        new Range(new Position(1, 7), new Position(1, 10))));
  }

  @Test
  void formattingEditsRoundTrip() throws Exception {
    initialize();
    String messy = "SCORING   \"s\" when contact.score>1 then add 1 to score end";
    open(messy);

    List<? extends TextEdit> edits = format();
    assertThat(edits).hasSize(1);
    String formatted = apply(messy, edits.get(0));
    assertThat(formatted).isEqualTo(Formatter.format(RulesParser.parse(new Source("b", messy)).file()));

    replaceAll(formatted);
    assertThat(format()).isEmpty();
  }

  private List<? extends TextEdit> format() throws Exception {
    return server.getTextDocumentService().formatting(new DocumentFormattingParams(
        new TextDocumentIdentifier(rules), new FormattingOptions(2, true))).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  /** Applies one edit of a single-line text (what the editor does). */
  private static String apply(String text, TextEdit edit) {
    assertThat(edit.getRange().getStart()).isEqualTo(new Position(0, 0));
    assertThat(edit.getRange().getEnd()).isEqualTo(new Position(0, text.length()));
    return edit.getNewText();
  }

  @Test
  void symbolsAndQuickFixes() throws Exception {
    initialize();
    open("scoring \"s\"\nwhen\n  contact.scroe > 1\nthen\n  add 1 to score\nend\n");
    client.await(rules, d -> !d.isEmpty());

    List<DocumentSymbol> symbols = server.getTextDocumentService().documentSymbol(new DocumentSymbolParams(
            new TextDocumentIdentifier(rules))).get(DEADLINE.toSeconds(), TimeUnit.SECONDS)
        .stream().map(e -> e.getRight()).toList();
    assertThat(symbols).extracting(DocumentSymbol::getName).containsExactly("s");
    assertThat(symbols.get(0).getDetail()).isEqualTo("scoring rule");

    List<CodeAction> actions = server.getTextDocumentService().codeAction(new CodeActionParams(
            new TextDocumentIdentifier(rules), new Range(new Position(2, 5), new Position(2, 5)),
            new CodeActionContext(List.of())))
        .get(DEADLINE.toSeconds(), TimeUnit.SECONDS).stream().map(e -> e.getRight()).toList();
    assertThat(actions).extracting(CodeAction::getTitle).containsExactly("Change to contact.score");
    assertThat(actions.get(0).getEdit().getChanges().get(rules)).containsExactly(
        new TextEdit(new Range(new Position(2, 2), new Position(2, 15)), "contact.score"));
  }

  @Test
  void closingADocumentFallsBackToTheFileOnDisk() throws Exception {
    initialize();
    open("scoring \"s\" when contact.scroe > 1 then add 1 to score end\n");
    assertThat(client.await(rules, d -> !d.isEmpty())).hasSize(1);

    server.getTextDocumentService().didClose(new DidCloseTextDocumentParams(new TextDocumentIdentifier(rules)));

    assertThat(client.await(rules, List::isEmpty)).isEmpty();
  }

  @Test
  void shutdownThenExitEndsWithZero() throws Exception {
    initialize();
    server.shutdown().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    server.exit();

    assertThat(exitCode.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isZero();
  }

  @Test
  void exitWithoutShutdownEndsWithOne() throws Exception {
    initialize();
    server.exit();

    assertThat(exitCode.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
  }

  /** A client that keeps what the server publishes, in order for each document. */
  static final class Client implements LanguageClient {
    private final java.util.Map<String, BlockingQueue<List<Diagnostic>>> published =
        new java.util.concurrent.ConcurrentHashMap<>();

    private BlockingQueue<List<Diagnostic>> of(String uri) {
      return published.computeIfAbsent(uri, u -> new LinkedBlockingQueue<>());
    }

    @Override
    public void publishDiagnostics(PublishDiagnosticsParams diagnostics) {
      of(diagnostics.getUri()).add(diagnostics.getDiagnostics());
    }

    /** The next diagnostics published for {@code uri} that match, waiting up to the deadline. */
    List<Diagnostic> await(String uri, Predicate<List<Diagnostic>> matching) throws InterruptedException {
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (true) {
        List<Diagnostic> next = of(uri).poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (next == null) {
          throw new AssertionError("no matching diagnostics for " + uri + " within " + DEADLINE);
        }
        if (matching.test(next)) {
          return next;
        }
      }
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
