package io.relais.engine.store;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.GetResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far the recovery sweep has checked the contacts' outboxes: every contact whose newest
 * outbox entry was recorded at or before {@code through} has had the documents of its entries
 * checked and, where missing, written. One document in the recovery index, shared by every
 * instance, so a window of time is checked once whichever instance sweeps it, and a sweep after
 * every instance was down starts where the last one stopped (docs/store.md, "Crash recovery").
 */
final class SweepMark {

  private static final String ID = "events";

  private final ElasticsearchStore store;
  private final StoreIndices indices;
  private final StoreCalls calls;

  SweepMark(ElasticsearchStore store, StoreIndices indices, StoreCalls calls) {
    this.store = store;
    this.indices = indices;
    this.calls = calls;
  }

  /** The mark as read, with the version it was read at; {@code through} null: never swept. */
  record Mark(Instant through, long seqNo, long primaryTerm) {
    static final Mark NONE = new Mark(null, -1, -1);

    boolean exists() {
      return through != null;
    }
  }

  /** The current mark, read in real time. */
  Mark read() {
    @SuppressWarnings("rawtypes")
    GetResponse<Map> found = calls.read("get sweep mark", () -> {
      try {
        return store.client().get(g -> g.index(indices.recovery()).id(ID).realtime(true), Map.class);
      } catch (ElasticsearchException e) {
        if (e.status() == 404) {
          return null; // no index yet: never swept
        }
        throw e;
      }
    });
    if (found == null || !found.found() || found.source() == null || found.source().get("through") == null) {
      return Mark.NONE;
    }
    return new Mark(Instant.parse(String.valueOf(found.source().get("through"))), found.seqNo(),
        found.primaryTerm());
  }

  /**
   * Moves the mark from {@code read} to {@code through}, only if nobody moved it since it was
   * read: a sweep that ran beside another and finished later must not move the mark back.
   *
   * @return false when another sweep moved the mark first (its window is checked too)
   */
  boolean advance(Mark read, Instant through, Instant now) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("through", through.toString());
    document.put("sweptAt", now.toString());
    try {
      calls.run("put sweep mark", () -> read.exists()
          ? store.client().index(i -> i.index(indices.recovery()).id(ID).document(document)
              .ifSeqNo(read.seqNo()).ifPrimaryTerm(read.primaryTerm()))
          : store.client().create(c -> c.index(indices.recovery()).id(ID).document(document)));
      return true;
    } catch (ElasticsearchException e) {
      if (e.status() == 409) {
        return false;
      }
      throw e;
    }
  }
}
