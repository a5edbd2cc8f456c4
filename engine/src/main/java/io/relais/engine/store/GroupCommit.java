package io.relais.engine.store;

import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: concurrent writers hand their operations to one flusher thread, which sends all
 * that is queued as one {@code _bulk} request and gives each writer its own items back. The
 * store acknowledges a write only after syncing its translog, once per shard and request, so
 * one bulk for many writers costs one sync where one request each cost one sync each (see
 * docs/store.md). Nothing waits for a timer: an idle flusher sends a writer's operations at once;
 * while a bulk is in flight, the next writers queue up and go together in the following one.
 *
 * <p>Each item keeps its own conditions ({@code if_seq_no}, create-only), so a conflict fails
 * only its writer. A failed request fails every writer of that batch with the exception it
 * failed with; the flusher goes on with the next batch. Closing refuses new writes, sends what
 * is queued and stops the thread.
 */
public final class GroupCommit implements StoreWrites, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  /** One writer's operations, sent in the same bulk, and where its items go. */
  private record Group(List<BulkOperation> operations, CompletableFuture<List<BulkResponseItem>> done) {}

  private final StoreWrites sender;
  private final GroupCommitSettings settings;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition queuedOrClosed = lock.newCondition();
  private final Condition room = lock.newCondition();
  private final ArrayDeque<Group> queue = new ArrayDeque<>();
  private final Thread flusher;
  private boolean closed;

  /**
   * Starts the flusher thread.
   *
   * @param sender sends one batch as one request: {@link StoreWrites#direct} in the service, so
   *     every bulk goes through the store guard and circuit breaker
   */
  public GroupCommit(StoreWrites sender, GroupCommitSettings settings) {
    this.sender = sender;
    this.settings = settings;
    this.flusher = new Thread(this::flush, "relais-group-commit");
    this.flusher.setDaemon(true);
    this.flusher.start();
  }

  /**
   * Queues {@code operations} for the next bulk, all in the same one, and waits for their items.
   *
   * @throws StoreUnavailableException when the queue stayed full for {@link
   *     GroupCommitSettings#queueWait()}, when closed, or when the bulk failed so
   */
  @Override
  public List<BulkResponseItem> write(List<BulkOperation> operations) {
    if (operations.isEmpty()) {
      return List.of();
    }
    Group group = new Group(List.copyOf(operations), new CompletableFuture<>());
    enqueue(group);
    try {
      // Not interruptible: once queued, the write may happen; the caller learns how it went.
      // The bulk ends within the store client's response timeout, so this wait does too.
      return group.done().join();
    } catch (CompletionException e) {
      throw rethrown(e.getCause());
    }
  }

  private void enqueue(Group group) {
    lock.lock();
    try {
      long nanos = settings.queueWait().toNanos();
      while (!closed && queue.size() >= settings.maxQueued()) {
        if (nanos <= 0) {
          throw new StoreUnavailableException("Too many writes queued for the store (" + queue.size() + ").", null);
        }
        nanos = room.awaitNanos(nanos);
      }
      if (closed) {
        throw new StoreUnavailableException("The store's writer is closed.", null);
      }
      queue.add(group);
      queuedOrClosed.signal();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("Interrupted while waiting to write to the store.", e);
    } finally {
      lock.unlock();
    }
  }

  // Each writer gets an exception of its own, of the type the batch failed with (a 503 stays a 503).
  private static RuntimeException rethrown(Throwable cause) {
    if (cause instanceof StoreUnavailableException unavailable) {
      return new StoreUnavailableException(unavailable.getMessage(), unavailable);
    }
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IllegalStateException("the bulk write failed", cause);
  }

  // The flusher: take what is queued (at most maxBatch operations), send it, hand out the items.
  private void flush() {
    while (true) {
      List<Group> batch = next();
      if (batch == null) {
        return;
      }
      send(batch);
    }
  }

  // The next batch; null once closed and drained.
  private List<Group> next() {
    lock.lock();
    try {
      while (queue.isEmpty() && !closed) {
        queuedOrClosed.awaitUninterruptibly();
      }
      if (queue.isEmpty()) {
        return null;
      }
      List<Group> batch = new ArrayList<>();
      int operations = 0;
      // At least one writer; more while they fit, in arrival order.
      while (!queue.isEmpty()
          && (batch.isEmpty() || operations + queue.peek().operations().size() <= settings.maxBatch())) {
        Group group = queue.poll();
        operations += group.operations().size();
        batch.add(group);
      }
      room.signalAll();
      return batch;
    } finally {
      lock.unlock();
    }
  }

  private void send(List<Group> batch) {
    try {
      List<BulkOperation> operations = new ArrayList<>();
      batch.forEach(g -> operations.addAll(g.operations()));
      List<BulkResponseItem> items = sender.write(operations);
      if (items.size() != operations.size()) {
        throw new IllegalStateException("the store answered " + items.size() + " items for "
            + operations.size() + " operations");
      }
      int from = 0;
      for (Group group : batch) {
        int to = from + group.operations().size();
        group.done().complete(List.copyOf(items.subList(from, to)));
        from = to;
      }
    } catch (Throwable e) {
      // The flusher outlives any failure: this batch's writers learn of it, the next batch goes.
      if (!(e instanceof StoreUnavailableException)) {
        log.warn("A bulk write of {} writers failed", batch.size(), e);
      }
      batch.forEach(g -> g.done().completeExceptionally(e));
    }
  }

  /** Writers waiting for a bulk that has not been sent yet. */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Writers waiting for room in a full queue. */
  int waitingForRoom() {
    lock.lock();
    try {
      return lock.getWaitQueueLength(room);
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #close} was called. */
  boolean closed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the flusher thread still runs. */
  boolean running() {
    return flusher.isAlive();
  }

  /** Refuses new writes, sends those already queued, and waits for the flusher to stop. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      queuedOrClosed.signalAll();
      room.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      flusher.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
