package io.relais.dsl.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.ast.RuleKind;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class GeneratedRulesetTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard, not a performance assertion
  void aThousandRuleRulesetOfEveryKindChecksClean() {
    var result = RuleLanguage.check("generated", GeneratedRuleset.generate(1000));
    assertThat(result.diagnostics()).isEmpty();
    var ruleset = result.ruleset().orElseThrow();
    assertThat(ruleset.rules()).hasSize(1000);
    assertThat(ruleset.rules()).extracting(CheckedRuleset.Rule::kind)
        .contains(RuleKind.values());
    assertThat(ruleset.campaigns()).hasSize(GeneratedRuleset.CAMPAIGNS);
  }
}
