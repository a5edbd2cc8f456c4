package io.relais.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link KeystrokeBenchmark}'s keystroke, each one timed twice: the wall clock (what the author
 * waits, other processes and GC pauses included) and this thread's CPU time (what the server
 * itself spends, steadier on a loaded machine). Prints the percentiles of both per layout.
 *
 * <pre>java -Xms1g -Xmx1g -cp bench/target/benchmarks.jar io.relais.bench.KeystrokeCpuTime [keystrokes]</pre>
 */
public final class KeystrokeCpuTime {

  private KeystrokeCpuTime() {}

  public static void main(String[] args) throws Exception {
    int keystrokes = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int files : new int[] {20, 1}) {
      KeystrokeBenchmark bench = new KeystrokeBenchmark();
      bench.files = files;
      bench.setUp();
      try {
        long sink = 0;
        // Warm up for at least 10 s and 500 keystrokes: the JIT settles on the parser and
        // the checker in a few seconds.
        long warmUntil = System.nanoTime() + 10_000_000_000L;
        for (int i = 0; i < 500 || System.nanoTime() < warmUntil; i++) {
          sink += bench.keystroke();
        }
        double[] wall = new double[keystrokes];
        double[] cpu = new double[keystrokes];
        for (int i = 0; i < keystrokes; i++) {
          long c = threads.getCurrentThreadCpuTime();
          long w = System.nanoTime();
          sink += bench.keystroke();
          wall[i] = (System.nanoTime() - w) / 1e6;
          cpu[i] = (threads.getCurrentThreadCpuTime() - c) / 1e6;
        }
        System.out.printf("1,000 rules in %2d file(s), %d keystrokes: wall %s; CPU %s [%d]%n",
            files, keystrokes, percentiles(wall), percentiles(cpu), sink % 10);
      } finally {
        bench.tearDown();
      }
    }
  }

  private static String percentiles(double[] ms) {
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms", sorted[sorted.length / 2],
        sorted[(int) Math.ceil(sorted.length * 0.99) - 1], sorted[sorted.length - 1]);
  }
}
