package io.relais.bench;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.source.Source;
import io.relais.engine.evaluation.CompiledRuleset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Rule text of 1,000 rules to a ready KieBase: parse, check, compile, once warm. */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileBenchmark {

  List<Source> sources;

  @Setup
  public void setUp() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      text.append(DecisionBenchmark.rules().replace("\"Section ", "\"Section " + i + "-")
          .replace("\"Visits ", "\"Visits " + i + "-").replace("\"Qualify ", "\"Qualify " + i + "-")
          .replace("\"Nurture ", "\"Nurture " + i + "-").replace("\"Loyalty ", "\"Loyalty " + i + "-")
          .replace("\"Alert ", "\"Alert " + i + "-")
          .replace("timezone \"Europe/Paris\"\ndefault owner \"sales@acme.fr\"\n", i == 0
              ? "timezone \"Europe/Paris\"\ndefault owner \"sales@acme.fr\"\n" : ""));
    }
    sources = List.of(new Source("thousand.rules", text.toString()));
  }

  @Benchmark
  public CompiledRuleset checkAndCompileThousandRules() {
    CheckResult checked = RuleLanguage.check("thousand", sources);
    return CompiledRuleset.compile(checked.ruleset().orElseThrow(
        () -> new IllegalStateException(checked.diagnostics().toString())), 1);
  }
}
