package io.relais.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchWorkersTest {

  private final AtomicInteger started = new AtomicInteger();
  private final Runnable worker = started::incrementAndGet;

  @Test
  void anInstanceWithTheSwitchOffNeverStartsAWorkerNotAtStartNorWhenARunIsCreatedHere() {
    BatchWorkers workers = new BatchWorkers(List.of(worker, worker), false);

    workers.onReady();
    workers.ensureStarted();

    assertThat(started).hasValue(0);
  }

  @Test
  void anInstanceWithTheSwitchOnStartsEveryWorkerAtStartAndAgainWhenARunIsCreated() {
    BatchWorkers workers = new BatchWorkers(List.of(worker, worker), true);

    workers.onReady();
    assertThat(started).hasValue(2);
    workers.ensureStarted();
    assertThat(started).hasValue(4);
  }

  @Test
  void aWorkerThatCannotStartAtStartDoesNotKeepTheOthersFromStarting() {
    Runnable failing = () -> {
      throw new IllegalStateException("store down");
    };
    new BatchWorkers(List.of(failing, worker), true).onReady();

    assertThat(started).hasValue(1);
  }
}
