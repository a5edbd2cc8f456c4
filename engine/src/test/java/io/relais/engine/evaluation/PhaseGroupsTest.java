package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.fuzz.PipelineFuzzTest;
import io.relais.engine.fuzz.RulesetGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Phases that share a Drools cycle (PhaseGroups) decide exactly what they decide in cycles of
 * their own: the same decisions in the same order, the same resulting state, the same
 * warnings in the same order and the same trace, for thousands of generated rulesets on random
 * and wrongly typed data. The comparison is shown to catch a grouping that ignores what rules
 * read and write.
 */
class PhaseGroupsTest {

  private static final long SEED = 20261129L;
  private static final int RULESETS = 3_000;
  private static final int EVALUATIONS_PER_RULESET = 3;
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  /** What the comparison saw, so that the property is known to have tested something. */
  private static final class Tally {
    int compared;
    int grouped;
    int groupedEvaluations;
    int groupedWithWarnings;
    int groupedWithDecisions;
    int differing;
    String firstDifference;
  }

  @Test
  void phasesSharingACycleDecideWhatTheyDecideApart() {
    Tally tally = compareOnGeneratedRulesets(Rulesets.ANALYZED, RULESETS);
    System.out.printf("phase groups: %d rulesets compared, %d with rules of two phases in one"
        + " cycle (%d evaluations, %d with warnings from rules, %d with decisions)%n",
        tally.compared, tally.grouped, tally.groupedEvaluations, tally.groupedWithWarnings,
        tally.groupedWithDecisions);
    assertThat(tally.firstDifference).isNull();
    // The property says something only if shared cycles were met, with decisions and warnings.
    assertThat(tally.grouped).isGreaterThan(RULESETS / 10);
    assertThat(tally.groupedWithDecisions).isGreaterThan(RULESETS / 10);
    assertThat(tally.groupedWithWarnings).isGreaterThan(RULESETS / 20);
  }

  @Test
  void theComparisonCatchesAGroupingThatIgnoresWhatRulesReadAndWrite() {
    // The same generated rulesets with every phase in one cycle, whatever they read: the
    // comparison must find evaluations that differ (else it could not catch a wrong analysis).
    Tally tally = compareOnGeneratedRulesets(Rulesets.UNCHECKED, RULESETS / 3);
    System.out.printf("phase groups, all in one cycle: %d of %d rulesets differ%n",
        tally.differing, tally.compared);
    assertThat(tally.differing).isGreaterThan(10);
  }

  @Test
  void aQualifyRuleReadingATagThatSegmentWritesHasACycleOfItsOwn() {
    String text = """
        segment "Visitor"
        when event is page_visit
        then tag "SEEN"
        end

        scoring "Visits"
        when count(page_visit within 30 days) >= 1
        then add 5 to score
        end

        qualify "Seen"
        when has tag "SEEN"
        then advance stage to MQL
        end
        """;
    CompiledRuleset analyzed = Rulesets.compile(text);
    // Scoring reads only the history: it shares segment's cycle. Qualify reads the tag.
    assertThat(analyzed.groups()).hasToString("[1, 1, 3, 3, 3, 3]");
    Optional<Event> visit = Optional.of(new Event("e", "page_visit", NOW, Map.of()));
    Evaluation apart = Rulesets.compile(text, Rulesets.SEPARATE)
        .evaluate(Contact.withId("c"), visit, List.of(), NOW);
    Evaluation grouped = analyzed.evaluate(Contact.withId("c"), visit, List.of(), NOW);
    Evaluation wrong = Rulesets.compile(text, Rulesets.UNCHECKED)
        .evaluate(Contact.withId("c"), visit, List.of(), NOW);
    assertThat(apart.decisions()).extracting(Decision::rule)
        .containsExactly("Visitor", "Visits", "Seen");
    assertThat(difference(apart, grouped)).isNull();
    // In one cycle, qualify would see the contact before segment tagged it.
    assertThat(wrong.decisions()).extracting(Decision::rule).containsExactly("Visitor", "Visits");
    assertThat(difference(apart, wrong)).isNotNull();
  }

  @Test
  void whatEachPhaseReadsAndWritesKeepsItApart() {
    // Stage written by qualify, read by alert; the ledger written by loyalty's award and by
    // expiry, read through contact.points; the tier recomputed after loyalty; a decision table
    // reads everything.
    assertThat(groups("""
        qualify "Q" when contact.score > 1 then advance stage to MQL end
        alert "A" when contact.stage >= MQL then notify "a@b.fr" with "x" end
        """)).isEqualTo("[1, 1, 1, 1, 1, 6]");
    assertThat(groups("""
        loyalty "L" when event is purchase then award 10 points end
        alert "A" when contact.points > 5 then notify "a@b.fr" with "x" end
        """)).isEqualTo("[1, 1, 1, 1, 1, 6]");
    assertThat(groups("""
        tier "Gold" from 100 points
        alert "A" when contact.tier = "Gold" then notify "a@b.fr" with "x" end
        """)).isEqualTo("[1, 1, 1, 1, 1, 6]");
    assertThat(groups("""
        segment "S" when contact.country = "FR" then add to segment "FR" end
        scoring "P" when in segment "FR" then add 1 to score end
        nurture "N" when contact.score > 3 then send "hello" end
        """)).isEqualTo("[1, 2, 2, 4, 4, 4]");
    assertThat(groups("""
        scoring "P" when contact.country = "FR" then add 1 to score end
        loyalty "L" when sum(purchase.amount within 365 days) > 10 then award 1 points end
        """)).isEqualTo("[1, 1, 1, 1, 1, 1]");
  }

  @Test
  void valuesOfTheWrongTypeThatConditionsMeetAreListedInRuleOrder() throws Exception {
    // The network reaches the guarded rules through their event-type node, which the first
    // rule created, before the unguarded one: Drools evaluates "Renewal" before "Budget".
    // The warnings follow the rules' order, whatever the network's.
    CompiledRuleset rules = Rulesets.compile("""
        attribute contact.renewal : date
        attribute contact.budget : number

        scoring "Visit"
        when event is page_visit and contact.score >= 0
        then add 1 to score
        end

        scoring "Budget"
        when contact.budget > 1000
        then add 10 to score
        end

        scoring "Renewal"
        when event is page_visit and contact.renewal < 2026-12-31
        then add 100 to score
        end
        """);
    Contact contact = new com.fasterxml.jackson.databind.ObjectMapper().readValue("""
        {"id": "c-1", "attributes": {"renewal": "next year", "budget": true}}
        """, Contact.class);
    Evaluation e = rules.evaluate(contact,
        Optional.of(new Event("e", "page_visit", NOW, Map.of())), List.of(), NOW);
    assertThat(e.warnings()).containsExactly(
        "contact.budget is true, not a number: read as empty",
        "contact.renewal is \"next year\", not a date (2026-11-27): read as empty");
  }

  @Test
  void aValueTheFirstPhaseOfAGroupReadsInItsActionsIsReadThereWithItsWarnings()
      throws Exception {
    // Loyalty's condition computes sum(purchase.amount) during the group's cycle; scoring's
    // action reads it afterwards on its own snapshot, and must meet the wrong-typed amount
    // there, before qualify's warning, as it does with one cycle per phase.
    String text = """
        attribute contact.budget : number

        segment "Buyer"
        when event is purchase
        then tag "P"
        end

        scoring "Spend"
        when has tag "P"
        then add sum(purchase.amount) to score
        end

        qualify "Budget"
        when contact.budget > 1
        then disqualify
        end

        loyalty "Big spender"
        when sum(purchase.amount) > 5
        then award 1 points
        end
        """;
    CompiledRuleset grouped = Rulesets.compile(text);
    assertThat(grouped.groups()).hasToString("[1, 2, 2, 2, 2, 2]");
    Contact contact = new com.fasterxml.jackson.databind.ObjectMapper().readValue("""
        {"id": "c-1", "attributes": {"budget": true}}
        """, Contact.class);
    Optional<Event> purchase =
        Optional.of(new Event("e", "purchase", NOW, Map.of("amount", "x")));
    Evaluation apart = Rulesets.compile(text, Rulesets.SEPARATE)
        .evaluate(contact, purchase, List.of(), NOW);
    assertThat(apart.warnings()).containsSubsequence(
        "purchase.amount is \"x\", not a number: read as empty",
        "contact.budget is true, not a number: read as empty");
    assertThat(difference(apart, grouped.evaluate(contact, purchase, List.of(), NOW))).isNull();
  }

  private static String groups(String text) {
    return Rulesets.compile(text).groups().toString();
  }

  /** Evaluates generated rulesets compiled both ways and compares every evaluation. */
  private static Tally compareOnGeneratedRulesets(java.util.function.Function<io.relais.dsl.program.Program, PhaseGroups> grouping, int rulesets) {
    Random random = new Random(SEED);
    Tally tally = new Tally();
    for (int i = 0; i < rulesets; i++) {
      RulesetGenerator generator = new RulesetGenerator(random,
          i % 5 == 4 ? RulesetGenerator.Shape.MIXED : RulesetGenerator.Shape.SMALL);
      String text = generator.ruleset();
      List<Source> sources = generator.readsTable()
          ? List.of(new Source("fuzz.rules", text), PipelineFuzzTest.FIT_GRID)
          : List.of(new Source("fuzz.rules", text));
      CheckResult checked = RuleLanguage.check("fuzz", sources);
      if (checked.ruleset().isEmpty()) {
        continue;
      }
      CheckedRuleset ruleset = checked.ruleset().get();
      CompiledRuleset apart = CompiledRuleset.compile(ruleset, 1, Rulesets.SEPARATE);
      CompiledRuleset grouped = CompiledRuleset.compile(ruleset, 1, grouping);
      boolean shares = sharesACycle(grouped);
      tally.compared++;
      if (shares) {
        tally.grouped++;
      }
      for (int j = 0; j < EVALUATIONS_PER_RULESET; j++) {
        PipelineFuzzTest.DataGenerator data = new PipelineFuzzTest.DataGenerator(random);
        Contact contact = data.contact();
        Optional<Event> event = data.event();
        List<Event> history = data.history();
        Evaluation expected = apart.evaluate(contact, event, history, NOW);
        Evaluation actual = grouped.evaluate(contact, event, history, NOW);
        String difference = difference(expected, actual);
        if (difference != null) {
          tally.differing++;
          if (tally.firstDifference == null) {
            tally.firstDifference = "ruleset #" + i + " grouped " + grouped.groups() + ", "
                + difference + "\nfor " + contact + " / " + event + " / " + history + ":\n" + text;
          }
        }
        if (shares) {
          tally.groupedEvaluations++;
          if (expected.warnings().size() > contact.invalid().size()) {
            tally.groupedWithWarnings++;
          }
          if (!expected.decisions().isEmpty()) {
            tally.groupedWithDecisions++;
          }
        }
      }
    }
    return tally;
  }

  /** Whether the rules of two phases or more share one Drools cycle. */
  private static boolean sharesACycle(CompiledRuleset compiled) {
    return compiled.rules().stream().map(r -> compiled.groups().group(r.phase()) * 10 + r.phase())
        .distinct().map(groupAndPhase -> groupAndPhase / 10)
        .collect(java.util.stream.Collectors.groupingBy(g -> g, java.util.stream.Collectors.counting()))
        .values().stream().anyMatch(phases -> phases > 1);
  }

  /** What differs between two evaluations of one contact, or {@code null}: incident ids aside. */
  static String difference(Evaluation expected, Evaluation actual) {
    List<String> differences = new ArrayList<>();
    compare("decisions", expected.decisions().stream().map(d -> String.valueOf(d.json())).toList(),
        actual.decisions().stream().map(d -> String.valueOf(d.json())).toList(), differences);
    compare("state", expected.contact(), actual.contact(), differences);
    compare("resulting contact", expected.resultingContact(), actual.resultingContact(),
        differences);
    compare("warnings", expected.warnings().stream().map(PhaseGroupsTest::withoutIncident).toList(),
        actual.warnings().stream().map(PhaseGroupsTest::withoutIncident).toList(), differences);
    compare("trace", expected.trace().stream().map(PhaseGroupsTest::shown).toList(),
        actual.trace().stream().map(PhaseGroupsTest::shown).toList(), differences);
    return differences.isEmpty() ? null : String.join("\n", differences);
  }

  private static void compare(String what, Object expected, Object actual, List<String> out) {
    if (!expected.equals(actual)) {
      out.add(what + " differ:\n  apart:   " + expected + "\n  grouped: " + actual);
    }
  }

  private static String shown(Evaluation.TraceEntry entry) {
    return entry.rule() + " " + entry.fired() + " " + withoutIncident(entry.why());
  }

  // Failures name a random incident id: the same failure has another id in each evaluation.
  private static String withoutIncident(String text) {
    return text.replaceAll("incident [0-9a-f]{8}", "incident #");
  }
}
