package io.relais.api.config;

import io.relais.engine.store.GroupCommit;
import io.relais.engine.store.GroupRead;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * On shutdown ({@code SIGTERM}), after the web server has finished the requests in flight
 * ({@code server.shutdown=graceful}), sends what the grouped writes and reads still hold (the
 * event documents written after their answers among them) and stops their threads, while the
 * store connection and the rest of the service are still up. Its phase is below the web
 * server's, so it stops after it.
 */
final class GroupedWorkDrain implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(GroupedWorkDrain.class);
  /** Below the web server's graceful shutdown and stop (DEFAULT_PHASE - 1024 and - 2048). */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private final List<GroupCommit> writes;
  private final List<GroupRead> reads;
  private volatile boolean running;

  GroupedWorkDrain(List<GroupCommit> writes, List<GroupRead> reads) {
    this.writes = writes;
    this.reads = reads;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    // Reads first: an event still reading is refused (503, safe to retry) rather than queued
    // behind a write queue that is closing.
    reads.forEach(GroupRead::close);
    writes.forEach(GroupCommit::close);
    running = false;
    log.info("Grouped writes drained");
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
