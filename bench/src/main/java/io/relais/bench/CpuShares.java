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
  private long startCompiling;
  private long startCollecting;

  CpuShares(List<Group> groups, long otherPid) {
    this.groups = groups;
    this.otherPid = otherPid;
  }

  /** Starts a phase. */
  void start() {
    startGroups = byGroup();
    startProcess = processNanos();
    startOther = otherNanos();
    startCompiling = compilingMillis();
    startCollecting = collectingMillis();
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
    out.append(String.format(" other threads, JIT and GC %.3f (JIT compiling %.3f, GC %.3f, elapsed time);"
        + " bench process %.3f", (process - grouped) / 1e6 / operations,
        (compilingMillis() - startCompiling) / (double) operations,
        (collectingMillis() - startCollecting) / (double) operations, process / 1e6 / operations));
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

  // The compilers' and the collectors' own counts, in elapsed milliseconds (a hint of their share
  // of "other", not CPU time: concurrent collector threads are partly counted, compilers fully).
  private static long compilingMillis() {
    var compiler = ManagementFactory.getCompilationMXBean();
    return compiler != null && compiler.isCompilationTimeMonitoringSupported() ? compiler.getTotalCompilationTime() : 0;
  }

  private static long collectingMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
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
