package io.relais.engine.store;

import io.relais.engine.campaigns.DueStepScheduler;
import io.relais.engine.testing.TestStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A due-step scheduler in a process of its own, for {@link DueStepCrashIT}: on index prefix
 * {@code args[0]} of the node given by {@code relais.es.url}, its clock at {@code args[1]}, it
 * decides due steps until the {@code args[2]}-th step is decided and written to its contact, with
 * no event document and no action yet. There it prints {@link #STOPPED} and every scheduler
 * thread stops at its next write hook, until the test kills the process. It never ends by itself.
 */
public final class DueStepWorkerProcess {

  /** The line printed when the process stands between deciding a step and recording its action. */
  static final String STOPPED = "stopped after a contact write";

  private DueStepWorkerProcess() {}

  public static void main(String[] args) throws InterruptedException {
    StoreSettings local = StoreSettings.local(TestStore.url());
    StoreFixture fixture = new StoreFixture(new StoreSettings(local.url(), args[0], local.connectTimeout(),
        local.responseTimeout()), Instant.parse(args[1]));
    DueStepsIT.actions(fixture);
    int stopAfter = Integer.parseInt(args[2]);
    AtomicInteger written = new AtomicInteger();
    CountDownLatch never = new CountDownLatch(1);
    fixture.recorder.hook(point -> {
      if (point == WriteHook.Point.CONTACT_WRITTEN && written.incrementAndGet() == stopAfter) {
        System.out.println(STOPPED);
        System.out.flush();
      }
      if (written.get() >= stopAfter) {
        try {
          never.await(); // until killed: this thread writes nothing more
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    System.out.println("deciding due steps");
    new DueStepScheduler(fixture.contacts, fixture.recorder, () -> List.of(DueStepsIT.LEASING), fixture.clock,
        10, 2).runOnce();
    System.out.println("the pass ended before the stop point");
    never.await();
  }
}
