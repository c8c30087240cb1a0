package io.sysmonstm.analytics.rollup;

/**
 * Running statistics of one series inside a window: a mutable accumulator (a Flink POJO, so its
 * state is serialized field by field, never by Kryo).
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

  /** For Flink's POJO serializer. */
  public SeriesStats() {}

  SeriesStats(String metric, String attrs) {
    this.metric = metric;
    this.attrs = attrs;
    this.min = Double.POSITIVE_INFINITY;
    this.max = Double.NEGATIVE_INFINITY;
    this.lastTs = Long.MIN_VALUE;
  }

  /** Adds a value observed at {@code ts}; on equal timestamps the later arrival is last. */
  void add(double value, long ts) {
    count++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
    if (ts >= lastTs) {
      last = value;
      lastTs = ts;
    }
  }

  void merge(SeriesStats other) {
    count += other.count;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    if (other.lastTs >= lastTs) {
      last = other.last;
      lastTs = other.lastTs;
    }
  }

  SeriesRollup toRollup() {
    return new SeriesRollup(metric, attrs, count, sum, min, max, last, lastTs);
  }
}
