package io.relais.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.store.ElasticsearchStore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An index lost while the store stays up (deleted by hand, restored from an older snapshot) comes
 * back with the next recovery sweep, the batch runs' and the simulations' indices included: without
 * them the workers cannot claim a slice and warn at every poll.
 */
@SpringBootTest(properties = {
    "relais.events.recovery-interval=200ms",
    "relais.rules-dir=target/no-rules-here"
})
class LostIndicesIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-lost");
  }

  @Autowired ElasticsearchStore store;

  @Test
  void theRecoverySweepCreatesTheBatchRunsIndexAgain() throws Exception {
    String runs = store.settings().index("batch-runs");
    until(() -> exists(runs));

    // Whether the sweep re-creates it before the next line looks or after does not matter.
    assertThat(store.client().indices().delete(d -> d.index(runs)).acknowledged()).isTrue();

    until(() -> exists(runs));
  }

  @Test
  void theRecoverySweepCreatesTheSimulationsIndexAgain() throws Exception {
    String simulations = store.settings().index("simulations");
    until(() -> exists(simulations));

    assertThat(store.client().indices().delete(d -> d.index(simulations)).acknowledged()).isTrue();

    until(() -> exists(simulations));
  }

  private boolean exists(String index) {
    try {
      return store.client().indices().exists(e -> e.index(index)).value();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static void until(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 60 s");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }
}
