package io.relais.bench;

import io.relais.dsl.check.CheckedRuleset;
import io.relais.engine.evaluation.CompiledRuleset;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.Optional;

/**
 * The workload's ruleset of N rules ({@link Workload}, 10,000 by default) checked and compiled
 * once in a fresh JVM: the cold time a service pays when it loads a ruleset version first,
 * and the heap the compiled ruleset retains (heap in use after a full collection, with the
 * ruleset held and one decision made, less the same before it was built). Run it in a new JVM
 * each time; JIT and class loading are part of what it measures.
 *
 * <pre>java -Xms2g -Xmx2g -cp bench/target/benchmarks.jar io.relais.bench.CompileCold [rules]</pre>
 */
public final class CompileCold {

  private CompileCold() {}

  public static void main(String[] args) {
    int rules = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    String text = Workload.rules(rules); // the text is the input, not part of the ruleset
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long before = usedAfterGc();
    long cpu = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    CheckedRuleset checked = Workload.checked(rules);
    long checkedAt = System.nanoTime();
    CompiledRuleset compiled = CompiledRuleset.compile(checked, 1);
    long compiledAt = System.nanoTime();
    long coldCpu = threads.getCurrentThreadCpuTime() - cpu;
    int decisions = compiled.evaluate(Workload.contact(), Optional.of(Workload.event()),
        Workload.history(), Workload.NOW).decisions().size();
    long retained = usedAfterGc() - before;
    // The same again in the warm JVM: what the ruleset costs without the JVM's first loads.
    long warmCpu = threads.getCurrentThreadCpuTime();
    long warmStart = System.nanoTime();
    CompiledRuleset again = CompiledRuleset.compile(Workload.checked(rules), 2);
    long warm = System.nanoTime() - warmStart;
    warmCpu = threads.getCurrentThreadCpuTime() - warmCpu;
    System.out.printf("%,d rules (%,d characters): parse + check %.2f s, compile %.2f s,"
        + " cold total %.2f s (thread CPU %.2f s); warm total %.2f s (CPU %.2f s);"
        + " retained heap %.1f MB (one decision made: %d decisions)%n",
        rules, text.length(), (checkedAt - start) / 1e9, (compiledAt - checkedAt) / 1e9,
        (compiledAt - start) / 1e9, coldCpu / 1e9, warm / 1e9, warmCpu / 1e9, retained / 1e6,
        decisions);
    if (again.version() != 2) {
      throw new IllegalStateException();
    }
    // Keep the ruleset reachable until the heap was measured.
    if (compiled.version() != 1) {
      throw new IllegalStateException();
    }
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    // Collections until the figure stops falling: finalizers and soft caches settle.
    for (int i = 0; i < 5; i++) {
      memory.gc();
      long now = memory.getHeapMemoryUsage().getUsed();
      if (now >= used) {
        break;
      }
      used = now;
    }
    return used;
  }
}
