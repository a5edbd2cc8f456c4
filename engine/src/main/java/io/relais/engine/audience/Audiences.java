package io.relais.engine.audience;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.relais.engine.store.ElasticsearchStore;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Counts the stored contacts that meet a condition, with the condition pushed down as one query. */
public final class Audiences {

  /** The store refused a pushed-down query (too many clauses, a glob too complex...). */
  public static final class QueryRefusedException extends RuntimeException {
    public QueryRefusedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final ElasticsearchStore store;

  public Audiences(ElasticsearchStore store) {
    this.store = store;
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

  /** How many stored contacts match {@code query}. */
  public long count(Query query) {
    try {
      return store.client().count(c -> c.index(index()).query(query)).count();
    } catch (ElasticsearchException e) {
      if (e.status() == 400) {
        throw new QueryRefusedException("The store refused the condition's query: " + e.error().reason(), e);
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
