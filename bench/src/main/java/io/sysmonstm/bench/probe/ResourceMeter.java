package io.sysmonstm.bench.probe;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Measures what a stretch of the run costs: CPU of this JVM (and by thread), of child processes
 * (the embedded PostgreSQL and Redis), of the whole machine; heap use and GC. Linux {@code /proc}
 * gives the child processes and the machine; elsewhere those figures are left out.
 */
public final class ResourceMeter {
  private static final long CLOCK_TICK_NANOS = TimeUnit.SECONDS.toNanos(1) / 100; // USER_HZ
  private static final Pattern SUBTASK = Pattern.compile("\\s*\\(\\d+/\\d+\\)(#\\d+)?$");
  private static final Pattern NUMBER = Pattern.compile("\\d+");

  /** CPU of one named group (threads of one kind, or processes of one name), in cores. */
  public record CpuShare(String name, double cores) {}

  /**
   * What the measured stretch cost.
   *
   * @param wallSeconds length of the stretch
   * @param machineCores processors of this machine
   * @param jvmCores CPU of this JVM in cores (1.0 = one core busy all the time)
   * @param flinkTaskCores of which Flink task threads (operators)
   * @param childProcesses CPU of child processes by program name (embedded servers)
   * @param machineBusyCores CPU of everything on the machine, this JVM included
   * @param topThreads the JVM's busiest thread groups (numbers in names folded)
   * @param heapMaxUsedBytes most heap in use at any sample
   * @param heapEndUsedBytes heap in use at the end
   * @param heapLimitBytes maximum heap (-Xmx)
   * @param gcCount collections during the stretch
   * @param gcMillis time spent collecting
   */
  public record Usage(
      double wallSeconds,
      int machineCores,
      double jvmCores,
      double flinkTaskCores,
      List<CpuShare> childProcesses,
      double machineBusyCores,
      List<CpuShare> topThreads,
      long heapMaxUsedBytes,
      long heapEndUsedBytes,
      long heapLimitBytes,
      long gcCount,
      long gcMillis) {}

  private record Reading(
      long wallNanos,
      long processCpuNanos,
      Map<Long, long[]> children, // pid -> {cpu nanos}
      Map<Long, String> childNames,
      long machineBusyTicks,
      long machineTotalTicks,
      Map<Long, Long> threadCpu,
      Map<Long, String> threadNames,
      long gcCount,
      long gcMillis) {}

  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Map<String, Long> roots;
  private Reading start;
  private long heapMax;

  private ResourceMeter(Map<String, Long> roots) {
    this.roots = Map.copyOf(roots);
  }

  /** Starts measuring now: this JVM, its child processes, and the machine. */
  public static ResourceMeter start() {
    return start(Map.of());
  }

  /**
   * Starts measuring now, counting also the process trees rooted at {@code roots} (name → pid),
   * e.g. a PostgreSQL server that detached from this JVM when it started.
   */
  public static ResourceMeter start(Map<String, Long> roots) {
    ResourceMeter m = new ResourceMeter(roots);
    if (m.threads.isThreadCpuTimeSupported() && !m.threads.isThreadCpuTimeEnabled()) {
      m.threads.setThreadCpuTimeEnabled(true);
    }
    m.start = m.read();
    m.heapMax = m.memory.getHeapMemoryUsage().getUsed();
    return m;
  }

  /** Samples the heap; call it regularly (once a second) to catch the peak. */
  public void sampleHeap() {
    heapMax = Math.max(heapMax, memory.getHeapMemoryUsage().getUsed());
  }

  /** What happened since {@link #start()}. */
  public Usage usage() {
    sampleHeap();
    Reading end = read();
    double wallNanos = Math.max(1, end.wallNanos - start.wallNanos);
    double jvm = (end.processCpuNanos - start.processCpuNanos) / wallNanos;

    Map<String, Double> childCores = new TreeMap<>();
    end.children.forEach(
        (pid, cpu) -> {
          long before = start.children.containsKey(pid) ? start.children.get(pid)[0] : 0;
          childCores.merge(end.childNames.get(pid), (cpu[0] - before) / wallNanos, Double::sum);
        });

    Map<String, Double> groups = new HashMap<>();
    double flinkTasks = 0;
    for (Map.Entry<Long, Long> t : end.threadCpu.entrySet()) {
      long before = start.threadCpu.getOrDefault(t.getKey(), 0L);
      double cores = (t.getValue() - before) / wallNanos;
      String name = end.threadNames.get(t.getKey());
      if (SUBTASK.matcher(name).find()) {
        flinkTasks += cores;
      }
      groups.merge(group(name), cores, Double::sum);
    }
    List<CpuShare> top = new ArrayList<>();
    groups.forEach((n, c) -> top.add(new CpuShare(n, c)));
    top.sort(Comparator.comparingDouble(CpuShare::cores).reversed());

    long totalTicks = end.machineTotalTicks - start.machineTotalTicks;
    double machineBusy =
        totalTicks <= 0
            ? Double.NaN
            : (double) (end.machineBusyTicks - start.machineBusyTicks)
                / totalTicks
                * os.getAvailableProcessors();
    List<CpuShare> children = new ArrayList<>();
    childCores.forEach((n, c) -> children.add(new CpuShare(n, c)));
    return new Usage(
        wallNanos / 1e9,
        os.getAvailableProcessors(),
        jvm,
        flinkTasks,
        children,
        machineBusy,
        List.copyOf(top.subList(0, Math.min(12, top.size()))),
        heapMax,
        memory.getHeapMemoryUsage().getUsed(),
        memory.getHeapMemoryUsage().getMax(),
        end.gcCount - start.gcCount,
        end.gcMillis - start.gcMillis);
  }

  /**
   * The process whose command line holds every one of {@code args} as an argument (Linux), e.g. a
   * PostgreSQL server by its {@code -p PORT}.
   */
  public static java.util.OptionalLong findProcess(List<String> args) {
    try (var dirs = Files.list(Path.of("/proc"))) {
      return dirs.map(d -> d.getFileName().toString())
          .filter(n -> n.chars().allMatch(Character::isDigit))
          .filter(
              n -> {
                try {
                  List<String> cmd =
                      List.of(Files.readString(Path.of("/proc", n, "cmdline")).split("\0"));
                  return cmd.containsAll(args);
                } catch (IOException | RuntimeException e) {
                  return false;
                }
              })
          .mapToLong(Long::parseLong)
          .min();
    } catch (IOException | RuntimeException e) {
      return java.util.OptionalLong.empty();
    }
  }

  /** A thread's name with its subtask suffix and numbers folded, so pools add up. */
  static String group(String threadName) {
    String n = SUBTASK.matcher(threadName).replaceAll("");
    return NUMBER.matcher(n).replaceAll("N");
  }

  private Reading read() {
    Map<Long, long[]> children = new HashMap<>();
    Map<Long, String> childNames = new HashMap<>();
    ProcessHandle.current()
        .descendants()
        .forEach(
            p -> {
              String[] stat = procStat(p.pid());
              if (stat != null) {
                children.put(p.pid(), new long[] {cpuNanos(stat)});
                childNames.put(p.pid(), stat[0].startsWith("redis-server") ? "redis" : stat[0]);
              }
            });
    roots.forEach(
        (name, pid) ->
            ProcessHandle.of(pid)
                .ifPresent(
                    root ->
                        java.util.stream.Stream.concat(
                                java.util.stream.Stream.of(root), root.descendants())
                            .forEach(
                                p -> {
                                  String[] stat = procStat(p.pid());
                                  if (stat != null) {
                                    children.put(p.pid(), new long[] {cpuNanos(stat)});
                                    childNames.put(p.pid(), name);
                                  }
                                })));
    long[] machine = machineTicks();
    Map<Long, Long> threadCpu = new HashMap<>();
    Map<Long, String> threadNames = new HashMap<>();
    long[] ids = threads.getAllThreadIds();
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      long cpu = threads.getThreadCpuTime(ids[i]);
      if (infos[i] != null && cpu >= 0) {
        threadCpu.put(ids[i], cpu);
        threadNames.put(ids[i], infos[i].getThreadName());
      }
    }
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    return new Reading(
        System.nanoTime(),
        os.getProcessCpuTime(),
        children,
        childNames,
        machine[0],
        machine[1],
        threadCpu,
        threadNames,
        gcCount,
        gcMillis);
  }

  /**
   * {@code /proc/<pid>/stat} as {comm, state, ppid, …}: index 0 is the program name, then the
   * fields after it ({@code utime} at 12, {@code stime} at 13); null when unreadable.
   */
  private static String[] procStat(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      int open = s.indexOf('(');
      int close = s.lastIndexOf(')');
      String[] rest = s.substring(close + 2).trim().split(" ");
      String[] out = new String[rest.length + 1];
      out[0] = s.substring(open + 1, close);
      System.arraycopy(rest, 0, out, 1, rest.length);
      return out;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long cpuNanos(String[] stat) {
    return (Long.parseLong(stat[12]) + Long.parseLong(stat[13])) * CLOCK_TICK_NANOS;
  }

  /** {busy, total} jiffies of all processors from {@code /proc/stat}, zeros when unreadable. */
  private static long[] machineTicks() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      long total = 0;
      long idle = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        long v = Long.parseLong(f[i]);
        total += v;
        if (i == 4 || i == 5) { // idle, iowait
          idle += v;
        }
      }
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }
}
