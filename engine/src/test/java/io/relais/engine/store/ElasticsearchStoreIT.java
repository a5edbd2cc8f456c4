package io.relais.engine.store;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.IndexResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.json.JsonData;
import io.relais.engine.testing.TestStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ElasticsearchStoreIT {

  private ElasticsearchStore store;

  @BeforeEach
  void connect() {
    store = ElasticsearchStore.connect(TestStore.freshSettings());
  }

  @AfterEach
  void cleanUp() throws Exception {
    store.client().indices().delete(d -> d.index(store.settings().index("contacts")).ignoreUnavailable(true));
    store.close();
  }

  @Test
  void reportsTheHealthOfTheBuildsNode() {
    StoreHealth health = store.health();

    assertThat(health.isUp()).isTrue();
    assertThat(health.nodes()).isEqualTo(1);
    assertThat(health.cluster()).startsWith("relais-");
  }

  @Test
  void aDeadNodeAmongTheUrlsIsSkipped() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    StoreSettings fresh = TestStore.freshSettings();
    // The dead node first: each call that picks it fails over to the live one, and the
    // circuit never sees a failure.
    StoreSettings both = new StoreSettings(
        java.util.List.of(java.net.URI.create("http://127.0.0.1:" + closed), fresh.url()), fresh.indexPrefix(),
        fresh.connectTimeout(), fresh.responseTimeout(), StoreAccess.NONE, null, null);
    try (ElasticsearchStore twoNodes = ElasticsearchStore.connect(both, StoreGuard.defaults())) {
      for (int i = 0; i < 10; i++) {
        assertThat(twoNodes.health().isUp()).isTrue();
      }
      assertThat(twoNodes.circuit()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
  }

  @Test
  void replicasFollowTheNumberOfDataNodesUnlessSet() throws Exception {
    assertThat(store.replicasForNewIndex()).isZero(); // the build's single node
    StoreSettings fresh = TestStore.freshSettings();
    StoreSettings two = new StoreSettings(fresh.urls(), fresh.indexPrefix(), fresh.connectTimeout(),
        fresh.responseTimeout(), StoreAccess.NONE, null, 2);
    try (ElasticsearchStore set = ElasticsearchStore.connect(two, StoreGuard.defaults())) {
      assertThat(set.replicasForNewIndex()).isEqualTo(2);
    }
  }

  @Test
  void aWriteWaitingForAPrimaryIsGivenUpByTheStoreAfterTheWaitTimeout() throws Exception {
    // A primary shard that can never be assigned: a write to it waits for it, by default for a
    // minute, well after the client stopped waiting (as for a cluster without a master).
    String index = store.settings().index("unassigned");
    store.client().indices().create(c -> c.index(index).waitForActiveShards(w -> w.count(0))
        .settings(s -> s.numberOfReplicas("0")
            .otherSettings("index.routing.allocation.require._name", JsonData.of("no-such-node"))));
    StoreSettings fresh = store.settings();
    StoreSettings bounded = new StoreSettings(fresh.urls(), fresh.indexPrefix(), fresh.connectTimeout(),
        fresh.responseTimeout(), StoreAccess.NONE, null, null, Duration.ofMillis(500));
    try (ElasticsearchStore waiting = ElasticsearchStore.connect(bounded, StoreGuard.defaults())) {
      BulkOperation create = BulkOperation.of(o -> o.create(c -> c.index(index).id("e-1").document(Map.of("a", 1))));
      List<BulkResponseItem> items = waiting.call("write", () -> waiting.wire().bulk(List.of(create)));

      // The store's own answer, not the client's time-out: the write is dropped, not pending.
      assertThat(items).singleElement().satisfies(item -> {
        assertThat(item.status()).isEqualTo(503);
        assertThat(item.error().type()).isEqualTo("unavailable_shards_exception");
      });
      assertThat(waiting.circuit()).isEqualTo(CircuitBreaker.State.CLOSED);
    } finally {
      store.client().indices().delete(d -> d.index(index));
    }
  }

  @Test
  void indexesAndReadsADocument() throws Exception {
    String index = store.settings().index("contacts");
    Map<String, Object> contact = Map.of("id", "c-1", "firstName", "Jean", "score", 42, "city", "Lyon");

    IndexResponse indexed =
        store.client().index(i -> i.index(index).id("c-1").document(contact).refresh(
            co.elastic.clients.elasticsearch._types.Refresh.True));
    @SuppressWarnings("rawtypes")
    GetResponse<Map> read = store.client().get(g -> g.index(index).id("c-1"), Map.class);

    assertThat(indexed.version()).isEqualTo(1L);
    assertThat(read.found()).isTrue();
    assertThat(read.source()).containsEntry("firstName", "Jean").containsEntry("score", 42);
  }

  @Test
  void aStaleWriteIsRefused() throws Exception {
    // Optimistic concurrency is what keeps concurrent events from losing updates later on.
    String index = store.settings().index("contacts");
    IndexResponse first = store.client().index(i -> i.index(index).id("c-2").document(Map.of("score", 1)));
    store.client().index(i -> i.index(index).id("c-2").document(Map.of("score", 2)));

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                store.client().index(i -> i.index(index).id("c-2").document(Map.of("score", 3))
                    .ifSeqNo(first.seqNo()).ifPrimaryTerm(first.primaryTerm())))
        .hasMessageContaining("version_conflict");
  }
}
