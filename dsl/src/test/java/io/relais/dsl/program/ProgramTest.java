package io.relais.dsl.program;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.ast.ValueType;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.format.Formatter;
import io.relais.dsl.source.Source;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the checker lowers a ruleset to: the program the engine compiles. */
class ProgramTest {

  private static Program program(String text) {
    CheckResult checked = RuleLanguage.check("t", List.of(new Source("t.rules", text)));
    assertThat(checked.errors()).extracting(Diagnostic::render).isEmpty();
    return checked.ruleset().orElseThrow().program();
  }

  private static Program.Rule only(String text) {
    List<Program.Rule> rules = program(text).rules();
    assertThat(rules).hasSize(1);
    return rules.get(0);
  }

  @Test
  void anAndChainIsOneNodeWithItsTermsInOrder() {
    Program.Rule rule = only("""
        segment "S"
        when
          contact.score > 1 and has tag "A" and in segment "B" or contact.country = "FR"
        then
          tag "X"
        end
        """);

    Cond.Any any = (Cond.Any) rule.when().orElseThrow();
    assertThat(any.terms()).hasSize(2);
    Cond.All all = (Cond.All) any.terms().get(0);
    assertThat(all.terms()).hasSize(3);
    assertThat(all.terms().get(1)).isEqualTo(new Cond.HasTag("A"));
    assertThat(all.terms().get(2)).isEqualTo(new Cond.InSegment("B"));
    assertThat(any.terms().get(1)).isInstanceOf(Cond.Compare.class);
  }

  @Test
  void fieldReadsAreResolvedToTheirJsonPathAndType() {
    Program.Rule rule = only("""
        attribute contact.budget : number
        event webinar { minutes: number }
        define HOT = 100
        segment "S"
        when
          event is webinar and event.minutes > HOT and contact.budget > contact.score
        then
          tag "X"
        end
        """);

    Cond.All all = (Cond.All) rule.when().orElseThrow();
    Cond.Compare minutes = (Cond.Compare) all.terms().get(1);
    assertThat(minutes.left()).isEqualTo(new Value.EventAttribute("minutes", ValueType.NUMBER));
    assertThat(minutes.right())
        .isEqualTo(new Value.Constant("HOT", new BigDecimal("100"), ValueType.NUMBER));
    assertThat(minutes.label()).isEqualTo("event.minutes");
    Cond.Compare budget = (Cond.Compare) all.terms().get(2);
    assertThat(budget.left()).isEqualTo(new Value.ContactField("attributes.budget", true,
        ValueType.NUMBER, "contact.budget"));
    assertThat(budget.right()).isEqualTo(new Value.ContactField("score", false,
        ValueType.NUMBER, "contact.score"));
    assertThat(rule.eventGuard()).contains("webinar");
  }

  @Test
  void aValueInAConditionsPlaceAndAConditionInAValuesPlaceAreExplicit() {
    Program.Rule rule = only("""
        define ON = true
        qualify "Q"
        when
          ON and (has tag "A") = true
        then
          set stage to MQL
        end
        """);

    Cond.All all = (Cond.All) rule.when().orElseThrow();
    assertThat(all.terms().get(0)).isEqualTo(
        new Cond.IsTrue(new Value.Constant("ON", true, ValueType.BOOLEAN), "ON"));
    Cond.Compare compare = (Cond.Compare) all.terms().get(1);
    assertThat(compare.left()).isEqualTo(new Value.Test(new Cond.HasTag("A")));
    assertThat(rule.operations()).containsExactly(
        new Operation.SetStage(Stage.MQL, Optional.empty()));
  }

  @Test
  void durationsAreCheckedPeriodsAndCampaignsAreLookedUp() {
    Program program = program("""
        campaign "welcome"
          step "hello" after 3 days
          exit when has tag "DONE"
        end
        nurture "N"
        when
          count(page_visit within 2 weeks) > 1
        then
          enroll in "welcome" because "active"
        end
        """);

    Program.Rule rule = program.rules().get(0);
    Cond.Compare compare = (Cond.Compare) rule.when().orElseThrow();
    Value.Count count = (Value.Count) compare.left();
    assertThat(count.within()).contains(new Period(Duration.ofDays(14)));
    assertThat(count.key()).isEqualTo("count(page_visit within 2 weeks)");
    assertThat(rule.operations()).containsExactly(new Operation.Enroll("welcome",
        List.of(new Operation.PlannedStep("hello", new Period(Duration.ofDays(3)))),
        Optional.of("active")));
    assertThat(program.exits()).singleElement().satisfies(exit -> {
      assertThat(exit.campaign()).isEqualTo("welcome");
      assertThat(exit.condition()).isEqualTo(new Cond.HasTag("DONE"));
    });
  }

  @Test
  void eachConditionAndValueKnowsTheSyntaxItCameFrom() {
    Program program = program("""
        segment "S"
        when
          contact.score > 1 and
            (has tag "A") = true
        then
          tag "X" by 2 * tag "A"
        end
        """);
    Program.Rule rule = program.rules().get(0);
    Origins origins = program.origins();

    Cond.All all = (Cond.All) rule.when().orElseThrow();
    assertThat(origins.of(all).map(Formatter::expr))
        .contains("contact.score > 1 and (has tag \"A\") = true");
    Cond.Compare test = (Cond.Compare) all.terms().get(1);
    assertThat(origins.of(test.left()).map(e -> e.span().position())).contains("t.rules:4:6");
    assertThat(origins.of(test.left()).map(Formatter::expr)).contains("has tag \"A\"");
    Value by = ((Operation.Tag) rule.operations().get(0)).by().orElseThrow();
    assertThat(origins.of(by).map(Formatter::expr)).contains("2 * tag \"A\"");
    // Two equal nodes in two places are two entries: identity, not equality.
    assertThat(origins.of(new Cond.HasTag("A"))).isEmpty();
  }

  @Test
  void eachValueReachesEveryPlaceAValueStands() throws Exception {
    Program program = program("""
        event webinar { minutes: number }
        campaign "c"
          step "s" after 1 day
          exit when contact.country = "FR"
        end
        nurture "N"
        when
          count(webinar where minutes > 5) * 2 > 3 and (has tag "A" and event is webinar) = true
        then
          enroll in "c"
        end
        loyalty "L"
        then
          award sum(purchase.amount within 3 days) points
          send "Hi {{contact.firstName}}"
        end
        """);
    List<String> seen = new ArrayList<>();
    program.eachValue(v -> seen.add(v.getClass().getSimpleName()
        + program.origins().of(v).map(e -> " " + Formatter.expr(e)).orElse("")));

    assertThat(seen).containsExactly(
        "Arithmetic count(webinar where minutes > 5) * 2",
        "Count count(webinar where minutes > 5)",
        "CountedAttribute minutes",
        "Literal 5",
        "Literal 2",
        "Literal 3",
        "Test has tag \"A\" and event is webinar",
        "Literal true",
        "Sum sum(purchase.amount within 3 days)",
        "ContactField",
        "ContactField contact.country",
        "Literal \"FR\"");
  }

  @Test
  void aChainOfAnyLengthLowersWithoutRecursion() {
    StringBuilder chain = new StringBuilder("contact.score > 0");
    for (int i = 1; i < 20_000; i++) {
      chain.append(i % 2 == 0 ? " and " : " and ").append("contact.score > ").append(i);
    }
    Program.Rule rule = only("segment \"S\"\nwhen\n  " + chain + "\nthen\n  tag \"X\"\nend\n");

    assertThat(((Cond.All) rule.when().orElseThrow()).terms()).hasSize(20_000);
  }

  @Test
  void aPeriodNeverOverflowsAnInstant() {
    Period century = new Period(Duration.ofDays(36_525));

    assertThat(century.before(java.time.Instant.MIN.plusSeconds(1))).isEqualTo(java.time.Instant.MIN);
    assertThat(century.after(java.time.Instant.MAX.minusSeconds(1))).isEqualTo(java.time.Instant.MAX);
    assertThat(century.after(java.time.Instant.EPOCH))
        .isEqualTo(java.time.Instant.EPOCH.plus(Duration.ofDays(36_525)));
  }

  @Test
  void aPeriodIsBetweenZeroAndTheLongestDuration() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Period(Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Period(Duration.ofDays(36_526)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
