package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Contact.LedgerLot;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The store's pure parts: ids, conversions, consumption of lots, failure translation. */
class StoreUnitTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void eventDocumentIdsAreShortSafeAndUnambiguous() {
    String id = EventLog.documentId("c-1", "e-1");

    assertThat(id).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(EventLog.documentId("c-1", "e-1")).isEqualTo(id);
    assertThat(EventLog.documentId("c-1e", "-1")).isNotEqualTo(EventLog.documentId("c-1", "e-1"));
    assertThat(EventLog.documentId("é/?#".repeat(200), "x".repeat(1000))).hasSize(43);
  }

  @Test
  void contactIdsAreBoundedAndPrintable() {
    assertThat(ContactStore.isValidId("jean@example.fr/ü?#")).isTrue();
    assertThat(ContactStore.isValidId("")).isFalse();
    assertThat(ContactStore.isValidId(null)).isFalse();
    assertThat(ContactStore.isValidId("a\nb")).isFalse();
    assertThat(ContactStore.isValidId("é".repeat(129))).isFalse(); // 258 bytes
  }

  @Test
  void redemptionsTakeTheSoonestExpiringLotsFirstAndNeverExpiredOnes() {
    LedgerLot never = lot(100, null);
    LedgerLot late = lot(50, NOW.plus(Duration.ofDays(30)));
    LedgerLot soon = lot(30, NOW.plus(Duration.ofDays(1)));
    LedgerLot expired = lot(500, NOW.minus(Duration.ofDays(1)));

    List<LedgerLot> after = Redemptions.consume(List.of(never, late, soon, expired), new BigDecimal(60), NOW,
        Optional.empty());

    assertThat(after).extracting(l -> l.points().intValue()).containsExactly(100, 20, 500);
  }

  @Test
  void aUsedUpLotStaysWhileATierWindowCountsWhatItEarned() {
    LedgerLot soon = lot(30, NOW.plus(Duration.ofDays(1)));
    LedgerLot late = lot(50, NOW.plus(Duration.ofDays(30)));

    List<LedgerLot> kept = Redemptions.consume(List.of(soon, late), new BigDecimal(40), NOW,
        Optional.of(Duration.ofDays(365)));
    List<LedgerLot> outside = Redemptions.consume(List.of(soon, late), new BigDecimal(40), NOW,
        Optional.of(Duration.ofDays(5)));

    assertThat(kept).extracting(l -> l.points().intValue(), l -> l.earned().intValue())
        .containsExactly(tuple(0, 30), tuple(40, 50));
    assertThat(outside).extracting(l -> l.points().intValue()).containsExactly(40);
  }

  private static LedgerLot lot(int points, Instant expiresAt) {
    return new LedgerLot(new BigDecimal(points), NOW.minus(Duration.ofDays(10)), expiresAt, "r", "rule");
  }

  @Test
  void documentsKeepTheApiShapeAndUnknownFields() {
    StoreFixtureJson fixture = new StoreFixtureJson();
    ContactDocuments documents = new ContactDocuments(fixture.json);
    Contact contact = fixture.json.convertValue(Map.of("id", "c-1", "score", 5, "stage", "MQL",
        "tags", Map.of("LEASING", 3), "alerts", Map.of("Hot lead", "2026-11-21T10:00:00Z"),
        "ledger", List.of(Map.of("points", 10, "earnedAt", "2026-11-01T00:00:00Z"))), Contact.class);
    PendingEvent pending = new PendingEvent("e-1", "page_visit", NOW, Map.of(), "r", 1, NOW, DecisionJson.stored(Map.of("a", 1)));

    Map<String, Object> document = new java.util.LinkedHashMap<>(
        documents.toDocument(contact, List.of(pending), RecentEvents.NONE, Map.of("future", "kept"), NOW));
    document = fixture.json.convertValue(document, new com.fasterxml.jackson.core.type.TypeReference<>() {});
    StoredContact back = documents.fromDocument(document, 3, 1);

    assertThat(document.get("tags")).isEqualTo(List.of(Map.of("name", "LEASING", "count", 3)));
    assertThat(document).containsEntry("stageRank", 2).containsEntry("outboxSize", 1).containsEntry("future", "kept");
    assertThat(back.contact()).isEqualTo(contact);
    assertThat(back.outbox()).extracting(PendingEvent::eventId).containsExactly("e-1");
    assertThat(back.extras()).isEqualTo(Map.of("future", "kept"));
    assertThat(back.recent()).isEqualTo(RecentEvents.NONE);
  }

  /** A field this version does not know, stored as null by another writer: read and kept. */
  @Test
  void anUnknownFieldStoredAsNullIsKept() {
    StoreFixtureJson fixture = new StoreFixtureJson();
    ContactDocuments documents = new ContactDocuments(fixture.json);
    Map<String, Object> extras = new java.util.LinkedHashMap<>();
    extras.put("future", null);
    Map<String, Object> document = new java.util.LinkedHashMap<>(
        documents.toDocument(Contact.withId("c-1"), List.of(), RecentEvents.NONE, extras, NOW));

    StoredContact back = documents.fromDocument(document, 3, 1);

    assertThat(back.extras()).containsEntry("future", null);
    assertThat(documents.toDocument(back.contact(), back.outbox(), back.recent(), back.extras(), NOW))
        .containsEntry("future", null);
  }

  @Test
  void recentEventsRoundTripAndAreUnknownWhenAnotherWriterMovedTheDocument() {
    StoreFixtureJson fixture = new StoreFixtureJson();
    ContactDocuments documents = new ContactDocuments(fixture.json);
    Contact contact = Contact.withId("c-1");
    RecentEvents recent = new RecentEvents(NOW.minus(Duration.ofDays(90)), List.of(
        new io.relais.engine.contact.Event("e-1", "page_visit", NOW.minusSeconds(60), Map.of("url", "/a"))));
    Map<String, Object> document = fixture.json.convertValue(
        documents.toDocument(contact, List.of(), recent, Map.of(), NOW),
        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});

    assertThat(documents.fromDocument(document, 1, 1).recent()).isEqualTo(recent);

    // A writer that does not know the list (an older Relais) keeps it as an unknown field but
    // moves updatedAt when it records an event it does not add: the list is unknown from then on.
    Map<String, Object> rewritten = new java.util.LinkedHashMap<>(document);
    rewritten.put("updatedAt", NOW.plusSeconds(1).toString());
    assertThat(documents.fromDocument(rewritten, 2, 1).recent()).isNull();
    // A document written before Relais kept the list has none.
    Map<String, Object> legacy = new java.util.LinkedHashMap<>(document);
    legacy.remove("recent");
    assertThat(documents.fromDocument(legacy, 2, 1).recent()).isNull();
  }

  @Test
  void transportFailuresBecomeStoreUnavailableAndAreCounted() {
    AtomicInteger counted = new AtomicInteger();
    StoreCalls calls = new StoreCalls(e -> counted.incrementAndGet());

    assertThatThrownBy(() -> calls.run("get contact", () -> {
      throw new ConnectException("Connection refused");
    })).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("get contact");
    assertThatThrownBy(() -> calls.run("x", () -> {
      throw new RuntimeException(new IOException("reset"));
    })).isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> calls.run("x", () -> {
      // What the client throws when no pooled connection frees up in time.
      throw new RuntimeException("error while performing request",
          new java.util.concurrent.TimeoutException("Deadline: -140 MILLISECONDS overdue"));
    })).isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> calls.run("x", () -> {
      throw new IllegalStateException("a bug");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(calls.run("x", () -> "fine")).isEqualTo("fine");
    assertThat(counted).hasValue(3);
  }

  /** The JSON mapper the store's tests use. */
  static final class StoreFixtureJson {
    final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper()
        .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
        .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

}
