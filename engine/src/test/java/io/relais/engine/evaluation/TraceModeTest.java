package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trace sized to the question (docs/api.md, "The trace"): the rules that fired by default,
 * every rule the event could reach on request, or none; never the rules that did not fire unless
 * asked, whatever the ruleset's size.
 */
class TraceModeTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  /** Rules guarded by {@code event is page_visit}; four of them fire on each page. */
  private static final int PAGE_RULES = 2_000;
  private static final int PAGES = 500;
  /** Rules guarded by {@code event is purchase}: a page visit cannot reach them. */
  private static final int PURCHASE_RULES = 100;

  private static CompiledRuleset rules;

  /** 2,101 rules: page rules, purchase rules, and one rule every event reaches ("Hot"). */
  static String manyRules() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < PAGE_RULES; i++) {
      text.append("scoring \"Page ").append(i).append("\"\nwhen event is page_visit and event.url = \"/page/")
          .append(i % PAGES).append("\"\nthen add 1 to score\nend\n\n");
    }
    for (int i = 0; i < PURCHASE_RULES; i++) {
      text.append("loyalty \"Purchase ").append(i).append("\"\nwhen event is purchase and event.amount > ")
          .append(i).append("\nthen award 1 points\nend\n\n");
    }
    text.append("segment \"Hot\"\nwhen contact.score >= 1000\nthen tag \"HOT\"\nend\n");
    return text.toString();
  }

  @BeforeAll
  static void compile() {
    rules = Rulesets.compile(manyRules());
  }

  private static Evaluation visit(String url) {
    return rules.evaluate(Contact.withId("c-1"), Optional.of(new Event("e-1", "page_visit", NOW, Map.of("url", url))),
        List.of(), NOW);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> traceOf(Map<String, Object> json) {
    return (List<Map<String, Object>>) json.get("trace");
  }

  @Test
  void byDefaultTheTraceListsOnlyTheRulesThatFired() {
    Evaluation e = visit("/page/7");

    List<Map<String, Object>> trace = traceOf(e.toJson(TraceMode.FIRED));

    assertThat(trace).extracting(t -> t.get("rule"))
        .containsExactly("Page 7", "Page 507", "Page 1007", "Page 1507");
    assertThat(trace).allSatisfy(t -> {
      assertThat(t.get("fired")).isEqualTo(true);
      assertThat((String) t.get("why")).isEqualTo("event is page_visit = page_visit; event.url = \"/page/7\" = \"/page/7\"");
    });
    assertThat(e.firedRules()).containsExactly("Page 7", "Page 507", "Page 1007", "Page 1507");
  }

  @Test
  void allListsEveryRuleTheEventCouldReachWithThePartThatWasFalse() {
    Evaluation e = visit("/page/7");

    List<Map<String, Object>> trace = traceOf(e.toJson(TraceMode.ALL));

    // Every page rule and "Hot"; no purchase rule: a page visit cannot reach them.
    assertThat(trace).hasSize(PAGE_RULES + 1);
    assertThat(trace).noneMatch(t -> ((String) t.get("rule")).startsWith("Purchase"));
    assertThat(trace).filteredOn(t -> t.get("fired").equals(true)).hasSize(4);
    assertThat(trace).filteredOn(t -> t.get("rule").equals("Page 3")).singleElement().satisfies(t -> {
      assertThat(t.get("fired")).isEqualTo(false);
      assertThat((String) t.get("why")).endsWith("event.url = \"/page/7\" = \"/page/3\"");
    });
    assertThat(trace).filteredOn(t -> t.get("rule").equals("Hot")).singleElement()
        .satisfies(t -> assertThat(t.get("why")).isEqualTo("contact.score = 0 >= 1000"));
  }

  @Test
  void withoutAnEventAllListsOnlyTheRulesNoEventGuards() {
    Evaluation e = rules.evaluate(Contact.withId("c-1"), Optional.empty(), List.of(), NOW);

    assertThat(e.trace(TraceMode.ALL)).extracting(Evaluation.TraceEntry::rule).containsExactly("Hot");
    assertThat(e.trace(TraceMode.FIRED)).isEmpty();
  }

  @Test
  void noneLeavesTheTraceOut() {
    Evaluation e = visit("/page/7");

    assertThat(e.toJson(TraceMode.NONE)).doesNotContainKey("trace")
        .containsKeys("contactId", "ruleset", "version", "now", "decisions", "contact", "warnings");
    assertThat(e.trace(TraceMode.NONE)).isEmpty();
  }

  @Test
  void theDefaultTraceDoesNotGrowWithTheRulesThatDidNotFire() {
    Evaluation fewFired = visit("/page/499");
    Evaluation noneFired = visit("/nowhere");

    assertThat(fewFired.trace(TraceMode.FIRED)).hasSize(4);
    assertThat(noneFired.trace(TraceMode.FIRED)).isEmpty();
    assertThat(noneFired.toJson(TraceMode.FIRED).toString().length()).isLessThan(500);
  }

  @Test
  void aFiredRuleComparingAHugeValueManyTimesHasAWhyOfBoundedLength() {
    StringBuilder condition = new StringBuilder("event is page_visit");
    for (int i = 0; i < 1_000; i++) {
      condition.append(" and event.url contains \"u\"");
    }
    CompiledRuleset many = Rulesets.compile("scoring \"Long\"\nwhen " + condition + "\nthen add 1 to score\nend\n");
    Event visit = new Event("e-1", "page_visit", NOW, Map.of("url", "/" + "u".repeat(90_000)));

    Evaluation e = many.evaluate(Contact.withId("c-1"), Optional.of(visit), List.of(), NOW);

    assertThat(e.trace(TraceMode.FIRED)).singleElement().satisfies(entry -> {
      assertThat(entry.fired()).isTrue();
      assertThat(entry.why()).hasSize(io.relais.engine.compile.Trace.MAX_LENGTH).endsWith("…")
          .startsWith("event is page_visit = page_visit; event.url = \"/uuu");
    });
  }

  @Test
  void modesAreNamedAsRequestsNameThem() {
    assertThat(TraceMode.named("fired")).contains(TraceMode.FIRED);
    assertThat(TraceMode.named("all")).contains(TraceMode.ALL);
    assertThat(TraceMode.named("none")).contains(TraceMode.NONE);
    assertThat(TraceMode.named("ALL")).isEmpty();
    assertThat(TraceMode.named("")).isEmpty();
    assertThat(TraceMode.named(null)).isEmpty();
  }
}
