package io.relais.engine.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.program.Program;
import io.relais.dsl.source.Source;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionCompilerTest {

  private static final String DECLARATIONS =
      """
      define HOT = 100
      attribute contact.budget : number
      tier "Gold" from 100 points
      segment "Sets tags"
      then
        tag "FINANCING_LEASING"
        tag "X"
      end
      """;

  /** Compiles the condition of a one-rule ruleset, checked by the real checker. */
  private static Condition compile(String condition) {
    String text =
        DECLARATIONS + "segment \"Under test\"\nwhen\n  " + condition + "\nthen\n  tag \"T\"\nend\n";
    CheckResult checked = RuleLanguage.check("test", List.of(new Source("t.rules", text)));
    assertThat(checked.errors()).extracting(Diagnostic::render).isEmpty();
    CheckedRuleset ruleset = checked.ruleset().orElseThrow();
    Program.Rule rule = ruleset.program().rules().stream()
        .filter(r -> r.name().equals("Under test")).findFirst().orElseThrow();
    return new ExpressionCompiler(ruleset, TestFacts::read).condition(rule.when());
  }

  private static boolean holds(String condition, TestFacts facts) {
    return compile(condition).test(facts, Trace.NONE);
  }

  @Test
  void explainsWhatItCompared() {
    TestFacts facts = new TestFacts().field("score", 101).tag("FINANCING_LEASING", 3);
    Trace trace = Trace.recording();

    boolean fired =
        compile("contact.score >= HOT and tag \"FINANCING_LEASING\" >= 3").test(facts, trace);

    assertThat(fired).isTrue();
    assertThat(trace.why()).isEqualTo("contact.score = 101 >= 100; tag FINANCING_LEASING = 3 >= 3");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "contact.budget > 5",
        "contact.budget < 5",
        "contact.budget = 5",
        "contact.budget != 5",
        "contact.budget between 1 and 10",
        "contact.budget in [1, 2]",
        "contact.budget not in [1, 2]",
        "contact.firstName contains \"a\"",
        "contact.firstName matches \"**\"",
        "contact.firstName = \"\"",
        "contact.firstName != \"\"",
      })
  void aComparisonWithAnEmptyValueIsFalse(String condition) {
    assertThat(holds(condition, new TestFacts())).isFalse();
  }

  @Test
  void emptinessIsTestedWithIsEmpty() {
    assertThat(holds("contact.firstName is empty", new TestFacts())).isTrue();
    assertThat(holds("contact.firstName is empty", new TestFacts().field("firstName", ""))).isTrue();
    assertThat(holds("contact.firstName is not empty", new TestFacts().field("firstName", "Jean")))
        .isTrue();
  }

  @Test
  void theEmptyTextIsAValueForComparisons() {
    TestFacts noTier = new TestFacts().field("tier", "");

    assertThat(holds("contact.tier = \"\"", noTier)).isTrue();
    assertThat(holds("contact.tier != \"\"", new TestFacts().field("tier", "Gold"))).isTrue();
    assertThat(holds("contact.tier is empty", noTier)).isTrue();
  }

  @Test
  void divisionByZeroMakesTheComparisonFalse() {
    TestFacts facts = new TestFacts().field("score", 10).field("attributes.budget", 0);

    assertThat(holds("contact.score / contact.budget > 1", facts)).isFalse();
    assertThat(holds("contact.score / contact.budget <= 1", facts)).isFalse();
    assertThat(holds("contact.score / 4 = 2.5", facts)).isTrue();
  }

  @Test
  void stagesAreOrderedButDisqualifiedStandsOutside() {
    TestFacts mql = new TestFacts().field("stage", io.relais.dsl.ast.Stage.MQL);
    TestFacts out = new TestFacts().field("stage", io.relais.dsl.ast.Stage.DISQUALIFIED);

    assertThat(holds("contact.stage >= MQL and contact.stage < SQL", mql)).isTrue();
    assertThat(holds("contact.stage > LEAD", out)).isFalse();
    assertThat(holds("contact.stage < LEAD", out)).isFalse();
    assertThat(holds("contact.stage >= SUBSCRIBER", out)).isFalse();
    assertThat(holds("contact.stage = DISQUALIFIED", out)).isTrue();
    assertThat(holds("contact.stage != CUSTOMER", out)).isTrue();
  }

  @Test
  void containsIgnoresCaseButEqualityDoesNot() {
    TestFacts facts = new TestFacts().field("company", "Acme AUTO Lyon");

    assertThat(holds("contact.company contains \"auto\"", facts)).isTrue();
    assertThat(holds("contact.company = \"acme auto lyon\"", facts)).isFalse();
  }

  @Test
  void eventAttributesNeedTheTriggeringEventOfThatType() {
    TestFacts visit =
        new TestFacts().event("page_visit", "2026-11-22T09:59:00Z", Map.of("url", "/financing/leasing/offers"));

    assertThat(holds("event is page_visit and event.url matches \"/financing/leasing/**\"", visit))
        .isTrue();
    assertThat(holds("event is page_visit", new TestFacts())).isFalse();
    assertThat(holds("event is email_open", visit)).isFalse();
  }

  @Test
  void historyCountsWithinAWindowAndAWhereClause() {
    TestFacts facts =
        new TestFacts()
            .event("page_visit", "2026-11-22T09:00:00Z", Map.of("url", "/leasing/a"))
            .past("page_visit", "2026-11-20T09:00:00Z", Map.of("url", "/leasing/b"))
            .past("page_visit", "2026-11-10T09:00:00Z", Map.of("url", "/leasing/c"))
            .past("page_visit", "2026-11-21T09:00:00Z", Map.of("url", "/pricing"))
            .past("purchase", "2026-06-01T09:00:00Z", Map.of("amount", 600, "currency", "EUR"))
            .past("purchase", "2025-06-01T09:00:00Z", Map.of("amount", 900, "currency", "EUR"))
            .past("purchase", "2026-10-01T09:00:00Z", Map.of("amount", 500, "currency", "USD"));

    assertThat(holds("count(page_visit where url matches \"/leasing/**\" within 7 days) = 2", facts))
        .isTrue();
    assertThat(holds("count(page_visit) = 4", facts)).isTrue();
    assertThat(holds("sum(purchase.amount within 365 days) = 1100", facts)).isTrue();
    assertThat(holds("sum(purchase.amount where currency = \"EUR\") = 1500", facts)).isTrue();
    assertThat(holds("count(email_open) = 0", facts)).isTrue();
  }

  @Test
  void daysSinceCountsWholeDaysInTheRulesetsZone() {
    TestFacts facts = new TestFacts().past("purchase", "2026-11-19T11:00:00Z", Map.of());
    facts.now = Instant.parse("2026-11-22T10:00:00Z");

    // 2 days and 23 hours: two whole days.
    assertThat(holds("days since last purchase = 2", facts)).isTrue();
    assertThat(holds("days since last page_visit is empty", facts)).isTrue();
    assertThat(holds("days since last page_visit > 0", facts)).isFalse();
  }

  @Test
  void daysSinceFollowsTheZonesClockAcrossADaylightSavingChange() {
    // Paris moves to summer time on 2026-03-29: from 00:30 to 00:30 the next day is one day
    // on the wall clock, though only 23 real hours.
    TestFacts facts = new TestFacts().past("purchase", "2026-03-28T23:30:00Z", Map.of());
    facts.zone = ZoneId.of("Europe/Paris");
    facts.now = Instant.parse("2026-03-29T22:30:00Z");

    assertThat(holds("days since last purchase = 1", facts)).isTrue();
  }

  @Test
  void userTextIsOnlyEverData() {
    String name = "\\\") then System.exit(1); end rule \\\"x";
    TestFacts facts = new TestFacts().field("firstName", "\") then System.exit(1); end rule \"x");

    assertThat(holds("contact.firstName = \"" + name + "\"", facts)).isTrue();
    assertThat(holds("contact.firstName matches \"*System.exit(1)*\"", facts)).isTrue();
  }

  @Test
  void valuesFromJsonNumbersCompareAsDecimals() {
    TestFacts facts = new TestFacts().field("attributes.budget", 12.5d);

    assertThat(holds("contact.budget = 12.50", facts)).isTrue();
    assertThat(Values.normalize(7L)).isEqualTo(BigDecimal.valueOf(7));
  }
}
