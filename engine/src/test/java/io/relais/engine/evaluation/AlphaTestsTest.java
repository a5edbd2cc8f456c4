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
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The network's own equality and presence tests change nothing an evaluation says: generated
 * rulesets (the PipelineFuzzTest generator, random and wrongly typed data) evaluate to the same
 * decisions, state, warnings in order and trace entries with them as with every test in the
 * rules' own functions.
 */
class AlphaTestsTest {

  private static final long SEED = 20261206L;
  private static final int RULESETS = 1_500;
  private static final int EVALUATIONS_PER_RULESET = 3;
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void theNetworksTestsDecideWhatTheRulesOwnFunctionsDecide() {
    Random random = new Random(SEED);
    int withTests = 0;
    int evaluations = 0;
    String firstDifference = null;
    for (int i = 0; i < RULESETS && firstDifference == null; i++) {
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
      CompiledRuleset network = CompiledRuleset.compile(ruleset, 1);
      if (network.rules().stream().allMatch(r -> r.alphaTests().isEmpty())) {
        continue;
      }
      withTests++;
      CompiledRuleset own = CompiledRuleset.compileWithoutNetworkTests(ruleset, 1);
      for (int j = 0; j < EVALUATIONS_PER_RULESET; j++) {
        PipelineFuzzTest.DataGenerator data = new PipelineFuzzTest.DataGenerator(random);
        Contact contact = data.contact();
        Optional<Event> event = data.event();
        List<Event> history = data.history();
        evaluations++;
        String difference = PhaseGroupsTest.difference(own.evaluate(contact, event, history, NOW),
            network.evaluate(contact, event, history, NOW));
        if (difference != null) {
          firstDifference = difference + "\nfor " + contact + " / " + event + ":\n" + text;
        }
      }
    }
    System.out.printf("network tests: %d rulesets with some, %d evaluations compared%n",
        withTests, evaluations);
    assertThat(firstDifference).isNull();
    assertThat(withTests).as("rulesets whose rules have network tests").isGreaterThan(RULESETS / 10);
  }
}
