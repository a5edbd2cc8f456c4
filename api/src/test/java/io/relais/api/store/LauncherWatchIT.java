package io.relais.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 28: a node killed and started again by hand while the quick start runs still stops when
 * the quick start ends. The launcher remembers the process a start of the instance watched and
 * watches it again when the same instance is started without {@code --watch-pid}
 * (README, "The local Elasticsearch").
 */
class LauncherWatchIT {

  @Test
  void aNodeStartedAgainWithoutWatchPidStillStopsWithTheWatchedProcess() throws Exception {
    LocalNode node = new LocalNode("it-watch");
    Process service = new ProcessBuilder("sleep", "600").start(); // stands for ./run's service
    try {
      node.start(service.pid());
      node.terminate();
      node.start(0);
      assertThat(node.running()).isTrue();

      service.destroy();

      // The watcher looks every 2 s, then stops the node (at most 30 s); the deadline is wide.
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (node.running() && System.nanoTime() < deadline) {
        // Each look runs the launcher's status (a process and a health request): no busy spin.
      }
      assertThat(node.running()).as("the node outlived the process it was started for").isFalse();
    } finally {
      service.destroyForcibly();
      node.stop(true);
    }
  }
}
