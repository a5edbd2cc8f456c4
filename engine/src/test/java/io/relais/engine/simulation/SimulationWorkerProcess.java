package io.relais.engine.simulation;

import io.relais.engine.batch.BatchParts;
import io.relais.engine.store.StoreSettings;
import io.relais.engine.testing.TestStore;
import java.util.concurrent.CountDownLatch;

/**
 * A simulation worker in a process of its own, for {@link SimulationCrashIT}: works the slices of
 * the simulations on index prefix {@code args[0]} of the node given by {@code relais.es.url} until
 * the test kills it. It never stops by itself.
 */
public final class SimulationWorkerProcess {

  private SimulationWorkerProcess() {}

  public static void main(String[] args) throws InterruptedException {
    StoreSettings local = StoreSettings.local(TestStore.url());
    BatchParts parts = new BatchParts(new StoreSettings(local.url(), args[0], local.connectTimeout(),
        local.responseTimeout()));
    parts.simulations(SimulationCrashIT.SETTINGS).startWorker();
    System.out.println("worker started");
    new CountDownLatch(1).await(); // until killed
  }
}
