package io.relais.dsl.lsp;

import io.relais.dsl.check.DecisionModels;
import io.relais.dsl.language.LanguageService;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;

/** {@code relais lsp}: the language server on standard input and output. */
public final class LanguageServerMain {

  private LanguageServerMain() {}

  /**
   * Serves the process's standard input and output until the client sends {@code exit} or
   * closes the input; returns the exit code. Standard output carries the protocol and nothing
   * else: {@code System.out} is pointed at standard error first, so a library that prints (a
   * logger left on its console default) cannot break the stream.
   */
  public static int run(InputStream in, Optional<DecisionModels> models) {
    PrintStream protocol = System.out;
    System.setOut(System.err);
    return serve(in, protocol, models);
  }

  /** Serves one client on two streams; returns the exit code. */
  public static int serve(InputStream in, OutputStream out, Optional<DecisionModels> models) {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    RelaisLanguageServer server = new RelaisLanguageServer(new LanguageService(models),
        exit::complete);
    Launcher<LanguageClient> launcher = LSPLauncher.createServerLauncher(server, in, out);
    server.connect(launcher.getRemoteProxy());
    Future<Void> listening = launcher.startListening();
    // The client may also just close the stream: then it is over, and not cleanly.
    CompletableFuture.runAsync(() -> {
      try {
        listening.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | RuntimeException e) {
        // the stream failed: over all the same
      }
      exit.complete(1);
    });
    return exit.join();
  }
}
