package io.relais.api.store;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An Elasticsearch node of a test's own, started, paused, killed and restarted through the
 * project's launcher (scripts/elasticsearch), never the build's node. It keeps its data across
 * restarts, as the launcher promises, and is purged when the test is done.
 */
final class LocalNode {

  private static final Path SCRIPT = Path.of("..", "scripts", "elasticsearch").toAbsolutePath().normalize();

  final String name;
  final int port;
  private final Path log;

  LocalNode(String prefix) throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      this.port = socket.getLocalPort();
    }
    this.name = prefix + "-" + port;
    this.log = Path.of("target", name + ".log").toAbsolutePath();
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  void start() throws IOException, InterruptedException {
    start(ProcessHandle.current().pid());
  }

  /** Started to watch {@code watched} (its end stops the node); 0: without --watch-pid. */
  void start(long watched) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString(), "start", "--name", name, "--port",
        Integer.toString(port)));
    if (watched != 0) {
      command.addAll(List.of("--watch-pid", Long.toString(watched)));
    }
    run(command.toArray(String[]::new));
  }

  /** Whether the launcher sees the node running. */
  boolean running() throws IOException, InterruptedException {
    return exitCode(SCRIPT.toString(), "status", "--name", name) == 0;
  }

  void stop(boolean purge) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString(), "stop", "--name", name));
    if (purge) {
      command.add("--purge");
    }
    run(command.toArray(String[]::new));
  }

  void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  void kill() throws IOException, InterruptedException {
    end("KILL");
  }

  /** {@code kill PID}: the node shuts down cleanly and removes its pid file. */
  void terminate() throws IOException, InterruptedException {
    end("TERM");
  }

  private void end(String signal) throws IOException, InterruptedException {
    long pid = pid();
    signal(signal);
    ProcessHandle.of(pid).ifPresent(process -> process.onExit().orTimeout(60, TimeUnit.SECONDS).join());
  }

  private void signal(String signal) throws IOException, InterruptedException {
    run("kill", "-" + signal, Long.toString(pid()));
  }

  private long pid() throws IOException, InterruptedException {
    Path pid = home().resolve("instances").resolve(name).resolve("pid");
    return Long.parseLong(Files.readString(pid).trim());
  }

  private static Path home() throws IOException, InterruptedException {
    String configured = System.getenv("RELAIS_ES_HOME");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Process id = new ProcessBuilder("id", "-u").start();
    String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    id.waitFor();
    return Path.of("/var/tmp", "relais-" + uid);
  }

  private void run(String... command) throws IOException, InterruptedException {
    if (exitCode(command) != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed; see " + log);
    }
  }

  private int exitCode(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(new File("/dev/null"))
        .start();
    if (!process.waitFor(300, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish; see " + log);
    }
    return process.exitValue();
  }
}
