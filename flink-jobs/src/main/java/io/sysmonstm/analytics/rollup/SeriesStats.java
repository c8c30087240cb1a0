package io.sysmonstm.analytics.rollup;

import io.sysmonstm.analytics.sketch.ValueSketch;

/**
 * Running statistics of one series inside a bucket: a mutable accumulator (a Flink POJO, so its
 * state is serialized field by field, never by Kryo; the sketch has its own serializer).
 *
 * <p>Every statistic but {@code sum} is independent of the order values arrive in: {@code last} is
 * the value with the newest timestamp, the larger value on a tie. {@code sum} is a floating-point
 * sum in arrival order (its last bits may differ for another order).
 */
public class SeriesStats {
  public String metric;
  public String attrs;
  public long count;
  public double sum;
  public double min;
  public double max;
  public double last;
  public long lastTs;
  public ValueSketch sketch;

  /** For Flink's POJO serializer. */
  public SeriesStats() {}

  SeriesStats(String metric, String attrs) {
    this.metric = metric;
    this.attrs = attrs;
    this.min = Double.POSITIVE_INFINITY;
    this.max = Double.NEGATIVE_INFINITY;
    this.lastTs = Long.MIN_VALUE;
    this.sketch = new ValueSketch();
  }

  /** The statistics of a finished bucket, ready to be merged with others. */
  static SeriesStats of(SeriesRollup r) {
    SeriesStats s = new SeriesStats();
    s.metric = r.metric();
    s.attrs = r.attrs();
    s.count = r.count();
    s.sum = r.sum();
    s.min = r.min();
    s.max = r.max();
    s.last = r.last();
    s.lastTs = r.lastTs();
    s.sketch = r.sketch().copy();
    return s;
  }

  /** Adds a value observed at {@code ts}. */
  void add(double value, long ts) {
    count++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
    if (isNewer(ts, value)) {
      last = value;
      lastTs = ts;
    }
    sketch.add(value);
  }

  void merge(SeriesStats other) {
    count += other.count;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    if (isNewer(other.lastTs, other.last)) {
      last = other.last;
      lastTs = other.lastTs;
    }
    sketch.merge(other.sketch);
  }

  private boolean isNewer(long ts, double value) {
    return ts > lastTs || (ts == lastTs && value > last);
  }

  SeriesRollup toRollup() {
    double[] q = sketch.quantiles(0.50, 0.95, 0.99);
    return new SeriesRollup(
        metric,
        attrs,
        count,
        sum,
        min,
        max,
        last,
        lastTs,
        clamped(q[0]),
        clamped(q[1]),
        clamped(q[2]),
        sketch.copy());
  }

  /** A sketch quantile clamped to the exact [min, max] (only ever closer to the truth). */
  private double clamped(double quantile) {
    return Math.min(max, Math.max(min, quantile));
  }
}
