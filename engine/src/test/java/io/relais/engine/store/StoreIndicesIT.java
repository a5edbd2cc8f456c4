package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.indices.GetMappingResponse;
import co.elastic.clients.elasticsearch.indices.IndexSettings;
import io.relais.engine.testing.TestStore;
import java.io.StringReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The indices on a real node: created when missing, their mapping brought up to date. */
class StoreIndicesIT {

  private final ElasticsearchStore store = ElasticsearchStore.connect(TestStore.freshSettings());
  private final StoreIndices indices = new StoreIndices(store, StoreCalls.uncounted());

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void newIndicesGetTheReplicasSetOrNoneOnOneDataNode() throws Exception {
    indices.ensureAll();
    assertThat(replicas(store, indices.contacts())).isEqualTo("0"); // auto: the build's single node
    StoreSettings fresh = TestStore.freshSettings();
    try (ElasticsearchStore withOne = ElasticsearchStore.connect(new StoreSettings(fresh.urls(), fresh.indexPrefix(),
        fresh.connectTimeout(), fresh.responseTimeout(), StoreAccess.NONE, null, 1), StoreGuard.defaults())) {
      StoreIndices set = new StoreIndices(withOne, StoreCalls.uncounted());
      set.ensureAll();
      for (String index : java.util.List.of(set.contacts(), set.events(), set.recovery())) {
        assertThat(replicas(withOne, index)).as(index).isEqualTo("1");
      }
      new RulesetIndex(withOne).ensureExists();
      assertThat(replicas(withOne, fresh.index("rulesets"))).isEqualTo("1");
      // Replicas that a single node cannot assign leave the cluster yellow: not for other tests.
      withOne.client().indices().delete(d -> d.index(set.contacts(), set.events(), set.recovery(),
          fresh.index("rulesets")));
    }
  }

  @Test
  void theFlushThresholdAgeIsPutOnNewIndicesAndOnThoseAnEarlierRelaisCreated() throws Exception {
    StoreSettings fresh = TestStore.freshSettings();
    StoreSettings fiveMinutes = new StoreSettings(fresh.urls(), fresh.indexPrefix(), fresh.connectTimeout(),
        fresh.responseTimeout(), StoreAccess.NONE, null, null, null, java.time.Duration.ofMinutes(5));
    try (ElasticsearchStore with = ElasticsearchStore.connect(fiveMinutes, StoreGuard.defaults())) {
      // As an earlier Relais (or Elasticsearch's default) left it: one minute.
      String events = fresh.index("events");
      with.client().indices().create(c -> c.index(events));
      StoreIndices set = new StoreIndices(with, StoreCalls.uncounted());
      set.ensureAll();
      for (String index : java.util.List.of(set.contacts(), events, set.recovery())) {
        assertThat(flushThresholdAge(with, index)).as(index).isEqualTo("300000ms");
      }
    }
  }

  @Test
  void unsetTheFlushThresholdAgeIsLeftAsTheIndexHasIt() throws Exception {
    store.client().indices().create(c -> c.index(indices.events()));
    store.putSettings(indices.events(), "{\"index.translog.flush_threshold_age\": \"2m\"}");

    indices.ensureAll();

    assertThat(flushThresholdAge(store, indices.events())).isEqualTo("2m");
    assertThat(flushThresholdAge(store, indices.contacts())).isNull();
  }

  // The typed client's index settings have no flush_threshold_age: read the flat settings.
  private static String flushThresholdAge(ElasticsearchStore on, String index) throws Exception {
    java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(on.settings().url().resolve(
            "/" + index + "/_settings/index.translog.flush_threshold_age?flat_settings=true")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    com.fasterxml.jackson.databind.JsonNode age = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(answer.body()).path(index).path("settings").path("index.translog.flush_threshold_age");
    return age.isMissingNode() ? null : age.asText();
  }

  private static String replicas(ElasticsearchStore on, String index) throws Exception {
    return on.client().indices().getSettings(g -> g.index(index)).get(index).settings().index().numberOfReplicas();
  }

  @Test
  void aContactsIndexOfAnOlderVersionGainsTheFieldsThisVersionMaps() throws Exception {
    // As an earlier Relais created it: no outboxNewest, which the recovery sweep sorts on.
    store.client().indices().create(c -> c.index(indices.contacts()).mappings(m -> m.withJson(
        new StringReader("{\"dynamic\": false, \"properties\": {\"score\": {\"type\": \"integer\"}}}"))));
    assertThat(mapped("outboxNewest")).isFalse();

    indices.ensureAll();
    indices.ensureAll(); // again: nothing to add, no failure

    assertThat(mapped("outboxNewest")).isTrue();
    assertThat(mapped("score")).isTrue();
    assertThat(store.client().indices().exists(e -> e.index(indices.events())).value()).isTrue();
    assertThat(store.client().indices().exists(e -> e.index(indices.recovery())).value()).isTrue();
  }

  /**
   * A contacts index created with a fixed refresh interval (as before) is brought to refreshing
   * when searched: no interval of its own, search-idle after 5 s.
   */
  @Test
  void aContactsIndexWithAFixedRefreshIntervalRefreshesWhenSearchedAfterTheUpdate() throws Exception {
    store.client().indices().create(c -> c.index(indices.contacts())
        .settings(s -> s.refreshInterval(t -> t.time("1s"))));

    indices.ensureAll();

    assertRefreshesWhenSearched(settings(indices.contacts()));
  }

  /** A new contacts index has no refresh interval of its own: search-idle after 5 s. */
  @Test
  void aNewContactsIndexRefreshesWhenSearched() throws Exception {
    indices.ensureAll();
    assertRefreshesWhenSearched(settings(indices.contacts()));
  }

  /** A new events index is not sorted: a sort is paid at every flush and merge of every event's segment. */
  @Test
  void aNewEventsIndexIsNotSorted() throws Exception {
    indices.ensureAll();
    var settings = settings(indices.events());
    assertThat(settings.sort()).isNull();
    assertThat(settings.refreshInterval().time()).isEqualTo("1s");
  }

  private IndexSettings settings(String index) throws Exception {
    return store.client().indices().getSettings(g -> g.index(index)).get(index).settings().index();
  }

  private static void assertRefreshesWhenSearched(IndexSettings settings) {
    assertThat(settings.refreshInterval()).isNull();
    assertThat(settings.search().idle().after().time()).isEqualTo("5s");
  }

  private boolean mapped(String field) throws Exception {
    GetMappingResponse response = store.client().indices().getMapping(g -> g.index(indices.contacts()));
    return response.get(indices.contacts()).mappings().properties().containsKey(field);
  }
}
