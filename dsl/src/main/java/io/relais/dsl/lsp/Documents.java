package io.relais.dsl.lsp;

import io.relais.dsl.language.LanguageService;
import io.relais.dsl.language.QuickFix;
import io.relais.dsl.language.Snapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.TextDocumentService;

/** {@code textDocument/...}: the open documents and the answers about them. */
final class Documents implements TextDocumentService {

  private final Folders folders;
  private final LanguageService service;
  private final RelaisLanguageServer.Publisher publisher;

  Documents(Folders folders, LanguageService service, RelaisLanguageServer.Publisher publisher) {
    this.folders = folders;
    this.service = service;
    this.publisher = publisher;
  }

  @Override
  public void didOpen(DidOpenTextDocumentParams params) {
    String uri = params.getTextDocument().getUri();
    Folders.Place place = folders.place(uri);
    folders.opened(uri);
    place.ruleset().files().put(place.file(), params.getTextDocument().getText());
    publisher.publish(place.ruleset(), place.file());
  }

  @Override
  public void didChange(DidChangeTextDocumentParams params) {
    Folders.Place place = folders.place(params.getTextDocument().getUri());
    String text = place.ruleset().files().text(place.file()).orElse("");
    place.ruleset().files().put(place.file(), Folders.apply(text, params.getContentChanges()));
    publisher.publish(place.ruleset(), place.file());
  }

  @Override
  public void didClose(DidCloseTextDocumentParams params) {
    String uri = params.getTextDocument().getUri();
    folders.closed(uri);
    folders.existing(uri).ifPresent(place -> {
      // Back to what is on disk; an unsaved new file leaves the ruleset.
      Optional<String> disk = Folders.onDisk(uri);
      if (disk.isPresent()) {
        place.ruleset().files().put(place.file(), disk.get());
      } else {
        place.ruleset().files().remove(place.file());
      }
      publisher.publish(place.ruleset(), place.file());
    });
  }

  @Override
  public void didSave(DidSaveTextDocumentParams params) {
    // The open document's text is already what was saved.
  }

  @Override
  public CompletableFuture<Either<List<CompletionItem>, CompletionList>> completion(
      CompletionParams params) {
    List<CompletionItem> items = answer(params.getTextDocument().getUri(), (place, snapshot) ->
        service.completion(snapshot, place.file(), Convert.position(params.getPosition()))
            .stream().map(Convert::completion).toList(), List.of());
    return CompletableFuture.completedFuture(Either.forRight(new CompletionList(false, items)));
  }

  @Override
  public CompletableFuture<Hover> hover(HoverParams params) {
    Hover hover = answer(params.getTextDocument().getUri(), (place, snapshot) ->
        service.hover(snapshot, place.file(), Convert.position(params.getPosition()))
            .map(h -> new Hover(Convert.markdown(h.markdown()), Convert.range(h.range())))
            .orElse(null), null);
    return CompletableFuture.completedFuture(hover);
  }

  @Override
  public CompletableFuture<Either<List<? extends Location>, List<? extends LocationLink>>>
      definition(DefinitionParams params) {
    List<Location> locations = answer(params.getTextDocument().getUri(), (place, snapshot) ->
        service.definition(snapshot, place.file(), Convert.position(params.getPosition()))
            .stream().map(span -> new Location(place.ruleset().uri(span.file()), Convert.range(span)))
            .toList(), List.of());
    return CompletableFuture.completedFuture(Either.forLeft(locations));
  }

  @Override
  public CompletableFuture<List<Either<SymbolInformation, DocumentSymbol>>> documentSymbol(
      DocumentSymbolParams params) {
    List<Either<SymbolInformation, DocumentSymbol>> symbols = answer(
        params.getTextDocument().getUri(), (place, snapshot) ->
            service.symbols(snapshot, place.file()).stream()
                .map(s -> Either.<SymbolInformation, DocumentSymbol>forRight(Convert.symbol(s)))
                .toList(), List.of());
    return CompletableFuture.completedFuture(symbols);
  }

  @Override
  public CompletableFuture<List<? extends TextEdit>> formatting(DocumentFormattingParams params) {
    List<TextEdit> edits = answer(params.getTextDocument().getUri(), (place, snapshot) ->
        service.format(snapshot, place.file()).stream().map(Convert::edit).toList(),
        List.of());
    return CompletableFuture.completedFuture(edits);
  }

  @Override
  public CompletableFuture<List<Either<Command, CodeAction>>> codeAction(CodeActionParams params) {
    String uri = params.getTextDocument().getUri();
    List<Either<Command, CodeAction>> actions = answer(uri, (place, snapshot) -> {
      List<QuickFix> fixes = service.fixes(snapshot, place.file(),
          Convert.span(place.file(), params.getRange()));
      return fixes.stream().map(fix -> {
        CodeAction action = new CodeAction(fix.title());
        action.setKind(CodeActionKind.QuickFix);
        action.setDiagnostics(List.of(Convert.diagnostic(fix.diagnostic())));
        action.setEdit(new WorkspaceEdit(Map.of(uri, List.of(Convert.edit(fix.edit())))));
        action.setIsPreferred(true);
        return Either.<Command, CodeAction>forRight(action);
      }).toList();
    }, List.of());
    return CompletableFuture.completedFuture(actions);
  }

  private interface Answer<T> {
    T from(Folders.Place place, Snapshot snapshot);
  }

  /** The answer about a document of a loaded ruleset, or {@code none} for any other URI. */
  private <T> T answer(String uri, Answer<T> answer, T none) {
    return folders.existing(uri)
        .map(place -> answer.from(place, place.ruleset().files().snapshot()))
        .orElse(none);
  }
}
