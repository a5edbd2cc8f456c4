package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The trace's {@code falsePart} (docs/api.md, "The trace"): for a rule whose condition was
 * false, where the part that was false is written, so an editor can mark it.
 */
class FalsePartTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  // Line 3: `event is page_visit and contact.score >= 50` (columns 6-25 and 30-48).
  private static final String RULES = """
      scoring "Engaged"
      when
        event is page_visit and contact.score >= 50
      then
        add 1 to score
      end

      segment "Either"
      when
        has tag "A" or in segment "B"
      then
        tag "C"
      end

      segment "Not yet"
      when
        not has tag "D"
      then
        tag "D"
      end

      segment "Long name"
      when
        contact.firstName != "Ada" and contact.score > 1000
      then
        tag "E"
      end

      segment "Pricing"
      when
        event is page_visit and event.url = "/pricing"
      then
        tag "P"
      end
      """;

  private static final CompiledRuleset RULESET = Rulesets.compile(RULES);

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> traceAll(Contact contact) {
    return traceAll(RULESET, contact, Map.of());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> traceAll(CompiledRuleset ruleset, Contact contact,
      Map<String, Object> attributes) {
    Evaluation e = ruleset.evaluate(contact, Optional.of(new Event("e-1", "page_visit", NOW, attributes)), List.of(), NOW);
    List<Map<String, Object>> trace = (List<Map<String, Object>>) e.toJson(TraceMode.ALL).get("trace");
    return trace.stream().collect(java.util.stream.Collectors.toMap(t -> (String) t.get("rule"), t -> t));
  }

  @Test
  void theFalseTermOfAnAndIsTheFalsePart() {
    Map<String, Object> engaged = traceAll(Contact.withId("c-1")).get("Engaged");

    assertThat(engaged.get("fired")).isEqualTo(false);
    assertThat(engaged.get("falsePart")).isEqualTo(
        Map.of("file", "test.rules", "line", 3, "column", 27, "endLine", 3, "endColumn", 46));
  }

  @Test
  void anOrWhoseTermsAreAllFalseIsWholeTheFalsePart() {
    Map<String, Object> either = traceAll(Contact.withId("c-1")).get("Either");

    assertThat(either.get("falsePart")).isEqualTo(
        Map.of("file", "test.rules", "line", 10, "column", 3, "endLine", 10, "endColumn", 32));
  }

  @Test
  void aNotWhoseOperandHeldIsWholeTheFalsePart() {
    Map<String, Object> notYet = traceAll(Contact.fromJson(Map.of("id", "c-1", "tags", Map.of("D", 1)))).get("Not yet");

    assertThat(notYet.get("fired")).isEqualTo(false);
    assertThat(notYet.get("falsePart")).isEqualTo(
        Map.of("file", "test.rules", "line", 17, "column", 3, "endLine", 17, "endColumn", 18));
  }

  @Test
  void aWhyCutAtItsLengthHasNoFalsePartSinceTheDecidingComparisonIsUnknown() {
    // The first comparison's text is over 4,096 characters: the trace is full after it, and
    // the false comparison (the score) is not recorded.
    Map<String, Object> entry = traceAll(Contact.fromJson(Map.of("id", "c-1", "firstName", "Ada" + "a".repeat(5_000))))
        .get("Long name");

    assertThat(entry.get("fired")).isEqualTo(false);
    assertThat((String) entry.get("why")).endsWith("…");
    assertThat(entry).doesNotContainKey("falsePart");
  }

  @Test
  void aRuleThatFiredHasNoFalsePart() {
    Map<String, Map<String, Object>> trace = traceAll(Contact.withId("c-1"));

    assertThat(trace.get("Not yet").get("fired")).isEqualTo(true);
    assertThat(trace.get("Not yet")).doesNotContainKey("falsePart");
  }

  @Test
  void aRuleTheNetworkStoppedAtItsEqualityTestHasThatComparisonAsItsFalsePart() {
    // The network tests `event.url = "/pricing"` itself (an alpha node): the rule's own
    // condition never runs while matching, and is evaluated when its entry is read.
    assertThat(RULESET.rules().stream().filter(r -> r.ref().name().equals("Pricing")).findFirst()
        .orElseThrow().alphaTests()).isNotEmpty();
    Map<String, Object> pricing = traceAll(RULESET, Contact.withId("c-1"), Map.of("url", "/home")).get("Pricing");

    assertThat(pricing.get("fired")).isEqualTo(false);
    assertThat(pricing.get("why")).isEqualTo("event is page_visit = page_visit; event.url = \"/home\" = \"/pricing\"");
    assertThat(pricing.get("falsePart")).isEqualTo(
        Map.of("file", "test.rules", "line", 31, "column", 27, "endLine", 31, "endColumn", 49));
    // As the rule's own condition, run while matching, says.
    CompiledRuleset own = CompiledRuleset.compileWithoutNetworkTests(Rulesets.checked(RULES), 1);
    assertThat(traceAll(own, Contact.withId("c-1"), Map.of("url", "/home")).get("Pricing")).isEqualTo(pricing);
  }
}
