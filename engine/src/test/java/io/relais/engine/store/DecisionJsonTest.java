package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<String, Object> decision() {
    Map<String, Object> decision = new LinkedHashMap<>();
    decision.put("contactId", "c-1");
    decision.put("version", 3);
    decision.put("decisions", List.of(Map.of("type", "SCORE", "delta", 1)));
    decision.put("contact", null);
    decision.put("trace", List.of(Map.of("rule", "Say \"hi\" é", "fired", true)));
    return decision;
  }

  @Test
  void aNewDecisionIsItsMapWrittenOutOnce() throws Exception {
    DecisionJson made = DecisionJson.of(decision());

    assertThat(made.text()).isEqualTo(JSON.writeValueAsString(decision()));
    assertThat(made.map()).isEqualTo(decision());
  }

  @Test
  void theAnswerIsTheDecisionWithReplayedLast() throws Exception {
    Map<String, Object> expected = new LinkedHashMap<>(decision());
    expected.put("replayed", true);

    byte[] answer = DecisionJson.of(decision()).answer(true);

    assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo(JSON.writeValueAsString(expected));
    assertThat(new String(DecisionJson.stored(decision()).answer(false), StandardCharsets.UTF_8))
        .endsWith(",\"replayed\":false}");
  }

  @Test
  void anEmptyDecisionAnswersOnlyReplayed() {
    assertThat(new String(DecisionJson.stored(null).answer(true), StandardCharsets.UTF_8))
        .isEqualTo("{\"replayed\":true}");
    assertThat(new String(DecisionJson.of(Map.of()).answer(false), StandardCharsets.UTF_8))
        .isEqualTo("{\"replayed\":false}");
  }

  @Test
  void inADocumentItIsWrittenAsTheJsonOfItsMap() throws Exception {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("eventId", "e-1");
    document.put("decision", decision());
    String expected = JSON.writeValueAsString(document);

    document.put("decision", DecisionJson.of(decision()));
    assertThat(JSON.writeValueAsString(document)).isEqualTo(expected);
    document.put("decision", DecisionJson.stored(decision()));
    assertThat(JSON.writeValueAsString(document)).isEqualTo(expected);
  }

  @Test
  void convertedToValuesItIsItsMapNotOpaqueText() {
    Object converted = JSON.convertValue(Map.of("decision", DecisionJson.of(decision())), Object.class);

    assertThat(converted).isEqualTo(Map.of("decision", decision()));
  }

  @Test
  void anEventDocumentBuiltInMemoryReadsBackAsTheSameEvent() {
    Instant now = Instant.parse("2026-11-29T10:00:00Z");
    PendingEvent event = new PendingEvent("e-1", "page_visit", now, Map.of("url", "/a"), "acme", 2, now,
        DecisionJson.of(decision()));

    assertThat(PendingEvent.fromDocument(event.toDocument())).isEqualTo(event);
  }

  @Test
  void storedTextIsReadBackAsTheSameDecision() {
    DecisionJson made = DecisionJson.of(decision());
    DecisionJson stored = DecisionJson.stored(made.map());

    assertThat(stored).isEqualTo(made).hasSameHashCodeAs(made);
    assertThat(stored.text()).isEqualTo(made.text());
  }
}
