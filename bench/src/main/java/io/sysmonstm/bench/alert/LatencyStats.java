package io.sysmonstm.bench.alert;

import java.util.Arrays;

/**
 * Distribution of latencies in milliseconds: nearest-rank percentiles (the p-th percentile is the
 * smallest value with at least p % of the values at or below it, so it is always a measured value).
 *
 * @param count how many latencies
 * @param min smallest
 * @param p50 median
 * @param p95 95th percentile
 * @param p99 99th percentile
 * @param max largest
 */
public record LatencyStats(int count, long min, long p50, long p95, long p99, long max) {

  public LatencyStats {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    if (count > 0 && !(min <= p50 && p50 <= p95 && p95 <= p99 && p99 <= max)) {
      throw new IllegalArgumentException("percentiles must be ordered");
    }
  }

  /** No latency at all. */
  public static final LatencyStats EMPTY = new LatencyStats(0, 0, 0, 0, 0, 0);

  /** The distribution of {@code values} (not modified). */
  public static LatencyStats of(long[] values) {
    if (values.length == 0) {
      return EMPTY;
    }
    long[] v = values.clone();
    Arrays.sort(v);
    return new LatencyStats(
        v.length, v[0], percentile(v, 50), percentile(v, 95), percentile(v, 99), v[v.length - 1]);
  }

  /** Nearest rank: the value at rank ceil(p / 100 × n) of the sorted values. */
  static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  /** The same distribution shifted by {@code delta} ms (e.g. latency minus the rule's for). */
  public LatencyStats minus(long delta) {
    return count == 0
        ? this
        : new LatencyStats(count, min - delta, p50 - delta, p95 - delta, p99 - delta, max - delta);
  }
}
