package io.sysmonstm.bench.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One series of a simulated host: the metric, its attributes and how its values move.
 *
 * @param metric metric name from the core series (docs/design.md, Core series)
 * @param attrs attributes naming the instance (empty for whole-machine series)
 * @param kind the shape of its values
 */
public record SimulatedSeries(String metric, Map<String, String> attrs, Kind kind) {

  /** The shape of a series' values. */
  public enum Kind {
    /** A ratio 0..1. */
    RATIO,
    /** Bytes (memory usage). */
    BYTES,
    /** Bytes per second. */
    RATE,
    /** A load average. */
    LOAD,
    /** A count (processes). */
    COUNT,
    /** Seconds since boot, growing with time. */
    UPTIME,
    /** A ratio that is calm (0.2) or breaching (0.95) as a {@link BreachPlan} says. */
    BREACH
  }

  /** The metric whose breaches the alert-latency benchmark times. */
  public static final String BREACH_METRIC = "bench.breach";

  /** The breaching series: {@value #BREACH_METRIC}, no attributes. */
  public static final SimulatedSeries BREACH =
      new SimulatedSeries(BREACH_METRIC, Map.of(), Kind.BREACH);

  public SimulatedSeries {
    if (metric == null || metric.isEmpty()) {
      throw new IllegalArgumentException("metric must not be empty");
    }
    attrs = Map.copyOf(Objects.requireNonNull(attrs, "attrs"));
    Objects.requireNonNull(kind, "kind");
  }

  private static final List<SimulatedSeries> CORE =
      List.of(
          new SimulatedSeries("system.cpu.utilization", Map.of(), Kind.RATIO),
          new SimulatedSeries("system.memory.utilization", Map.of(), Kind.RATIO),
          new SimulatedSeries("system.memory.usage", Map.of("state", "used"), Kind.BYTES),
          new SimulatedSeries("system.memory.usage", Map.of("state", "free"), Kind.BYTES),
          new SimulatedSeries("system.memory.usage", Map.of("state", "cached"), Kind.BYTES),
          new SimulatedSeries("system.paging.utilization", Map.of(), Kind.RATIO),
          new SimulatedSeries("system.cpu.load_average.1m", Map.of(), Kind.LOAD),
          new SimulatedSeries("system.cpu.load_average.5m", Map.of(), Kind.LOAD),
          new SimulatedSeries("system.cpu.load_average.15m", Map.of(), Kind.LOAD),
          new SimulatedSeries("system.process.count", Map.of(), Kind.COUNT),
          new SimulatedSeries("system.uptime", Map.of(), Kind.UPTIME),
          new SimulatedSeries(
              "system.filesystem.utilization",
              Map.of("mountpoint", "/", "device", "/dev/sda1"),
              Kind.RATIO),
          new SimulatedSeries(
              "system.network.io.rate",
              Map.of("device", "eth0", "direction", "receive"),
              Kind.RATE),
          new SimulatedSeries(
              "system.network.io.rate",
              Map.of("device", "eth0", "direction", "transmit"),
              Kind.RATE),
          new SimulatedSeries(
              "system.disk.io.rate", Map.of("device", "sda", "direction", "read"), Kind.RATE),
          new SimulatedSeries(
              "system.disk.io.rate", Map.of("device", "sda", "direction", "write"), Kind.RATE));

  /** How many series come before the per-core CPU series. */
  public static final int CORE_COUNT = CORE.size();

  /**
   * The first {@code count} series of a simulated host: docs/design.md's core series, then {@code
   * system.cpu.utilization} per core ({@code cpu} = 0, 1, …) until {@code count} is reached.
   */
  public static List<SimulatedSeries> catalog(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    List<SimulatedSeries> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(
          i < CORE.size()
              ? CORE.get(i)
              : new SimulatedSeries(
                  "system.cpu.utilization",
                  Map.of("cpu", String.valueOf(i - CORE.size())),
                  Kind.RATIO));
    }
    return List.copyOf(out);
  }

  /**
   * The catalog of {@code count} series whose last one is {@link #BREACH} instead, so a host still
   * sends {@code count} series.
   */
  public static List<SimulatedSeries> catalogWithBreach(int count) {
    List<SimulatedSeries> out = new ArrayList<>(catalog(count));
    out.set(count - 1, BREACH);
    return List.copyOf(out);
  }

  /** Logical processors a host with {@code count} series reports (per-core series, at least 2). */
  public static int cores(int count) {
    return Math.max(2, count - CORE.size());
  }
}
