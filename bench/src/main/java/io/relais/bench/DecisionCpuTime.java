package io.relais.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time per decision of {@link DecisionBenchmark}'s Relais and plain-Java variants, on this
 * thread only: on a loaded machine the wall-clock latency JMH samples includes the time other
 * processes held the core, the thread's CPU time does not (caches are still shared, so it is
 * steadier, not exact). Rounds alternate the two variants; the median round is printed.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.relais.bench.DecisionCpuTime [rounds] [decisions]</pre>
 */
public final class DecisionCpuTime {

  private DecisionCpuTime() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int decisions = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    DecisionBenchmark bench = new DecisionBenchmark();
    bench.rules = Workload.BUCKET;
    bench.setUp();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] relais = new double[rounds];
    double[] plain = new double[rounds];
    long sink = 0;
    // Five rounds, and at least 10 s: the JIT needs about 7 s to settle on this path (sampled
    // latency kept falling until then), and 5 rounds of 10,000 took about 1 s.
    long warmUntil = System.nanoTime() + 10_000_000_000L;
    for (int warm = 0; warm < 5 || System.nanoTime() < warmUntil; warm++) {
      for (int i = 0; i < decisions; i++) {
        sink += bench.relais().decisions().size() + bench.plainJava().size();
      }
    }
    for (int r = 0; r < rounds; r++) {
      long start = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < decisions; i++) {
        sink += bench.relais().decisions().size();
      }
      relais[r] = (threads.getCurrentThreadCpuTime() - start) / 1000.0 / decisions;
      start = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < decisions; i++) {
        sink += bench.plainJava().size();
      }
      plain[r] = (threads.getCurrentThreadCpuTime() - start) / 1000.0 / decisions;
    }
    java.util.Arrays.sort(relais);
    java.util.Arrays.sort(plain);
    double r = relais[rounds / 2];
    double p = plain[rounds / 2];
    System.out.printf("CPU time per decision, median of %d rounds of %d: relais %.2f µs,"
        + " plain Java %.3f µs, ratio %.1f× (min %.2f / %.3f) [%d]%n",
        rounds, decisions, r, p, r / p, relais[0], plain[0], sink % 10);
  }
}
