package io.relais.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine benchmark's set-up refuses to run when plain Java or the hand-written DRL stop
 * making Relais' decisions field by field. Running that set-up in the build keeps the
 * baselines in step with the language: a decision that gains a field (a message's channel)
 * fails here instead of on the next person who runs the benchmark.
 */
class DecisionBenchmarkSetUpTest {

  @Test
  void theFiftyRuleBaselinesMakeRelaisDecisionsFieldByField() {
    DecisionBenchmark benchmark = new DecisionBenchmark();
    benchmark.rules = 50;
    assertThatCode(() -> benchmark.setUp(true, false)).doesNotThrowAnyException();
  }

  /**
   * Drools' share alone fires, in each shape and on a reused session, the rules the evaluation
   * fired (and, built, ran as many rules' functions as it did): a figure of fewer rules reached
   * would flatter Drools.
   */
  @Test
  void droolsAloneReachesTheRulesTheEvaluationFiredInEveryShape() {
    DecisionBenchmark benchmark = new DecisionBenchmark();
    benchmark.rules = 50;
    benchmark.setUp(false, true);
    BitSet fired = new BitSet();
    List<String> names = benchmark.relais().firedRules();
    for (int i = 0; i < benchmark.ruleset.checked().program().rules().size(); i++) {
      if (names.contains(benchmark.ruleset.checked().program().rules().get(i).name())) {
        fired.set(i);
      }
    }
    assertThat(fired.cardinality()).isEqualTo(22);
    for (int round = 0; round < 2; round++) {
      assertThat(benchmark.droolsAlone()).isEqualTo(fired);
      assertThat(benchmark.droolsAloneDispatching()).isEqualTo(fired);
      assertThat(benchmark.droolsAloneInOneCycle()).isEqualTo(fired);
    }
  }

  @Test
  void theThousandRulePlainJavaBaselineMakesRelaisDecisionsFieldByField() {
    DecisionBenchmark benchmark = new DecisionBenchmark();
    benchmark.rules = 1000;
    assertThatCode(() -> benchmark.setUp(false, false)).doesNotThrowAnyException();
  }
}
