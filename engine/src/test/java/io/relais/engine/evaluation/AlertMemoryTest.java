package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code at most once per} remembers per rule name and contact, as the contact's {@code alerts}
 * is documented (rule name to the time of its last alert): a new version of the ruleset keeps
 * throttling what the previous one sent, and rulesets that name an alert alike share its memory.
 */
class AlertMemoryTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final String BACK = """
      alert "Back"
      when event is page_visit
      then notify "sales@acme.fr" via slack with "back" at most once per 1 day
      end
      """;

  private static CompiledRuleset compile(String name, String text) {
    CheckResult checked = RuleLanguage.check(name, List.of(new Source(name + ".rules", text)));
    assertThat(checked.errors()).extracting(Diagnostic::render).isEmpty();
    return CompiledRuleset.compile(checked.ruleset().orElseThrow(), 1);
  }

  private static Evaluation visit(CompiledRuleset rules, Contact contact, Instant at) {
    return rules.evaluate(contact, Optional.of(new Event("e-" + at, "page_visit", at, Map.of())), List.of(), at);
  }

  private static String outcome(Evaluation evaluation) {
    Decision decision = evaluation.decisions().get(0);
    return decision.type() + (decision.type() == Decision.Type.SUPPRESSED ? " " + decision.field("reason") : "");
  }

  @Test
  void aNewVersionOfTheRulesetKeepsThrottlingWhatTheOldOneSent() {
    CompiledRuleset v1 = compile("shop", BACK);
    CompiledRuleset v2 = CompiledRuleset.compile(
        RuleLanguage.check("shop", List.of(new Source("shop.rules", BACK))).ruleset().orElseThrow(), 2);

    Contact afterV1 = visit(v1, Contact.withId("c"), NOW).resultingContact();

    assertThat(afterV1.alerts()).containsOnlyKeys("Back").containsEntry("Back", NOW);
    assertThat(outcome(visit(v2, afterV1, NOW.plus(Duration.ofHours(23))))).isEqualTo("SUPPRESSED throttled");
    Evaluation later = visit(v2, afterV1, NOW.plus(Duration.ofHours(24)));
    assertThat(outcome(later)).isEqualTo("ALERT");
    assertThat(later.resultingContact().alerts()).containsOnlyKeys("Back")
        .containsEntry("Back", NOW.plus(Duration.ofHours(24)));
  }

  @Test
  void rulesetsThatNameAnAlertAlikeShareItsMemory() {
    CompiledRuleset shop = compile("shop", BACK);
    CompiledRuleset leads = compile("leads", BACK);

    Contact afterShop = visit(shop, Contact.withId("c"), NOW).resultingContact();

    assertThat(outcome(visit(leads, afterShop, NOW.plusSeconds(60)))).isEqualTo("SUPPRESSED throttled");
  }
}
