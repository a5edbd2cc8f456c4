package io.relais.engine.store;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.mget.MultiGetOperation;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Where the event recorder's first read goes: documents by id in, read in real time, one item
 * per document out, in the same order; a null item when the whole request found no index (none
 * is created yet). A failure of the whole request is thrown as {@link StoreCalls} translates it.
 */
@FunctionalInterface
public interface StoreReads {

  /** Reads {@code documents} in real time and answers their items, in order. */
  @SuppressWarnings("rawtypes")
  List<MultiGetResponseItem<Map>> read(List<MultiGetOperation> documents);

  /**
   * Each call its own real-time {@code _mget}, sent by the caller's thread through {@code calls}:
   * what {@link GroupRead} sends its batches with, and what tools and tests use when they need no
   * grouping.
   */
  @SuppressWarnings("rawtypes")
  static StoreReads direct(ElasticsearchStore store, StoreCalls calls) {
    return documents -> {
      if (documents.isEmpty()) {
        return List.of();
      }
      List<MultiGetResponseItem<Map>> items = calls.run("get contacts and events", () -> {
        try {
          return store.client().mget(m -> m.docs(documents).realtime(true), Map.class).docs();
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
