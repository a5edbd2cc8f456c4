package io.relais.dsl.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a process on real standard input and output, as editors start it: the
 * protocol alone comes out on standard output, even when a library prints to System.out.
 */
class StdioTest {

  @TempDir Path folder;

  @Test
  void standardOutputCarriesTheProtocolAlone() throws Exception {
    Files.writeString(folder.resolve("fit.dmn"), "<definitions/>");
    Path rules = folder.resolve("a.rules");
    Files.writeString(rules, "");
    Path stderr = folder.resolve("stderr.txt");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath(),
        NoisyServer.class.getName()));
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    try {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      InputStream out = new FilterInputStream(process.getInputStream()) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            synchronized (raw) {
              raw.write(b);
            }
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            synchronized (raw) {
              raw.write(b, off, n);
            }
          }
          return n;
        }
      };
      LanguageServerTest.Client client = new LanguageServerTest.Client();
      Launcher<LanguageServer> launcher =
          LSPLauncher.createClientLauncher(client, out, process.getOutputStream());
      launcher.startListening();
      LanguageServer server = launcher.getRemoteProxy();
      InitializeParams params = new InitializeParams();
      params.setCapabilities(new ClientCapabilities());
      server.initialize(params).get(30, TimeUnit.SECONDS);
      server.initialized(new InitializedParams());
      String uri = rules.toUri().toString();
      server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
          new TextDocumentItem(uri, "relais", 1, "scoring \"s\" when contact.scroe > 1 then add 1 to score end\n")));

      assertThat(client.await(uri, d -> !d.isEmpty())).isNotEmpty();
      server.shutdown().get(30, TimeUnit.SECONDS);
      server.exit();

      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
      String stdout;
      synchronized (raw) {
        stdout = raw.toString(StandardCharsets.UTF_8);
      }
      assertThat(stdout).startsWith("Content-Length: ").doesNotContain(NoisyServer.NOISE);
      assertThat(Files.readString(stderr)).contains(NoisyServer.NOISE);
    } finally {
      process.destroyForcibly();
    }
  }

  /** This module's classes, test classes and libraries (target/cli-classpath.txt). */
  private static String classPath() throws IOException {
    String libraries = Files.readString(Path.of("target", "cli-classpath.txt")).trim();
    return String.join(java.io.File.pathSeparator, Path.of("target", "test-classes").toString(),
        Path.of("target", "classes").toString(), libraries);
  }
}
