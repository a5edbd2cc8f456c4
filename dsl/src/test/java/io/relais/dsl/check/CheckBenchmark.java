package io.relais.dsl.check;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.ast.RuleFile;
import io.relais.dsl.parser.RulesParser;
import io.relais.dsl.source.Source;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prints how long parsing and checking a generated 1,000-rule ruleset takes, over warm-up
 * and measured rounds. Figures are printed, never asserted. Run from the module directory:
 * {@code java -cp target/classes:target/test-classes:<antlr runtime> io.relais.dsl.check.CheckBenchmark [rules] [rounds]}.
 */
public final class CheckBenchmark {

  private CheckBenchmark() {}

  public static void main(String[] args) {
    int rules = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<Source> sources = GeneratedRuleset.generate(rules);
    long chars = sources.stream().mapToLong(s -> s.text().length()).sum();
    System.out.printf("ruleset: %d rules in %d files, %d characters%n", rules, sources.size(),
        chars);
    for (int i = 0; i < rounds; i++) {
      round(sources);
    }
    double[] parse = new double[rounds];
    double[] check = new double[rounds];
    double[] total = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      double[] r = round(sources);
      parse[i] = r[0];
      check[i] = r[1];
      total[i] = r[2];
    }
    print("parse", parse);
    print("check", check);
    print("RuleLanguage.check (parse + check)", total);
  }

  /** One round: parse, check the parsed files, then the facade doing both; milliseconds. */
  private static double[] round(List<Source> sources) {
    long t0 = System.nanoTime();
    List<RuleFile> files = new ArrayList<>();
    for (Source s : sources) {
      files.add(RulesParser.parse(s).file());
    }
    long t1 = System.nanoTime();
    CheckResult checked = Checker.check("generated", files);
    long t2 = System.nanoTime();
    CheckResult both = RuleLanguage.check("generated", sources);
    long t3 = System.nanoTime();
    if (!checked.diagnostics().isEmpty() || !both.diagnostics().isEmpty()) {
      throw new IllegalStateException("the generated ruleset is not clean: "
          + both.diagnostics());
    }
    return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6};
  }

  private static void print(String what, double[] ms) {
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    System.out.printf("%-36s min %7.1f ms  median %7.1f ms  max %7.1f ms  (%d rounds)%n", what,
        sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1], sorted.length);
  }
}
