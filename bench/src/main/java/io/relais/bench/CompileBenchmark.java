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
    sources = thousandRules(1);
  }

  /**
   * The benchmark ruleset twenty times over (1,000 rules, renamed apart), in {@code files}
   * files (1 or a divisor of 20) named {@code thousand-NN.rules}.
   */
  static List<Source> thousandRules(int files) {
    if (files < 1 || 20 % files != 0) {
      throw new IllegalArgumentException("1,000 rules go in 1 to 20 files, a divisor of 20: " + files);
    }
    List<Source> sources = new java.util.ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      text.append(Workload.rules(Workload.BUCKET).replace("\"Section ", "\"Section " + i + "-")
          .replace("\"Visits ", "\"Visits " + i + "-").replace("\"Qualify ", "\"Qualify " + i + "-")
          .replace("\"Nurture ", "\"Nurture " + i + "-").replace("\"Loyalty ", "\"Loyalty " + i + "-")
          .replace("\"Alert ", "\"Alert " + i + "-")
          .replace("timezone \"Europe/Paris\"\ndefault owner \"sales@acme.fr\"\n", i == 0
              ? "timezone \"Europe/Paris\"\ndefault owner \"sales@acme.fr\"\n" : ""));
      if ((i + 1) % (20 / files) == 0) {
        sources.add(new Source(String.format("thousand-%02d.rules", sources.size() + 1), text.toString()));
        text.setLength(0);
      }
    }
    return sources;
  }

  @Benchmark
  public CompiledRuleset checkAndCompileThousandRules() {
    CheckResult checked = RuleLanguage.check("thousand", sources);
    return CompiledRuleset.compile(checked.ruleset().orElseThrow(
        () -> new IllegalStateException(checked.diagnostics().toString())), 1);
  }
}
