package io.relais.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of one phase of a benchmark, split by who spent it: this process's threads grouped by
 * name prefix (what is left of the process's total is the JIT compilers, the GC and threads that
 * ended), the whole process, and another process by its {@code /proc/<pid>/stat} (the node).
 * On a machine shared with other work, CPU time per operation is what a change is judged by.
 */
final class CpuShares {

  /** A group of threads: its name, and the prefixes of its threads' names. */
  record Group(String name, List<String> prefixes) {}

  private final List<Group> groups;
  private final long otherPid;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private Map<String, Long> startGroups;
  private long startProcess;
  private long startOther;
  private Map<String, Long> startNative;

  CpuShares(List<Group> groups, long otherPid) {
    this.groups = groups;
    this.otherPid = otherPid;
  }

  /** Starts a phase. */
  void start() {
    startGroups = byGroup();
    startProcess = processNanos();
    startOther = otherNanos();
    startNative = nativeThreads();
  }

  /** The phase's CPU per operation, one line: milliseconds per operation for each share. */
  String perOperation(int operations) {
    Map<String, Long> now = byGroup();
    StringBuilder out = new StringBuilder("cpu per delivery (ms):");
    long process = processNanos() - startProcess;
    long grouped = 0;
    for (Group group : groups) {
      long spent = now.get(group.name()) - startGroups.getOrDefault(group.name(), 0L);
      grouped += spent;
      out.append(String.format(" %s %.3f,", group.name(), spent / 1e6 / operations));
    }
    Map<String, Long> nativeNow = nativeThreads();
    out.append(String.format(" other threads, JIT and GC %.3f (JIT compilers %.3f, GC %.3f);"
        + " bench process %.3f", (process - grouped) / 1e6 / operations,
        (nativeNow.get("jit") - startNative.get("jit")) / 1e6 / operations,
        (nativeNow.get("gc") - startNative.get("gc")) / 1e6 / operations, process / 1e6 / operations));
    if (otherPid > 0) {
      out.append(String.format("; node %.3f", (otherNanos() - startOther) / 1e6 / operations));
    }
    out.append(String.format(" (%.1f s process, %d operations)", process / 1e9, operations));
    return out.toString();
  }

  private Map<String, Long> byGroup() {
    Map<String, Long> spent = new LinkedHashMap<>();
    groups.forEach(g -> spent.put(g.name(), 0L));
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu < 0) {
        continue;
      }
      String name = info.getThreadName();
      for (Group group : groups) {
        if (group.prefixes().stream().anyMatch(name::startsWith)) {
          spent.merge(group.name(), cpu, Long::sum);
          break;
        }
      }
    }
    return spent;
  }

  // The JIT compilers' and the garbage collector's threads (hidden from the thread MXBean), by
  // their names in /proc/self/task: CPU time of the threads alive now.
  private static Map<String, Long> nativeThreads() {
    Map<String, Long> spent = new LinkedHashMap<>(Map.of("jit", 0L, "gc", 0L));
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long nanos = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
          if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            spent.merge("jit", nanos, Long::sum);
          } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            spent.merge("gc", nanos, Long::sum);
          }
        } catch (IOException | RuntimeException e) {
          // a thread that ended meanwhile
        }
      }
    } catch (IOException e) {
      // not Linux: none counted
    }
    return spent;
  }

  private static long processNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  // utime + stime of /proc/<pid>/stat, in clock ticks of 10 ms (USER_HZ 100 on Linux).
  private long otherNanos() {
    if (otherPid <= 0) {
      return 0;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + otherPid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
