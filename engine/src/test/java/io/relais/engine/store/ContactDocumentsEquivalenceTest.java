package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.testing.JsonSamples;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contact document written and read by hand ({@link ContactDocuments}) is the one the
 * object mapper's {@code convertValue} made before: {@link #referenceDocument} and
 * {@link #referenceContact} are the former code, kept here as the reference. Compared as Java
 * maps (value classes and order included) and as the JSON text the store's mapper writes, on
 * thousands of generated contacts, documents as the store returns them and documents written
 * by older versions or other clients (wrongly typed values, unknown fields).
 */
class ContactDocumentsEquivalenceTest {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final Set<String> BOOKKEEPING =
      Set.of("stageRank", "points", "pointsAt", "updatedAt", "outbox", "outboxSize", "outboxOldest", "outboxNewest", "recent",
          "nextDueAt");
  private static final Set<String> CONTACT_FIELDS = Set.copyOf(io.relais.dsl.schema.Schema.jsonProperties());

  private final ObjectMapper json = JsonSamples.storeMapper();
  private final ContactDocuments documents = new ContactDocuments(json);
  /** As the store's client writes documents (ElasticsearchStore's mapper). */
  private final ObjectMapper store = new ObjectMapper()
      .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
      .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

  @Test
  void documentsAndTheApiJsonAreWhatTheMapperWrote() throws JsonProcessingException {
    JsonSamples samples = new JsonSamples(new Random(23));
    for (int i = 0; i < 3_000; i++) {
      Contact contact = i % 2 == 0 ? samples.contact() : samples.contactFromJson();
      List<PendingEvent> outbox = i % 3 == 0 ? List.of() : List.of(pending(samples));
      RecentEvents recent = i % 4 == 0 ? null : RecentEvents.NONE.with(samples.event("page_visit", NOW),
          NOW, Duration.ofDays(90), 100);
      Map<String, Object> extras = i % 5 == 0 ? Map.of() : Map.of(ContactDocuments.BATCH_EVENTS, List.of("b-1"),
          "future", Map.of("x", 1));
      assertSame(documents.toDocument(contact, outbox, recent, extras, NOW),
          referenceDocument(contact, outbox, recent, extras, NOW));
      assertSame(documents.toJson(contact, NOW), referenceJson(contact, NOW));
    }
  }

  @Test
  void contactsReadFromDocumentsAreWhatTheMapperRead() throws JsonProcessingException {
    JsonSamples samples = new JsonSamples(new Random(29));
    for (int i = 0; i < 3_000; i++) {
      List<Map<String, Object>> forms = new ArrayList<>();
      // A document this version wrote, as the store returns it (parsed from its JSON text)...
      Contact contact = i % 2 == 0 ? samples.contact() : samples.contactFromJson();
      Map<String, Object> written = documents.toDocument(contact, List.of(pending(samples)), null,
          Map.of(ContactDocuments.BATCH_EVENTS, List.of("b-1")), NOW);
      forms.add(written);
      forms.add(json.readValue(json.writeValueAsString(written), MAP));
      // ...one another client or an older version wrote: any field of any type.
      Map<String, Object> other = new LinkedHashMap<>(samples.contactJson());
      if (other.get("tags") instanceof Map<?, ?> tags) {
        List<Object> nested = new ArrayList<>();
        tags.forEach((name, count) -> nested.add(Map.of("name", String.valueOf(name), "count", String.valueOf(count))));
        other.put("tags", nested);
      }
      // An unknown field is kept as an extra, and extras hold no null (StoredContact): not this test's.
      other.remove("unknownField", null);
      other.put("updatedAt", NOW.toString());
      other.put("points", 12);
      forms.add(json.readValue(json.writeValueAsString(other), MAP));
      // ...and values a document read from the store never holds (the mapper's path reads them).
      Map<String, Object> odd = new LinkedHashMap<>(written);
      odd.put("createdAt", Instant.EPOCH);
      odd.put("segments", Set.of("S1"));
      // Kept as given by Contact.fromJson, converted by the mapper: the reason for the guard.
      odd.put("attributes", Map.of("at", Instant.EPOCH, "n", (short) 2, "list", Set.of(1.5f)));
      forms.add(odd);
      for (Map<String, Object> document : forms) {
        StoredContact read = documents.fromDocument(document, 3, 1);
        Contact reference = referenceContact(document);
        assertThat(read.contact()).as("%s", document).isEqualTo(reference);
        assertThat(String.valueOf(read.contact().attributes().values().stream().map(v -> v == null ? null : v.getClass()).toList()))
            .isEqualTo(String.valueOf(reference.attributes().values().stream().map(v -> v == null ? null : v.getClass()).toList()));
        assertThat(json.writeValueAsString(read.contact())).isEqualTo(json.writeValueAsString(reference));
        assertThat(read.contact().invalid()).isEqualTo(reference.invalid());
      }
    }
  }

  private PendingEvent pending(JsonSamples samples) {
    Map<String, Object> decision = new LinkedHashMap<>();
    decision.put("contactId", "c-1");
    decision.put("decisions", List.of(Map.of("type", "TAG", "tag", "VIP")));
    return new PendingEvent("e-1", "purchase", NOW, samples.event("purchase", NOW).attributes(), "acme", 2,
        NOW.minusSeconds(10), DecisionJson.stored(decision));
  }

  private void assertSame(Map<String, Object> byHand, Map<String, Object> reference) throws JsonProcessingException {
    assertThat(byHand).isEqualTo(reference);
    assertThat(List.copyOf(byHand.keySet())).isEqualTo(List.copyOf(reference.keySet()));
    assertThat(json.writeValueAsString(byHand)).isEqualTo(json.writeValueAsString(reference));
    assertThat(store.writeValueAsString(byHand)).isEqualTo(store.writeValueAsString(reference));
  }

  // The former ContactDocuments.toDocument: the contact through json.convertValue.
  private Map<String, Object> referenceDocument(Contact contact, List<PendingEvent> outbox, RecentEvents recent,
      Map<String, Object> extras, Instant now) {
    Map<String, Object> document = new LinkedHashMap<>(extras);
    document.putAll(json.convertValue(contact, MAP));
    List<Map<String, Object>> tags = new ArrayList<>();
    contact.tags().forEach((name, count) -> tags.add(Map.of("name", name, "count", count)));
    document.put("tags", tags);
    List<Map<String, Object>> alerts = new ArrayList<>();
    contact.alerts().forEach((rule, at) -> alerts.add(Map.of("rule", rule, "at", at.toString())));
    document.put("alerts", alerts);
    // Added since; its readings are AttributeValuesTest's.
    document.put("attributeValues", ContactDocuments.attributeValues(contact.attributes()));
    contact.enrollments().stream().filter(Contact.Enrollment::active)
        .map(Contact.Enrollment::nextDueAt).filter(java.util.Objects::nonNull)
        .min(java.time.Instant::compareTo).ifPresent(next -> document.put("nextDueAt", next.toString()));
    if (contact.stage().isOrdered()) {
      document.put("stageRank", contact.stage().ordinal());
    }
    document.put("points", ContactDocuments.balance(contact, now));
    document.put("pointsAt", now.toString());
    document.put("updatedAt", now.toString());
    List<Map<String, Object>> entries = new ArrayList<>(outbox.size());
    outbox.forEach(entry -> entries.add(entry.toDocument()));
    document.put("outbox", entries);
    document.put("outboxSize", outbox.size());
    outbox.stream().map(PendingEvent::recordedAt).min(Instant::compareTo)
        .ifPresent(oldest -> document.put("outboxOldest", oldest.toString()));
    outbox.stream().map(PendingEvent::recordedAt).max(Instant::compareTo)
        .ifPresent(newest -> document.put("outboxNewest", newest.toString()));
    if (recent != null) {
      // The list is written by hand in both versions: take this version's, it is not compared here.
      document.put("recent", documents.toDocument(contact, outbox, recent, extras, now).get("recent"));
    }
    return document;
  }

  // The former ContactDocuments.toJson.
  private Map<String, Object> referenceJson(Contact contact, Instant now) {
    Map<String, Object> out = new LinkedHashMap<>(json.convertValue(contact, MAP));
    out.put("points", ContactDocuments.balance(contact, now));
    return out;
  }

  // The former ContactDocuments.fromDocument's contact: its fields through json.convertValue.
  private Contact referenceContact(Map<String, Object> document) {
    Map<String, Object> contact = new LinkedHashMap<>();
    document.forEach((key, value) -> {
      if (CONTACT_FIELDS.contains(key)) {
        contact.put(key, value);
      }
    });
    if (document.get("tags") instanceof List<?> nested) {
      Map<String, Object> tags = new LinkedHashMap<>();
      for (Object entry : nested) {
        if (entry instanceof Map<?, ?> tag) {
          tags.put(String.valueOf(tag.get("name")), tag.get("count"));
        }
      }
      contact.put("tags", tags);
    }
    if (document.get("alerts") instanceof List<?> nested) {
      Map<String, Object> alerts = new LinkedHashMap<>();
      for (Object entry : nested) {
        if (entry instanceof Map<?, ?> alert) {
          alerts.put(String.valueOf(alert.get("rule")), alert.get("at"));
        }
      }
      contact.put("alerts", alerts);
    }
    assertThat(BOOKKEEPING).doesNotContainAnyElementsOf(CONTACT_FIELDS);
    return json.convertValue(contact, Contact.class);
  }
}
