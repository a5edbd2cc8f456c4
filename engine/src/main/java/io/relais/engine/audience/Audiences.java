package io.relais.engine.audience;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.relais.dsl.ast.Stage;
import io.relais.engine.store.ContactMerges;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.engine.compile.Condition;
import io.relais.engine.compile.ExpressionCompiler;
import io.relais.engine.compile.Trace;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.ContactFacts;
import io.relais.engine.contact.ContactFields;
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

  /**
   * A condition with a residual would scan more candidates than allowed (docs/audiences.md,
   * "Residual scans"); {@code candidates} is how many the store query matched.
   */
  public static final class ResidualScanTooLargeException extends RuntimeException {
    private final long candidates;
    private final long limit;

    public ResidualScanTooLargeException(long candidates, long limit) {
      super("The condition compares stored fields with each other, which Relais evaluates itself on"
          + " the contacts the rest of the condition selects: " + candidates + " contacts, more than"
          + " the " + limit + " allowed (relais.audiences.max-residual-scan). Narrow the condition"
          + " with parts the store can filter on.");
      this.candidates = candidates;
      this.limit = limit;
    }

    public long candidates() {
      return candidates;
    }

    public long limit() {
      return limit;
    }
  }

  /** Candidates a residual scan reads by default: about two minutes at the measured 23k docs/s. */
  public static final long DEFAULT_MAX_RESIDUAL_SCAN = 3_000_000;

  /** Contacts read per page of a residual scan. */
  private static final int SCAN_PAGE = 2_000;

  private final ElasticsearchStore store;
  private final StoreCalls calls;
  private final long maxResidualScan;

  /**
   * @param calls how store calls are made: the service's go through the store's guard (slots,
   *     circuit breaker) and a store that is down or overloaded is a {@code
   *     StoreUnavailableException}, as on every other path
   */
  public Audiences(ElasticsearchStore store, StoreCalls calls) {
    this(store, calls, DEFAULT_MAX_RESIDUAL_SCAN);
  }

  /** @param maxResidualScan the most candidates one residual scan reads */
  public Audiences(ElasticsearchStore store, StoreCalls calls, long maxResidualScan) {
    this.store = store;
    this.calls = calls;
    this.maxResidualScan = maxResidualScan;
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
    return count(PushDown.plan(condition), condition.ruleset());
  }

  /**
   * How many stored contacts meet a planned condition: the store counts them when the plan has
   * no residual; otherwise the store query's candidates are scanned and the residual evaluated
   * on each, by the engine's compiled condition.
   *
   * @throws ResidualScanTooLargeException when there are more candidates than allowed
   */
  public long count(PushDown.Plan plan, CheckedRuleset ruleset) {
    if (plan.residual().isEmpty()) {
      return count(plan.query());
    }
    long[] matching = {0};
    scan(plan, ruleset, hit -> matching[0]++);
    return matching[0];
  }

  /**
   * Calls {@code matching} with the id of every candidate of {@code plan} that passes its
   * residual, over a point in time of the contacts index, reading only the fields the residual
   * needs.
   */
  public void scan(PushDown.Plan plan, CheckedRuleset ruleset, java.util.function.Consumer<String> matching) {
    long candidates = count(plan.query());
    if (candidates > maxResidualScan) {
      throw new ResidualScanTooLargeException(candidates, maxResidualScan);
    }
    Residual residual = residual(plan, ruleset);
    String pit = call(() -> store.client().openPointInTime(p -> p.index(index())
        .keepAlive(t -> t.time("2m")))).id();
    try {
      List<co.elastic.clients.elasticsearch._types.FieldValue> after = null;
      while (true) {
        List<co.elastic.clients.elasticsearch._types.FieldValue> from = after;
        @SuppressWarnings("rawtypes")
        SearchResponse<Map> page = call(() -> store.client().search(s -> {
          s.size(SCAN_PAGE).pit(p -> p.id(pit).keepAlive(t -> t.time("2m")))
              .query(q -> q.bool(b -> b.filter(ContactMerges.people(plan.query()))))
              .source(src -> src.filter(f -> f.includes(residual.includes())))
              .sort(o -> o.field(f -> f.field("_shard_doc").order(SortOrder.Asc)))
              .trackTotalHits(t -> t.enabled(false));
          if (from != null) {
            s.searchAfter(from);
          }
          return s;
        }, Map.class));
        List<Hit<Map>> hits = page.hits().hits();
        for (@SuppressWarnings("rawtypes") Hit<Map> hit : hits) {
          @SuppressWarnings("unchecked")
          Map<String, Object> source = hit.source();
          if (residual.test(source)) {
            matching.accept(hit.id());
          }
        }
        if (hits.size() < SCAN_PAGE) {
          return;
        }
        after = hits.get(hits.size() - 1).sort();
      }
    } finally {
      calls.run("close point in time", () -> store.client().closePointInTime(c -> c.id(pit)));
    }
  }

  /** A plan's residual compiled by the engine, for contacts read from their stored documents. */
  public static Residual residual(PushDown.Plan plan, CheckedRuleset ruleset) {
    return new Residual(new ExpressionCompiler(ruleset, ContactFields.BINDER)
        .condition(plan.residual().orElseThrow()), ruleset.zone(), plan.reads());
  }

  /**
   * A residual as the engine evaluates it: on the contact the stored document holds, with no
   * event and no history (a residual reads neither), in the ruleset's zone.
   */
  public record Residual(Condition condition, java.time.ZoneId zone, java.util.Set<String> reads) {

    /** The {@code _source} paths to fetch: the id and what the residual reads. */
    public List<String> includes() {
      List<String> out = new ArrayList<>(reads);
      out.add("id");
      return out;
    }

    /** Whether the contact stored as {@code source} (whole, or its {@link #includes()}) passes. */
    public boolean test(Map<String, Object> source) {
      Map<String, Object> json = new LinkedHashMap<>(source);
      if (source.get("tags") instanceof List<?> nested) {
        // Stored as nested {name, count} entries; the contact's JSON has them as a map.
        Map<String, Object> tags = new LinkedHashMap<>();
        for (Object entry : nested) {
          if (entry instanceof Map<?, ?> tag) {
            tags.put(String.valueOf(tag.get("name")), tag.get("count"));
          }
        }
        json.put("tags", tags);
      }
      // The residual reads no clock (parts that do are refused), so any instant will do.
      ContactFacts facts = new ContactFacts(Contact.fromJson(json), java.util.Optional.empty(), List.of(),
          java.time.Instant.EPOCH, zone);
      return condition.test(facts, Trace.NONE);
    }
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
