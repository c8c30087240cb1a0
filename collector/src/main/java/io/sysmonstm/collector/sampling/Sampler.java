package io.sysmonstm.collector.sampling;

import static io.sysmonstm.collector.sampling.MetricNames.ATTR_CPU;
import static io.sysmonstm.collector.sampling.MetricNames.ATTR_DEVICE;
import static io.sysmonstm.collector.sampling.MetricNames.ATTR_DIRECTION;
import static io.sysmonstm.collector.sampling.MetricNames.ATTR_MOUNTPOINT;
import static io.sysmonstm.collector.sampling.MetricNames.ATTR_STATE;
import static io.sysmonstm.collector.sampling.MetricNames.CPU_UTILIZATION;
import static io.sysmonstm.collector.sampling.MetricNames.DISK_IO_RATE;
import static io.sysmonstm.collector.sampling.MetricNames.FILESYSTEM_UTILIZATION;
import static io.sysmonstm.collector.sampling.MetricNames.LOAD_AVERAGE_15M;
import static io.sysmonstm.collector.sampling.MetricNames.LOAD_AVERAGE_1M;
import static io.sysmonstm.collector.sampling.MetricNames.LOAD_AVERAGE_5M;
import static io.sysmonstm.collector.sampling.MetricNames.MEMORY_USAGE;
import static io.sysmonstm.collector.sampling.MetricNames.MEMORY_UTILIZATION;
import static io.sysmonstm.collector.sampling.MetricNames.NETWORK_IO_RATE;
import static io.sysmonstm.collector.sampling.MetricNames.PAGING_UTILIZATION;
import static io.sysmonstm.collector.sampling.MetricNames.PROCESS_COUNT;
import static io.sysmonstm.collector.sampling.MetricNames.UPTIME;

import io.sysmonstm.collector.sampling.Reading.CpuTicks;
import io.sysmonstm.collector.sampling.Reading.DiskCounters;
import io.sysmonstm.collector.sampling.Reading.FileStore;
import io.sysmonstm.collector.sampling.Reading.Memory;
import io.sysmonstm.collector.sampling.Reading.NetworkCounters;
import io.sysmonstm.proto.v1.Sample;
import io.sysmonstm.proto.v1.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns successive readings into snapshots. CPU utilization is the share of non-idle ticks between
 * two readings and rates are counter differences per second, so the sampler keeps the previous
 * reading: {@link #prime()} it once at start (OSHI FAQ) and then call {@link #sample()} once per
 * interval. A counter that went backwards (reset, wrap, device replaced) skips that series for one
 * interval. Every value is finite; utilizations are ratios in [0, 1]. Not thread-safe: one sampling
 * thread owns it.
 */
public final class Sampler {
  private final SystemReader reader;
  private Reading previous;

  public Sampler(SystemReader reader) {
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  /** Takes the first reading, so the next {@link #sample()} has counters to compare with. */
  public void prime() {
    previous = reader.read();
  }

  /** Reads the machine and returns everything since the previous reading as one snapshot. */
  public Snapshot sample() {
    Reading current = reader.read();
    List<Sample> samples = samples(previous, current);
    previous = current;
    return Snapshot.newBuilder()
        .setTimestampMs(current.epochMillis())
        .addAllSamples(samples)
        .build();
  }

  /**
   * The samples of {@code current}; the CPU utilizations and rates need {@code previous} and are
   * left out when it is {@code null}.
   */
  public static List<Sample> samples(Reading previous, Reading current) {
    Samples out = new Samples();
    if (previous != null) {
      cpu(previous, current, out);
      rates(previous, current, out);
    }
    memory(current.memory(), out);
    for (FileStore fs : current.fileStores()) {
      fileStore(fs, out);
    }
    out.add(LOAD_AVERAGE_1M, Map.of(), load(current.load().oneMinute()));
    out.add(LOAD_AVERAGE_5M, Map.of(), load(current.load().fiveMinutes()));
    out.add(LOAD_AVERAGE_15M, Map.of(), load(current.load().fifteenMinutes()));
    if (current.processCount() >= 0) {
      out.add(PROCESS_COUNT, Map.of(), current.processCount());
    }
    if (current.uptimeSeconds() >= 0) {
      out.add(UPTIME, Map.of(), current.uptimeSeconds());
    }
    return out.list;
  }

  private static void cpu(Reading previous, Reading current, Samples out) {
    out.add(CPU_UTILIZATION, Map.of(), busyShare(previous.cpu(), current.cpu()));
    int cores = Math.min(previous.cores().size(), current.cores().size());
    for (int i = 0; i < cores; i++) {
      out.add(
          CPU_UTILIZATION,
          Map.of(ATTR_CPU, Integer.toString(i)),
          busyShare(previous.cores().get(i), current.cores().get(i)));
    }
  }

  /** Share of non-idle ticks between two readings; NaN when the ticks did not move forward. */
  static double busyShare(CpuTicks before, CpuTicks after) {
    long total = after.total() - before.total();
    long idle = after.idle() - before.idle();
    if (total <= 0 || idle < 0 || idle > total) {
      return Double.NaN;
    }
    return ratio(total - idle, total);
  }

  private static void rates(Reading previous, Reading current, Samples out) {
    double seconds = (current.monotonicNanos() - previous.monotonicNanos()) / 1e9;
    if (seconds <= 0) {
      return;
    }
    Map<String, NetworkCounters> nets = new HashMap<>();
    previous.networks().forEach(n -> nets.put(n.device(), n));
    for (NetworkCounters now : current.networks()) {
      NetworkCounters before = nets.get(now.device());
      if (before != null) {
        out.add(
            NETWORK_IO_RATE,
            Map.of(ATTR_DEVICE, now.device(), ATTR_DIRECTION, "receive"),
            rate(before.bytesReceived(), now.bytesReceived(), seconds));
        out.add(
            NETWORK_IO_RATE,
            Map.of(ATTR_DEVICE, now.device(), ATTR_DIRECTION, "transmit"),
            rate(before.bytesSent(), now.bytesSent(), seconds));
      }
    }
    Map<String, DiskCounters> disks = new HashMap<>();
    previous.disks().forEach(d -> disks.put(d.device(), d));
    for (DiskCounters now : current.disks()) {
      DiskCounters before = disks.get(now.device());
      if (before != null) {
        out.add(
            DISK_IO_RATE,
            Map.of(ATTR_DEVICE, now.device(), ATTR_DIRECTION, "read"),
            rate(before.bytesRead(), now.bytesRead(), seconds));
        out.add(
            DISK_IO_RATE,
            Map.of(ATTR_DEVICE, now.device(), ATTR_DIRECTION, "write"),
            rate(before.bytesWritten(), now.bytesWritten(), seconds));
      }
    }
  }

  /** Counter difference per second; NaN (skipped) when the counter went backwards. */
  static double rate(long before, long after, double seconds) {
    long delta = after - before;
    if (delta < 0 || before < 0) {
      return Double.NaN;
    }
    return delta / seconds;
  }

  private static void memory(Memory m, Samples out) {
    if (m.total() > 0 && m.available() >= 0 && m.available() <= m.total()) {
      long used = m.total() - m.available();
      out.add(MEMORY_UTILIZATION, Map.of(), ratio(used, m.total()));
      out.add(MEMORY_USAGE, Map.of(ATTR_STATE, "used"), used);
      out.add(MEMORY_USAGE, Map.of(ATTR_STATE, "free"), m.available());
      if (m.cached().isPresent() && m.cached().getAsLong() >= 0) {
        out.add(MEMORY_USAGE, Map.of(ATTR_STATE, "cached"), m.cached().getAsLong());
      }
    }
    if (m.swapTotal() > 0 && m.swapUsed() >= 0) {
      out.add(PAGING_UTILIZATION, Map.of(), ratio(m.swapUsed(), m.swapTotal()));
    }
  }

  /** Used share as {@code df} shows it: used / (used + space users can still take). */
  private static void fileStore(FileStore fs, Samples out) {
    if (fs.total() <= 0 || fs.free() < 0 || fs.usable() < 0 || fs.free() > fs.total()) {
      return;
    }
    long used = fs.total() - fs.free();
    long denominator = used + Math.min(fs.usable(), fs.free());
    if (denominator <= 0) {
      return;
    }
    out.add(
        FILESYSTEM_UTILIZATION,
        Map.of(ATTR_MOUNTPOINT, fs.mount(), ATTR_DEVICE, fs.device()),
        ratio(used, denominator));
  }

  private static double load(double value) {
    return value >= 0 ? value : Double.NaN;
  }

  private static double ratio(long part, long whole) {
    return Math.max(0.0, Math.min(1.0, (double) part / whole));
  }

  /** Collects samples, leaving out values that are not finite. */
  private static final class Samples {
    private final List<Sample> list = new ArrayList<>();

    void add(String metric, Map<String, String> attributes, double value) {
      if (Double.isFinite(value)) {
        list.add(
            Sample.newBuilder()
                .setMetric(metric)
                .putAllAttributes(attributes)
                .setValue(value)
                .build());
      }
    }
  }
}
