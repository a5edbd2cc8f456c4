package io.relais.engine.audience;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.relais.dsl.ast.Stage;
import io.relais.engine.store.ContactMerges;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.StoreCalls;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts the stored contacts that meet a condition, with the condition pushed down as one query. */
public final class Audiences {

  /** The store refused a pushed-down query (too many clauses, a glob too complex...). */
  public static final class QueryRefusedException extends RuntimeException {
    public QueryRefusedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final ElasticsearchStore store;
  private final StoreCalls calls;

  /**
   * @param calls how store calls are made: the service's go through the store's guard (slots,
   *     circuit breaker) and a store that is down or overloaded is a {@code
   *     StoreUnavailableException}, as on every other path
   */
  public Audiences(ElasticsearchStore store, StoreCalls calls) {
    this.store = store;
    this.calls = calls;
  }

  /** The contacts index. */
  public String index() {
    return store.settings().index("contacts");
  }

  /**
   * How many stored contacts meet {@code condition}.
   *
   * @throws NotPushableException when a part of it cannot run in the store
   */
  public long count(AudienceCondition condition) {
    return count(PushDown.translate(condition));
  }

  /**
   * How many stored contacts match {@code query}: a search of no hits that counts them all
   * ({@code track_total_hits}), the query in filter context (nothing is scored), and the shard
   * request cache asked for explicitly, so the same count on an index that did not change since
   * its last refresh is answered from the cache.
   */
  public long count(Query query) {
    SearchResponse<Void> response = call(() -> store.client().search(s -> s.index(index()).size(0)
        .trackTotalHits(t -> t.enabled(true)).requestCache(true)
        .query(ContactMerges.people(query)), Void.class));
    return response.hits().total().value();
  }

  /** How many contacts matching {@code query} are at each stage; every stage is present. */
  public Map<Stage, Long> countsByStage(Query query) {
    SearchResponse<Void> response = call(() -> store.client().search(s -> s.index(index()).size(0)
        .query(ContactMerges.people(query))
        .aggregations("stages", a -> a.terms(t -> t.field("stage").size(Stage.values().length + 10))), Void.class));
    Map<Stage, Long> counts = new EnumMap<>(Stage.class);
    for (Stage stage : Stage.values()) {
      counts.put(stage, 0L);
    }
    for (StringTermsBucket bucket : response.aggregations().get("stages").sterms().buckets().array()) {
      // A stored contact always has a known stage; anything else is not a funnel stage.
      Stage.named(bucket.key().stringValue()).ifPresent(stage -> counts.put(stage, bucket.docCount()));
    }
    return counts;
  }

  /**
   * The {@code limit} contacts matching {@code query} with the highest score, ties by id, as
   * stored (their {@code _source}).
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public List<Map<String, Object>> topByScore(Query query, int limit) {
    SearchResponse<Map> response = call(() -> store.client().search(s -> s.index(index()).size(limit)
        .query(ContactMerges.people(query))
        .sort(o -> o.field(f -> f.field("score").order(SortOrder.Desc).unmappedType(
            co.elastic.clients.elasticsearch._types.mapping.FieldType.Integer)))
        .sort(o -> o.field(f -> f.field("id").order(SortOrder.Asc).unmappedType(
            co.elastic.clients.elasticsearch._types.mapping.FieldType.Keyword))), Map.class));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Hit<Map> hit : response.hits().hits()) {
      out.add(new LinkedHashMap<String, Object>(hit.source()));
    }
    return out;
  }

  /** A store call; a request the store refuses as bad (400) is the condition's problem. */
  private <T> T call(StoreCalls.Call<T> call) {
    return calls.run("an audience query", () -> {
      try {
        return call.run();
      } catch (ElasticsearchException e) {
        if (e.status() == 400) {
          throw new QueryRefusedException("The store refused the condition's query: " + e.error().reason(), e);
        }
        throw e;
      }
    });
  }
}
