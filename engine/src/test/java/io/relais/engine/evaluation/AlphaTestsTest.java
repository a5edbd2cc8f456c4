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

  @Test
  void globsAndTagCountsAreTestedByTheNetworkOnlyWhereTheyImplyIt() {
    StringBuilder text = new StringBuilder();
    String[] globs = {"/a/**", "/a*", "/a/b?c/**", "**", "/?x/**", "/a/", "a/b/**", "/a/b/*", "/"};
    for (int i = 0; i < globs.length; i++) {
      text.append("segment \"Glob ").append(i).append("\"\nwhen event is page_visit and event.url matches \"")
          .append(globs[i]).append("\"\nthen tag \"G").append(i).append("\"\nend\n");
    }
    String[] counts = {">= 0", "> 0", ">= 2", "= 1", "= 0", "< 1", "!= 0", "> -1"};
    for (int i = 0; i < counts.length; i++) {
      text.append("scoring \"Count ").append(i).append("\"\nwhen tag \"X\" ").append(counts[i])
          .append(" and contact.score >= 0\nthen add 1 to score\nend\n");
    }
    CheckResult checked = RuleLanguage.check("globs", List.of(new Source("globs.rules", text.toString())));
    CheckedRuleset ruleset = checked.ruleset().orElseThrow(() -> new AssertionError(checked.diagnostics()));
    CompiledRuleset network = CompiledRuleset.compile(ruleset, 1);
    CompiledRuleset own = CompiledRuleset.compileWithoutNetworkTests(ruleset, 1);
    assertThat(network.rules().stream().filter(r -> !r.alphaTests().isEmpty()).map(r -> r.ref().name()))
        .containsExactly("Glob 0", "Glob 2", "Glob 5", "Glob 7", "Count 1", "Count 2", "Count 3");
    String[] urls = {"/a/", "/a/x", "/a", "/ab/", "/a/bxc/d", "/b/a/", "a/b/c", "//", "/", "", "/é/x"};
    for (String url : urls) {
      for (int tags = 0; tags < 3; tags++) {
        Contact contact = Contact.fromJson(java.util.Map.of("id", "c", "score", 1,
            "tags", tags == 0 ? java.util.Map.of() : java.util.Map.of("X", tags)));
        Optional<Event> event = Optional.of(new Event("e", "page_visit", NOW, java.util.Map.of("url", url)));
        assertThat(PhaseGroupsTest.difference(own.evaluate(contact, event, List.of(), NOW),
            network.evaluate(contact, event, List.of(), NOW))).as(url + " with X " + tags).isNull();
      }
    }
  }
}
