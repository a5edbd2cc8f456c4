package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.contact.Contact;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An evaluation sizes its trace and notes from the evaluations before it, up to a cap: one
 * evaluation that ran many rules must not make every later one allocate as much.
 */
class SizingHintsTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final Contact CONTACT = Contact.fromJson(Map.of("id", "c", "score", 1));

  /** {@code n} scoring rules, each running its own function (two comparisons) and firing. */
  private static CompiledRuleset rules(int n) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      text.append("scoring \"R").append(i)
          .append("\"\nwhen contact.score >= 0 and contact.score < 1000\nthen add 1 to score\nend\n");
    }
    return Rulesets.compile(text.toString());
  }

  @Test
  void theHintsFollowWhatAnEvaluationRecorded() {
    CompiledRuleset rules = rules(20);
    assertThat(rules.evaluate(CONTACT, Optional.empty(), List.of(), NOW).decisions()).hasSize(20);
    int[] hints = rules.sizingHints();
    assertThat(hints[0]).isGreaterThanOrEqualTo(40).isLessThan(1_024);
    assertThat(hints[1]).isEqualTo(20);
  }

  @Test
  void theHintsStopAtTheCap() {
    CompiledRuleset rules = rules(1_500);
    assertThat(rules.evaluate(CONTACT, Optional.empty(), List.of(), NOW).decisions())
        .hasSize(1_500);
    assertThat(rules.sizingHints()).containsExactly(1_024, 1_024);
  }
}
