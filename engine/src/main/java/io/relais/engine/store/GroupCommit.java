package io.relais.engine.store;

import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;

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
public final class GroupCommit extends Grouped<BulkOperation, BulkResponseItem> implements StoreWrites {

  /**
   * Starts the flusher thread.
   *
   * @param sender sends one batch as one request: {@link StoreWrites#direct} in the service, so
   *     every bulk goes through the store guard and circuit breaker
   */
  public GroupCommit(StoreWrites sender, GroupCommitSettings settings) {
    this(sender, settings, refused -> { });
  }

  /** The same, telling {@code onRefused} of every caller refused by a full or closed queue (for the metrics). */
  public GroupCommit(StoreWrites sender, GroupCommitSettings settings, Consumer<StoreUnavailableException> onRefused) {
    this("relais-group-commit", sender, settings, onRefused);
  }

  /** The same, with a flusher thread named {@code threadName}. */
  public GroupCommit(String threadName, StoreWrites sender, GroupCommitSettings settings,
      Consumer<StoreUnavailableException> onRefused) {
    super("writes", threadName, sender::write, settings, onRefused);
  }

  /**
   * Queues {@code operations} for the next bulk, all in the same one, and waits for their items.
   *
   * @throws StoreUnavailableException when the queue stayed full for {@link
   *     GroupCommitSettings#queueWait()}, when closed, or when the bulk failed so
   */
  @Override
  public List<BulkResponseItem> write(List<BulkOperation> operations) {
    return submit(operations);
  }

  /** Queues {@code operations} for the next bulk and returns at once; fails at once when the queue is full. */
  @Override
  public CompletableFuture<List<BulkResponseItem>> writeLater(List<BulkOperation> operations) {
    return submitLater(operations);
  }
}
