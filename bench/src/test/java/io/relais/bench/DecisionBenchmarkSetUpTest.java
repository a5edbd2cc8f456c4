package io.relais.bench;

import static org.assertj.core.api.Assertions.assertThatCode;

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
    assertThatCode(() -> benchmark.setUp(true)).doesNotThrowAnyException();
  }

  @Test
  void theThousandRulePlainJavaBaselineMakesRelaisDecisionsFieldByField() {
    DecisionBenchmark benchmark = new DecisionBenchmark();
    benchmark.rules = 1000;
    assertThatCode(() -> benchmark.setUp(false)).doesNotThrowAnyException();
  }
}
