package io.relais.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.StoreSettings;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

class StoreHealthIndicatorTest {

  @Test
  void reportsDownWhenTheStoreIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    StoreSettings settings =
        new StoreSettings(
            URI.create("http://127.0.0.1:" + closedPort),
            "relais",
            Duration.ofMillis(500),
            Duration.ofMillis(500));
    try (ElasticsearchStore store = ElasticsearchStore.connect(settings)) {
      Health health = new StoreHealthIndicator(store).health();

      assertThat(health.getStatus()).isEqualTo(Status.DOWN);
      assertThat(health.getDetails()).containsEntry("reachable", false).doesNotContainKey("error");
    }
  }
}
