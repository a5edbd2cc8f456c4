package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Each failure found by trying the engine as a new user would: a ruleset is either
 * refused by the checker with a diagnostic, or it compiles and evaluates.
 */
class ValidMeansRunsTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private static CheckResult check(String text) {
    return RuleLanguage.check("test", List.of(new Source("test.rules", text)));
  }

  private static Evaluation evaluate(String text, Event event) {
    CheckResult checked = check(text);
    assertThat(checked.errors()).extracting(Diagnostic::render).isEmpty();
    CompiledRuleset rules = CompiledRuleset.compile(checked.ruleset().orElseThrow(), 1);
    Contact contact = Contact.withId("c-1");
    return rules.evaluate(contact, Optional.ofNullable(event), List.of(), NOW);
  }

  private static String scoring(String condition) {
    return "scoring \"r\"\nwhen " + condition + "\nthen add 1 to score\nend\n";
  }

  private static boolean fired(Evaluation e) {
    return e.trace().get(0).fired();
  }

  @Test
  void twentyThousandAndTermsRun() {
    String condition = IntStream.range(0, 20_000).mapToObj(i -> "contact.score >= 0")
        .collect(Collectors.joining(" and "));
    assertThat(fired(evaluate(scoring(condition), null))).isTrue();
    assertThat(fired(evaluate(scoring(condition + " and has tag \"X\""), null))).isFalse();
  }

  @Test
  void twentyThousandOrTermsRun() {
    String condition = IntStream.range(0, 20_000).mapToObj(i -> "has tag \"T" + i + "\"")
        .collect(Collectors.joining(" or "));
    assertThat(fired(evaluate(scoring(condition + " or contact.score >= 0"), null))).isTrue();
    assertThat(fired(evaluate(scoring(condition + " or contact.score < 0"), null))).isFalse();
  }

  @Test
  void twoThousandChainedPlusAreRefusedWithTheBudgetDiagnostic() {
    String sum = IntStream.range(0, 2_000).mapToObj(i -> "1").collect(Collectors.joining(" + "));
    CheckResult checked = check(scoring(sum + " = 2000"));
    assertThat(checked.errors()).extracting(Diagnostic::code).containsExactly("nested-too-deeply");
  }

  @Test
  void ninetyChainedPlusRunAndManyShortChainsToo() {
    String sum = IntStream.range(0, 90).mapToObj(i -> "1").collect(Collectors.joining(" + "));
    assertThat(fired(evaluate(scoring("(" + sum + ") * 2 = 180"), null))).isTrue();
    String many = IntStream.range(0, 2_000).mapToObj(i -> "contact.score + 1 + 1 >= 0")
        .collect(Collectors.joining(" or "));
    assertThat(fired(evaluate(scoring(many + " or true"), null))).isTrue();
  }

  @Test
  void deeplyNestedParenthesesAreRefusedWithTheBudgetDiagnostic() {
    String nested = "(".repeat(5_000) + "contact.score > 1" + ")".repeat(5_000);
    CheckResult checked = check(scoring(nested));
    assertThat(checked.errors()).extracting(Diagnostic::code).containsExactly("nested-too-deeply");
    assertThat(checked.ruleset()).isEmpty();
  }

  @Test
  void longNotChainsAreRefusedWithTheBudgetDiagnostic() {
    CheckResult checked = check(scoring("not ".repeat(5_000) + "contact.score > 1"));
    assertThat(checked.errors()).extracting(Diagnostic::code).containsExactly("nested-too-deeply");
  }

  @Test
  void hugeDurationsAreRefusedWithTheirDiagnostic() {
    assertThat(check("""
        alert "a"
        then notify "x@acme.fr" with "hi" at most once per 999999999999999 weeks
        end
        """).errors()).extracting(Diagnostic::code).containsExactly("duration-too-long");
    assertThat(check(scoring("count(page_visit within 9223372036854775807 weeks) >= 1"))
        .errors()).extracting(Diagnostic::code).containsExactly("duration-too-long");
    assertThat(check("""
        loyalty "l"
        then award 10 points expiring in 5219 weeks
        end
        """).errors()).extracting(Diagnostic::code).containsExactly("duration-too-long");
  }

  @Test
  void theLongestDurationsRun() {
    Event visit = new Event("e-1", "page_visit", NOW, Map.of("url", "/a"));
    Evaluation e = evaluate("""
        scoring "s"
        when count(page_visit within 36525 days) >= 1
        then add 1 to score
        end
        loyalty "l"
        then award 10 points expiring in 5217 weeks
        end
        alert "a"
        then notify "x@acme.fr" with "hi" at most once per 876600 hours
        end
        """, visit);
    assertThat(e.warnings()).isEmpty();
    assertThat(e.decisions()).extracting(d -> d.json().get("type"))
        .containsExactly("SCORE", "POINTS", "ALERT");
  }

  @Test
  void aGlobOfTenThousandStarsRuns() {
    Event visit = new Event("e-1", "page_visit", NOW, Map.of("url", "a".repeat(10_000)));
    String glob = "*a".repeat(10_000);
    assertThat(fired(evaluate(
        scoring("event is page_visit and event.url matches \"" + glob + "\""), visit))).isTrue();
  }

  @Test
  void aPathologicalGlobIsQuick() {
    Event visit = new Event("e-1", "page_visit", NOW, Map.of("url", "a".repeat(40)));
    assertThat(fired(evaluate(scoring(
        "event is page_visit and event.url matches \"**a**a**a**a**a**a**a**a**a**a**b\""),
        visit))).isFalse();
  }
}
