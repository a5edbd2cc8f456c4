package io.relais.engine.store;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.mget.MultiGetOperation;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Where the event recorder's reads by id go (its first read, in real time; the pruning's, of the
 * refreshed view): documents by id in, one item per document out, in the same order; a null item
 * when the whole request found no index (none is created yet). A failure of the whole request is
 * thrown as {@link StoreCalls} translates it.
 */
@FunctionalInterface
public interface StoreReads {

  /** Reads {@code documents} and answers their items, in order. */
  @SuppressWarnings("rawtypes")
  List<MultiGetResponseItem<Map>> read(List<MultiGetOperation> documents);

  /**
   * Each call its own real-time {@code _mget}, sent by the caller's thread through {@code calls}:
   * what {@link GroupRead} sends its batches with, and what tools and tests use when they need no
   * grouping.
   */
  static StoreReads direct(ElasticsearchStore store, StoreCalls calls) {
    return mget(store, calls, true);
  }

  /**
   * Each call its own {@code _mget} with {@code realtime=false} and no source: whether searches
   * see the documents (the refreshed view), for the pruning of outboxes (docs/store.md).
   */
  static StoreReads searchable(ElasticsearchStore store, StoreCalls calls) {
    return mget(store, calls, false);
  }

  @SuppressWarnings("rawtypes")
  private static StoreReads mget(ElasticsearchStore store, StoreCalls calls, boolean realtime) {
    return documents -> {
      if (documents.isEmpty()) {
        return List.of();
      }
      List<MultiGetResponseItem<Map>> items = calls.read(realtime ? "get contacts and events" : "mget events", () -> {
        try {
          return store.wire().mget(documents, realtime);
        } catch (ElasticsearchException e) {
          if (e.status() == 404) {
            return null; // no index yet: nothing to find
          }
          throw e;
        }
      });
      return items != null ? items : new ArrayList<>(Collections.nCopies(documents.size(), null));
    };
  }
}
