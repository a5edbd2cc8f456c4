package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import io.relais.dsl.RuleLanguage;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Evaluation;
import io.relais.engine.evaluation.TraceMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.zip.Deflater;
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
  void anEvaluationsDecisionIsItsFiredTraceMapWrittenOutAndCompressed() throws Exception {
    CompiledRuleset rules = CompiledRuleset.compile(RuleLanguage.check("r", List.of(new Source("r.rules", """
        scoring "Visit"
        when event is page_visit and event.url matches "/offers/**"
        then add 5 to score
        end

        segment "Offers"
        when event is page_visit and event.url = "nowhere"
        then tag "OFFERS"
        end
        """))).ruleset().orElseThrow(), 1);
    Instant now = Instant.parse("2026-11-22T10:00:00.120Z");
    Evaluation evaluation = rules.evaluate(Contact.withId("c-1"),
        Optional.of(new Event("e-1", "page_visit", now, Map.of("url", "/offers/a \"b\""))), List.of(), now);

    // Made again and again: the kept compressors are reset between decisions.
    for (int i = 0; i < 3; i++) {
      DecisionJson made = DecisionJson.of(evaluation);
      DecisionJson fromMap = DecisionJson.of(evaluation.toJson(TraceMode.FIRED));
      assertThat(made.text()).isEqualTo(fromMap.text()).contains("\"fired\":true");
      assertThat(made.map()).isEqualTo(fromMap.map());
      assertThat(made.deflated()).isEqualTo(fromMap.deflated());
      assertThat(DecisionJson.fromDocument(Map.of(DecisionJson.FIELD, made.deflated())).text()).isEqualTo(made.text());
    }
  }

  @Test
  void atMostSoManyCompressorsAreKept() {
    int max = DecisionJson.maxKeptDeflaters();
    List<Deflater> borrowed = new ArrayList<>();
    for (int i = 0; i < max + 3; i++) {
      borrowed.add(DecisionJson.borrowDeflater());
    }
    borrowed.forEach(DecisionJson::giveBack);

    assertThat(DecisionJson.keptDeflaters()).isEqualTo(max);
    // The ones not kept were freed: using one again fails.
    assertThat(borrowed).filteredOn(d -> {
      try {
        d.setInput(new byte[1]);
        d.finish();
        d.deflate(new byte[64]);
        d.reset();
        return false;
      } catch (NullPointerException e) {
        return true;
      }
    }).hasSize(3);
    // A decision still compresses with the kept ones.
    assertThat(DecisionJson.fromDocument(Map.of(DecisionJson.FIELD, DecisionJson.of(decision()).deflated())).map())
        .isEqualTo(decision());
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
  void inADocumentItIsItsJsonCompressedAndReadsBackAsTheSameDecision() throws Exception {
    DecisionJson made = DecisionJson.of(decision());

    String written = JSON.writeValueAsString(Map.of(DecisionJson.FIELD, made));
    Map<?, ?> read = JSON.readValue(written, Map.class);

    assertThat(read.get(DecisionJson.FIELD)).isInstanceOf(String.class);
    DecisionJson back = DecisionJson.fromDocument(read);
    assertThat(back.text()).isEqualTo(made.text());
    assertThat(back.map()).isEqualTo(decision());
    assertThat(back.answer(true)).isEqualTo(made.answer(true));
    // Written again (an outbox entry carried over), it is copied, not compressed again.
    assertThat(back.deflated()).isSameAs(read.get(DecisionJson.FIELD));
  }

  @Test
  void aTraceOfManyRulesIsStoredInAFractionOfItsSize() {
    Map<String, Object> decision = new LinkedHashMap<>(decision());
    decision.put("trace", java.util.stream.IntStream.range(0, 17).mapToObj(i -> Map.of("rule", "Rule " + i,
        "fired", i % 5 == 0, "why", "event is page_visit = page_visit; event.url = \"/financing/leasing/offers\" matches \"/p" + i + "/**\""))
        .toList());
    DecisionJson made = DecisionJson.of(decision);

    assertThat(made.deflated().length()).isLessThan(made.text().length() / 2);
  }

  @Test
  void aDocumentOfAnEarlierRelaisHoldsItAsAnObject() throws Exception {
    Map<?, ?> legacy = JSON.readValue(JSON.writeValueAsString(Map.of(DecisionJson.LEGACY_FIELD, decision())), Map.class);

    DecisionJson read = DecisionJson.fromDocument(legacy);

    assertThat(read.map()).isEqualTo(decision());
    assertThat(read.text()).isEqualTo(JSON.writeValueAsString(decision()));
    assertThat(DecisionJson.fromDocument(JSON.readValue(JSON.writeValueAsString(Map.of(DecisionJson.FIELD, read)), Map.class)))
        .isEqualTo(read);
  }

  @Test
  void aDocumentWithoutADecisionHasAnEmptyOne() {
    assertThat(DecisionJson.fromDocument(Map.of("eventId", "e-1")).map()).isEmpty();
  }

  @Test
  void aStoredDecisionThatIsNotReadableSaysSo() {
    String cut = DecisionJson.of(decision()).deflated().substring(0, 40);

    assertThatThrownBy(() -> DecisionJson.fromDocument(Map.of(DecisionJson.FIELD, cut)).map())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("stored decision");
    assertThatThrownBy(() -> DecisionJson.fromDocument(Map.of(DecisionJson.FIELD, "not base64!")).text())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("stored decision");
  }

  @Test
  void convertedToValuesItIsItsStoredForm() {
    DecisionJson made = DecisionJson.of(decision());

    Object converted = JSON.convertValue(Map.of(DecisionJson.FIELD, made), Object.class);

    assertThat(converted).isEqualTo(Map.of(DecisionJson.FIELD, made.deflated()));
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
