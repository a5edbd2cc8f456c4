package io.relais.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * CPU time per decision of {@link DecisionBenchmark}'s Relais (bare, served, and served through
 * maps as before) and plain-Java
 * sides, on this thread only: on a loaded machine the wall-clock latency JMH samples includes
 * the time other processes held the core, the thread's CPU time does not (caches are still
 * shared, so it is steadier, not exact). Rounds alternate the sides; the median round is
 * printed.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.relais.bench.DecisionCpuTime [rounds] [decisions] [rules]</pre>
 */
public final class DecisionCpuTime {

  private DecisionCpuTime() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int decisions = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    DecisionBenchmark bench = new DecisionBenchmark();
    bench.rules = args.length > 2 ? Integer.parseInt(args[2]) : Workload.BUCKET;
    bench.setUp(false);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] relais = new double[rounds];
    double[] served = new double[rounds];
    double[] servedMaps = new double[rounds];
    double[] plain = new double[rounds];
    long sink = 0;
    // Five rounds, and at least 10 s: the JIT needs about 7 s to settle on this path (sampled
    // latency kept falling until then), and 5 rounds of 10,000 took about 1 s.
    long warmUntil = System.nanoTime() + 10_000_000_000L;
    for (int warm = 0; warm < 5 || System.nanoTime() < warmUntil; warm++) {
      for (int i = 0; i < decisions; i++) {
        sink += bench.relais().decisions().size() + bench.relaisServed() + bench.relaisServedMaps()
            + bench.plainJava().size();
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
        sink += bench.relaisServed();
      }
      served[r] = (threads.getCurrentThreadCpuTime() - start) / 1000.0 / decisions;
      start = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < decisions; i++) {
        sink += bench.relaisServedMaps();
      }
      servedMaps[r] = (threads.getCurrentThreadCpuTime() - start) / 1000.0 / decisions;
      start = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < decisions; i++) {
        sink += bench.plainJava().size();
      }
      plain[r] = (threads.getCurrentThreadCpuTime() - start) / 1000.0 / decisions;
    }
    Arrays.sort(relais);
    Arrays.sort(served);
    Arrays.sort(servedMaps);
    Arrays.sort(plain);
    double r = relais[rounds / 2];
    double s = served[rounds / 2];
    double m = servedMaps[rounds / 2];
    double p = plain[rounds / 2];
    System.out.printf("%d rules, CPU time per decision, median of %d rounds of %d: relais %.2f µs,"
        + " served %.2f µs (through maps, as before: %.2f µs), plain Java %.3f µs; relais / plain Java"
        + " %.1f×, served / relais %.2f× (through maps %.2f×) [%d]%n", bench.rules, rounds, decisions, r, s, m, p,
        r / p, s / r, m / r, sink % 10);
  }
}
