package io.relais.engine.store;

import io.relais.engine.fair.Callers;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Concurrent callers hand their operations to one sender thread, which sends all that is queued
 * as one request and gives each caller its own results back: the mechanism of {@link
 * GroupCommit} (one {@code _bulk} for many writers) and {@link GroupRead} (one {@code _mget}
 * for many readers). Nothing waits for a timer: an idle sender sends a caller's operations at
 * once; while a request is in flight, the next callers queue up and go together in the
 * following one. A failed request fails every caller of that batch with the exception it failed
 * with; the sender goes on with the next batch. Closing refuses new callers, sends what is
 * queued and stops the thread.
 *
 * @param <O> one operation of the request
 * @param <R> its result, one per operation, in order
 */
abstract class Grouped<O, R> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Grouped.class);

  /** One caller's operations, sent in the same request, and where its results go. */
  private record Group<O, R>(List<O> operations, CompletableFuture<List<R>> done) {}

  private final String what;
  private final Function<List<O>, List<R>> sender;
  private final GroupCommitSettings settings;
  private final Consumer<StoreUnavailableException> onRefused;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition queuedOrClosed = lock.newCondition();
  private final Condition room = lock.newCondition();
  private final Condition idle = lock.newCondition();
  private final ArrayDeque<Group<O, R>> queue = new ArrayDeque<>();
  private final Thread thread;
  private boolean closed;
  private boolean sending;

  /**
   * Starts the sender thread.
   *
   * @param what what is sent, for messages ("writes", "reads")
   * @param sender sends one batch as one request and answers one result per operation, in order
   * @param onRefused told of every caller refused because the queue stayed full (or was closed):
   *     those calls never reach {@link StoreCalls}, which counts the store's other failures
   */
  Grouped(String what, String threadName, Function<List<O>, List<R>> sender, GroupCommitSettings settings,
      Consumer<StoreUnavailableException> onRefused) {
    this.what = what;
    this.sender = sender;
    this.settings = settings;
    this.onRefused = onRefused;
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Queues {@code operations} for the next request, all in the same one, and waits for their
   * results.
   *
   * @throws StoreUnavailableException when the queue stayed full for {@link
   *     GroupCommitSettings#queueWait()}, when closed, or when the request failed so
   */
  final List<R> submit(List<O> operations) {
    if (operations.isEmpty()) {
      return List.of();
    }
    Group<O, R> group = new Group<>(List.copyOf(operations), new CompletableFuture<>());
    enqueue(group);
    try {
      // Not interruptible: once queued, the request may happen; the caller learns how it went.
      // The request ends within the store client's response timeout, so this wait does too.
      return group.done().join();
    } catch (CompletionException e) {
      throw rethrown(e.getCause());
    }
  }

  /**
   * Queues {@code operations} for the next request without waiting for it: the future completes
   * with their results, or fails (at once when the queue is full or closed).
   */
  final CompletableFuture<List<R>> submitLater(List<O> operations) {
    Group<O, R> group = new Group<>(List.copyOf(operations), new CompletableFuture<>());
    if (operations.isEmpty()) {
      group.done().complete(List.of());
      return group.done();
    }
    try {
      enqueue(group, false);
    } catch (RuntimeException e) {
      group.done().completeExceptionally(e);
    }
    return group.done();
  }

  private void enqueue(Group<O, R> group) {
    enqueue(group, true);
  }

  private void enqueue(Group<O, R> group, boolean waitForRoom) {
    lock.lock();
    try {
      long nanos = waitForRoom ? settings.queueWait().toNanos() : 0;
      while (!closed && queue.size() >= settings.maxQueued()) {
        if (nanos <= 0) {
          throw refused(new StoreUnavailableException("Too many " + what + " queued for the store ("
              + queue.size() + ").", null));
        }
        nanos = room.awaitNanos(nanos);
      }
      if (closed) {
        throw refused(new StoreUnavailableException("The store's " + what + " are closed.", null));
      }
      queue.add(group);
      queuedOrClosed.signal();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("Interrupted while waiting for the store.", e);
    } finally {
      lock.unlock();
    }
  }

  private StoreUnavailableException refused(StoreUnavailableException e) {
    onRefused.accept(e);
    return e;
  }

  // Each caller gets an exception of its own, of the type the batch failed with (a 503 stays a 503).
  private RuntimeException rethrown(Throwable cause) {
    if (cause instanceof StoreUnavailableException unavailable) {
      return new StoreUnavailableException(unavailable.getMessage(), unavailable);
    }
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IllegalStateException("the grouped " + what + " failed", cause);
  }

  // The sender: take what is queued (at most maxBatch operations), send it, hand out the results.
  // Its requests carry the operations of many callers at once, one request in flight: they count
  // as the sender's own, a background caller with a share of its own (docs/operations.md).
  private void run() {
    try (Callers.Scope sender = Callers.as(Callers.system(thread.getName()))) {
      while (true) {
        List<Group<O, R>> batch = next();
        if (batch == null) {
          return;
        }
        send(batch);
        lock.lock();
        try {
          sending = false;
          idle.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /**
   * Waits until nothing is queued or being sent, at most {@code timeout}: for tests and tools
   * that read what was handed over {@link #submitLater}.
   *
   * @return whether it became idle in time
   */
  public boolean awaitIdle(java.time.Duration timeout) {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (!queue.isEmpty() || sending) {
        if (nanos <= 0) {
          return false;
        }
        nanos = idle.awaitNanos(nanos);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  // The next batch; null once closed and drained.
  private List<Group<O, R>> next() {
    lock.lock();
    try {
      while (queue.isEmpty() && !closed) {
        queuedOrClosed.awaitUninterruptibly();
      }
      if (queue.isEmpty()) {
        return null;
      }
      // Paced arrivals find the sender idle and would each go alone: while the batch is small,
      // wait a little for the next callers. A batch that is already large (the store is busy,
      // callers queued while a request was in flight) goes at once.
      long linger = settings.linger().toNanos();
      while (linger > 0 && !closed && queuedOperations() < settings.lingerBelow()) {
        try {
          linger = queuedOrClosed.awaitNanos(linger);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      List<Group<O, R>> batch = new ArrayList<>();
      int operations = 0;
      // At least one caller; more while they fit, in arrival order.
      while (!queue.isEmpty()
          && (batch.isEmpty() || operations + queue.peek().operations().size() <= settings.maxBatch())) {
        Group<O, R> group = queue.poll();
        operations += group.operations().size();
        batch.add(group);
      }
      sending = true;
      room.signalAll();
      return batch;
    } finally {
      lock.unlock();
    }
  }

  private void send(List<Group<O, R>> batch) {
    try {
      List<O> operations = new ArrayList<>();
      batch.forEach(g -> operations.addAll(g.operations()));
      List<R> results = sender.apply(operations);
      if (results.size() != operations.size()) {
        throw new IllegalStateException("the store answered " + results.size() + " results for "
            + operations.size() + " operations");
      }
      int from = 0;
      for (Group<O, R> group : batch) {
        int to = from + group.operations().size();
        group.done().complete(new ArrayList<>(results.subList(from, to)));
        from = to;
      }
    } catch (Throwable e) {
      // The sender outlives any failure: this batch's callers learn of it, the next batch goes.
      if (!(e instanceof StoreUnavailableException)) {
        log.warn("Grouped {} of {} callers failed", what, batch.size(), e);
      }
      batch.forEach(g -> g.done().completeExceptionally(e));
    }
  }

  // Operations queued; called with the lock held.
  private int queuedOperations() {
    int operations = 0;
    for (Group<O, R> group : queue) {
      operations += group.operations().size();
      if (operations >= settings.lingerBelow()) {
        break;
      }
    }
    return operations;
  }

  /** Callers waiting for a request that has not been sent yet. */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Callers waiting for room in a full queue. */
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

  /** Whether the sender thread still runs. */
  boolean running() {
    return thread.isAlive();
  }

  /** Refuses new callers, sends those already queued, and waits for the sender to stop. */
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
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
