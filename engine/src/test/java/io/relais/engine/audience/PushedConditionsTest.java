package io.relais.engine.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relais.engine.testing.SampleRulesets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cache of pushed-down conditions: bounded, and never stale across ruleset versions. */
class PushedConditionsTest {

  private static Map<String, String> rules(int threshold) {
    return Map.of("r.rules", "define HOT = " + threshold + "\n");
  }

  @Test
  void theSameConditionOfTheSameVersionIsCheckedOnce() {
    PushedConditions cache = new PushedConditions(10);
    Map<String, String> files = rules(50);
    var first = cache.plan("r", 1, files, "contact.score >= HOT");
    assertThat(cache.plan("r", 1, files, "contact.score >= HOT")).isSameAs(first);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void holdsNoMoreThanItsBoundDroppingTheLeastRecentlyUsed() {
    PushedConditions cache = new PushedConditions(3);
    Map<String, String> files = rules(50);
    var kept = cache.plan("r", 1, files, "contact.score > 0");
    for (int i = 1; i <= 20; i++) {
      cache.plan("r", 1, files, "contact.score > " + i);
      assertThat(cache.plan("r", 1, files, "contact.score > 0")).isSameAs(kept); // used: stays
      assertThat(cache.size()).isLessThanOrEqualTo(3);
    }
    assertThat(cache.size()).isEqualTo(3);
  }

  @Test
  void aNewVersionOfTheRulesetDoesNotReuseTheOldQuery() {
    PushedConditions cache = new PushedConditions(10);
    String v1 = cache.plan("r", 1, rules(50), "contact.score >= HOT").toString();
    String v2 = cache.plan("r", 2, rules(80), "contact.score >= HOT").toString();
    assertThat(v1).contains("50").doesNotContain("80");
    assertThat(v2).contains("80").doesNotContain("50");
    assertThat(cache.plan("r", 1, rules(50), "contact.score >= HOT").toString()).isEqualTo(v1);
  }

  @Test
  void theSameVersionNumberWithOtherFilesIsCheckedAgain() {
    PushedConditions cache = new PushedConditions(10);
    cache.plan("r", 1, rules(50), "contact.score >= HOT");
    // A ruleset deleted and created again numbers its versions from 1 again.
    assertThat(cache.plan("r", 1, rules(80), "contact.score >= HOT").toString()).contains("80").doesNotContain("50");
  }

  @Test
  void aRefusedConditionIsNotKept() {
    PushedConditions cache = new PushedConditions(10);
    assertThatThrownBy(() -> cache.plan("r", 1, rules(50), "count(page_visit) > 1"))
        .isInstanceOf(RuntimeException.class);
    assertThat(cache.size()).isZero();
  }

  /** Rulesets with a DMN file take conditions too: their tables are checked with the condition. */
  @Test
  void everySampleRulesetTakesAConditionDmnFilesOrNot() {
    Map<String, Map<String, String>> samples = SampleRulesets.all();
    assertThat(samples).hasSizeGreaterThanOrEqualTo(4);
    assertThat(samples.get("acme-auto")).containsKey("url-matrix.dmn");
    PushedConditions cache = new PushedConditions(10);
    samples.forEach((name, files) -> assertThat(
        cache.plan(name, 1, files, "contact.score >= 50 and contact.stage >= MQL").toString())
        .as(name).contains("score").contains("stage"));
  }

  @Test
  void aConditionThatReadsADecisionCannotRunInTheStore() {
    Map<String, String> acme = SampleRulesets.all().get("acme-auto");

    assertThatThrownBy(() -> new PushedConditions(10).plan("acme-auto", 1, acme,
        "decision \"Interest\" of \"URL matrix\" = \"SUV\""))
        .isInstanceOf(NotPushableException.class)
        .hasMessageContaining("it reads a decision table");
  }
}
