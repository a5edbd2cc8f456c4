package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batch events a contact remembers: bounded, newest last, each once. */
class BatchMarkerTest {

  @Test
  void keepsTheNewestBatchEventsUpToTheBound() {
    Map<String, Object> extras = Map.of();
    for (int i = 0; i < ContactDocuments.MAX_BATCH_EVENTS + 5; i++) {
      extras = Map.of(ContactDocuments.BATCH_EVENTS, ContactDocuments.withBatchEvent(extras, "batch-" + i));
    }
    List<String> kept = ContactDocuments.batchEvents(extras);
    assertThat(kept).hasSize(ContactDocuments.MAX_BATCH_EVENTS);
    assertThat(kept.get(kept.size() - 1)).isEqualTo("batch-" + (ContactDocuments.MAX_BATCH_EVENTS + 4));
    assertThat(kept).doesNotContain("batch-0");
  }

  @Test
  void anEventAddedAgainIsKeptOnce() {
    Map<String, Object> extras = Map.of(ContactDocuments.BATCH_EVENTS, List.of("batch-a", "batch-b"));
    assertThat(ContactDocuments.withBatchEvent(extras, "batch-a")).containsExactly("batch-b", "batch-a");
  }

  @Test
  void anAliasHasNoDueStepForTheScheduler() {
    ContactDocuments documents = new ContactDocuments(new com.fasterxml.jackson.databind.ObjectMapper());
    var now = java.time.Instant.parse("2026-11-29T00:00:00Z");
    var contact = io.relais.engine.contact.Contact.withId("c-1").toBuilder().enrollments(List.of(
        new io.relais.engine.contact.Contact.Enrollment("leasing-101", now, true, now.plusSeconds(60)))).build();
    assertThat(documents.toDocument(contact, List.of(), RecentEvents.NONE, Map.of(), now))
        .containsEntry(ContactDocuments.NEXT_DUE_AT, now.plusSeconds(60).toString());
    // Merged into another contact: its steps are decided there, never on the alias.
    assertThat(documents.toDocument(contact, List.of(), RecentEvents.NONE,
        Map.of(ContactMerges.MERGED_INTO, "c-2"), now)).doesNotContainKey(ContactDocuments.NEXT_DUE_AT);
  }

  @Test
  void everyWriterKeepsTheMarkerAsAnExtra() {
    ContactDocuments documents = new ContactDocuments(new com.fasterxml.jackson.databind.ObjectMapper()
        .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
        .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS));
    var contact = io.relais.engine.contact.Contact.withId("c-1");
    var now = java.time.Instant.parse("2026-11-29T00:00:00Z");
    Map<String, Object> stored = documents.toDocument(contact, List.of(), RecentEvents.NONE,
        Map.of(ContactDocuments.BATCH_EVENTS, List.of("batch-x")), now);
    StoredContact read = documents.fromDocument(stored, 1, 1);
    // A live event's write is made from what it read: the marker travels with the extras.
    assertThat(BulkApplier.applied(read, "batch-x")).isTrue();
    assertThat(documents.toDocument(read.contact(), List.of(), read.recent(), read.extras(), now))
        .containsEntry(ContactDocuments.BATCH_EVENTS, List.of("batch-x"));
  }
}
