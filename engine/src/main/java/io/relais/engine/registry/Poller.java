package io.relais.engine.registry;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A task run every interval on one daemon thread: a failure (the store unreachable, a folder
 * unreadable) goes to {@code onFailure} and the task runs again at the next tick.
 */
final class Poller {

  private Poller() {}

  static ScheduledExecutorService every(String threadName, Duration interval, Runnable task,
      Consumer<RuntimeException> onFailure) {
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, threadName);
      thread.setDaemon(true);
      return thread;
    });
    poller.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        onFailure.accept(e);
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return poller;
  }
}
