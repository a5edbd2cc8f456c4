package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContactIndexTest {

  @Test
  void storesTagsAsNameCountPairs() {
    Map<String, Object> document =
        ContactIndex.toDocument(Map.of("id", "c-1", "tags", Map.of("FINANCING_LEASING", 3)));

    assertThat(document.get("tags"))
        .isEqualTo(List.of(Map.of("name", "FINANCING_LEASING", "count", 3)));
    assertThat(document).containsEntry("id", "c-1");
  }

  @Test
  void readsTagsBackAsAMap() {
    Map<String, Object> stored = ContactIndex.toDocument(Map.of("id", "c-1", "tags", Map.of("A", 2)));

    assertThat(ContactIndex.fromDocument(stored)).isEqualTo(Map.of("id", "c-1", "tags", Map.of("A", 2)));
  }

  @Test
  void leavesContactsWithoutTagsAsTheyAre() {
    assertThat(ContactIndex.toDocument(Map.of("id", "c-2", "score", 5)))
        .isEqualTo(Map.of("id", "c-2", "score", 5));
  }
}
