package io.relais.engine.batch;

import io.relais.engine.store.StoreSettings;
import io.relais.engine.testing.TestStore;
import java.util.concurrent.CountDownLatch;

/**
 * A batch worker in a process of its own, for {@link BatchRunCrashIT}: works the slices of the
 * runs on index prefix {@code args[0]} of the node given by {@code relais.es.url} until the test
 * kills it. It never stops by itself.
 */
public final class BatchWorkerProcess {

  private BatchWorkerProcess() {}

  public static void main(String[] args) throws InterruptedException {
    StoreSettings local = StoreSettings.local(TestStore.url());
    BatchParts parts = new BatchParts(new StoreSettings(local.url(), args[0], local.connectTimeout(),
        local.responseTimeout()));
    parts.runs(BatchRunCrashIT.SETTINGS).startWorker();
    System.out.println("worker started");
    new CountDownLatch(1).await(); // until killed
  }
}
