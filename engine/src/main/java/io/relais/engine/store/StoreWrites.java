package io.relais.engine.store;

import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the contact and event stores send their writes: bulk operations in, one answer item per
 * operation out, in the same order. An item carries its own outcome (a 409 is that operation's
 * lost race); a failure of the whole request is thrown as {@link StoreCalls} translates it.
 */
@FunctionalInterface
public interface StoreWrites {

  /** Sends {@code operations} and answers their items, in order. */
  List<BulkResponseItem> write(List<BulkOperation> operations);

  /**
   * Sends {@code operations} without the caller waiting for them where the implementation
   * allows it ({@link GroupCommit} queues them for its next bulk); here, at once. The future
   * gives the items, or the failure.
   */
  default CompletableFuture<List<BulkResponseItem>> writeLater(List<BulkOperation> operations) {
    try {
      return CompletableFuture.completedFuture(write(operations));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Each call its own {@code _bulk} request, sent by the caller's thread through {@code calls}
   * (guard, circuit breaker, failure translation), without refresh: what {@link GroupCommit}
   * sends its batches with, and what tools and tests use when they need no grouping.
   */
  static StoreWrites direct(ElasticsearchStore store, StoreCalls calls) {
    return operations -> operations.isEmpty()
        ? List.of()
        : calls.run("bulk write", () -> store.wire().bulk(operations));
  }

  /**
   * {@link #direct}, each request answered only once searches see its documents ({@code
   * refresh=wait_for}, which waits for the index's next refresh without forcing one): a
   * successful item is a document searches see. What the service's event documents go through
   * ({@link EventLog#writeLater}).
   */
  static StoreWrites searchable(ElasticsearchStore store, StoreCalls calls) {
    return operations -> operations.isEmpty()
        ? List.of()
        : calls.run("bulk write searchable", () -> store.wire().bulk(operations, true));
  }
}
