package io.relais.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * CPU time per decision of {@link DecisionBenchmark}'s Relais sides (bare; served, and served
 * through maps as before; recorded, and recorded as before), plain Java, and Drools' share alone
 * in three shapes ({@code DroolsAlone}), on this thread only:
 * on a loaded machine the wall-clock latency JMH samples includes the time other processes held
 * the core, the thread's CPU time does not (caches are still shared, so it is steadier, not
 * exact). Rounds alternate the sides, so a change of the machine's load weighs on each alike;
 * the median round is printed.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.relais.bench.DecisionCpuTime [rounds] [decisions] [rules]</pre>
 */
public final class DecisionCpuTime {

  private DecisionCpuTime() {}

  /** One side: a decision, and a number of its result so that the JIT keeps it. */
  private interface Side {
    long decide() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int decisions = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    DecisionBenchmark bench = new DecisionBenchmark();
    bench.rules = args.length > 2 ? Integer.parseInt(args[2]) : Workload.BUCKET;
    bench.setUp(false, true);
    List<String> names = List.of("relais", "served", "served through maps (before)", "recorded",
        "recorded (before)", "plain Java", "Drools alone", "Drools alone, dispatch only",
        "Drools alone, one cycle");
    List<Side> sides = List.of(() -> bench.relais().decisions().size(), bench::relaisServed,
        bench::relaisServedMaps, () -> bench.relaisRecorded().text().length(),
        () -> bench.relaisRecordedBefore().length(), () -> bench.plainJava().size(),
        () -> bench.droolsAlone().cardinality(), () -> bench.droolsAloneDispatching().cardinality(),
        () -> bench.droolsAloneInOneCycle().cardinality());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[][] times = new double[sides.size()][rounds];
    long sink = 0;
    // Five rounds, and at least 10 s: the JIT needs about 7 s to settle on this path (sampled
    // latency kept falling until then), and 5 rounds of 10,000 took about 1 s.
    long warmUntil = System.nanoTime() + 10_000_000_000L;
    for (int warm = 0; warm < 5 || System.nanoTime() < warmUntil; warm++) {
      for (Side side : sides) {
        for (int i = 0; i < decisions; i++) {
          sink += side.decide();
        }
      }
    }
    for (int r = 0; r < rounds; r++) {
      for (int s = 0; s < sides.size(); s++) {
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < decisions; i++) {
          sink += sides.get(s).decide();
        }
        times[s][r] = (threads.getCurrentThreadCpuTime() - start) / 1000.0 / decisions;
      }
    }
    double[] median = new double[sides.size()];
    StringBuilder out = new StringBuilder();
    for (int s = 0; s < sides.size(); s++) {
      Arrays.sort(times[s]);
      median[s] = times[s][rounds / 2];
      out.append(String.format("%s %.2f µs, ", names.get(s), median[s]));
    }
    System.out.printf("%d rules, CPU time per decision, median of %d rounds of %d: %srelais / plain Java"
        + " %.1f×, served / relais %.2f× (through maps %.2f×), recorded / relais %.2f× (before %.2f×),"
        + " Drools alone / plain Java %.1f× (dispatch only %.1f×, one cycle %.1f×) [%d]%n",
        bench.rules, rounds, decisions, out, median[0] / median[5], median[1] / median[0], median[2] / median[0],
        median[3] / median[0], median[4] / median[0], median[6] / median[5], median[7] / median[5], median[8] / median[5],
        sink % 10);
  }
}
