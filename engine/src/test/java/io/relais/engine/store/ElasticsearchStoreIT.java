package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.IndexResponse;
import io.relais.engine.testing.TestStore;
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
