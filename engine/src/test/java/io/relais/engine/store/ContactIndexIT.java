package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch._types.query_dsl.ChildScoreMode;
import io.relais.engine.testing.TestStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContactIndexIT {

  private ElasticsearchStore store;
  private ContactIndex contacts;

  @BeforeEach
  void connect() {
    store = ElasticsearchStore.connect(TestStore.freshSettings());
    contacts = new ContactIndex(store);
    contacts.ensureExists();
  }

  @AfterEach
  void cleanUp() throws Exception {
    store.client().indices().delete(d -> d.index(contacts.name()).ignoreUnavailable(true));
    store.close();
  }

  @Test
  void createsOnlyTheMissingContacts() throws Exception {
    Map<String, Object> jean = Map.of("id", "c-1", "firstName", "Jean", "score", 10);
    assertThat(contacts.createMissing(List.of(jean))).isEqualTo(1);

    Map<String, Object> changedJean = Map.of("id", "c-1", "firstName", "Jean", "score", 99);
    Map<String, Object> anna = Map.of("id", "c-2", "firstName", "Anna", "score", 20);
    int created = contacts.createMissing(List.of(changedJean, anna));

    @SuppressWarnings("rawtypes")
    var stored = store.client().get(g -> g.index(contacts.name()).id("c-1"), Map.class);
    assertThat(created).isEqualTo(1);
    assertThat(stored.source()).containsEntry("score", 10);
  }

  @Test
  void tagCountsCompareAsNumbers() throws Exception {
    // "9" > "10" as strings: the nested mapping must make this a numeric comparison.
    contacts.createMissing(
        List.of(
            Map.of("id", "c-1", "tags", Map.of("LEASING", 9)),
            Map.of("id", "c-2", "tags", Map.of("LEASING", 10))));

    var hits =
        store
            .client()
            .search(
                s ->
                    s.index(contacts.name())
                        .query(
                            q ->
                                q.nested(
                                    n ->
                                        n.path("tags")
                                            .scoreMode(ChildScoreMode.None)
                                            .query(
                                                nq ->
                                                    nq.bool(
                                                        b ->
                                                            b.must(m -> m.term(t -> t.field("tags.name").value("LEASING")))
                                                                .must(m -> m.range(r -> r.number(nr -> nr.field("tags.count").gte(10.0)))))))),
                Map.class);

    assertThat(hits.hits().hits()).extracting(h -> h.id()).containsExactly("c-2");
  }
}
