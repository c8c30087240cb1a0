package io.sysmonstm.collector.sampling;

import io.sysmonstm.collector.sampling.Reading.CpuTicks;
import io.sysmonstm.collector.sampling.Reading.DiskCounters;
import io.sysmonstm.collector.sampling.Reading.FileStore;
import io.sysmonstm.collector.sampling.Reading.Load;
import io.sysmonstm.collector.sampling.Reading.Memory;
import io.sysmonstm.collector.sampling.Reading.NetworkCounters;
import io.sysmonstm.proto.v1.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Fake readings for tests: only what a test sets is in the reading. */
public final class Readings {
  /** 2025-11-23T08:00:00Z. */
  public static final long T0_MILLIS = 1_763_884_800_000L;

  private final long seconds;
  private CpuTicks cpu = new CpuTicks(0, 0);
  private final List<CpuTicks> cores = new ArrayList<>();
  private Memory memory = new Memory(0, 0, OptionalLong.empty(), 0, 0);
  private final List<FileStore> fileStores = new ArrayList<>();
  private final List<NetworkCounters> networks = new ArrayList<>();
  private final List<DiskCounters> disks = new ArrayList<>();
  private Load load = new Load(Double.NaN, Double.NaN, Double.NaN);
  private int processes = -1;
  private long uptime = -1;

  private Readings(long seconds) {
    this.seconds = seconds;
  }

  /** A reading taken {@code seconds} after T0. */
  public static Readings at(long seconds) {
    return new Readings(seconds);
  }

  public Readings cpu(long total, long idle) {
    cpu = new CpuTicks(total, idle);
    return this;
  }

  public Readings core(long total, long idle) {
    cores.add(new CpuTicks(total, idle));
    return this;
  }

  public Readings memory(
      long total, long available, OptionalLong cached, long swapTotal, long swapUsed) {
    memory = new Memory(total, available, cached, swapTotal, swapUsed);
    return this;
  }

  public Readings fileStore(String mount, String device, long total, long free, long usable) {
    fileStores.add(new FileStore(mount, device, total, free, usable));
    return this;
  }

  public Readings network(String device, long received, long sent) {
    networks.add(new NetworkCounters(device, received, sent));
    return this;
  }

  public Readings disk(String device, long read, long written) {
    disks.add(new DiskCounters(device, read, written));
    return this;
  }

  public Readings load(double one, double five, double fifteen) {
    load = new Load(one, five, fifteen);
    return this;
  }

  public Readings processes(int n) {
    processes = n;
    return this;
  }

  public Readings uptime(long s) {
    uptime = s;
    return this;
  }

  public Reading build() {
    return new Reading(
        T0_MILLIS + seconds * 1000,
        seconds * 1_000_000_000L,
        cpu,
        cores,
        memory,
        fileStores,
        networks,
        disks,
        load,
        processes,
        uptime);
  }

  /** Series key (metric, or metric + sorted attributes) to value. */
  public static Map<String, Double> bySeries(List<Sample> samples) {
    Map<String, Double> out = new TreeMap<>();
    for (Sample s : samples) {
      String key = seriesKey(s);
      if (out.put(key, s.getValue()) != null) {
        throw new AssertionError("series sampled twice: " + key);
      }
    }
    return out;
  }

  public static String seriesKey(Sample s) {
    if (s.getAttributesMap().isEmpty()) {
      return s.getMetric();
    }
    return s.getMetric()
        + new TreeMap<>(s.getAttributesMap())
            .entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
  }
}
