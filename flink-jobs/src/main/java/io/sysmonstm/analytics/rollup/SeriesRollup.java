package io.sysmonstm.analytics.rollup;

import io.sysmonstm.analytics.series.SeriesKey;
import io.sysmonstm.analytics.sketch.ValueSketch;
import java.util.Objects;

/**
 * The statistics of one series over one bucket. Carries count and sum, never a stored average:
 * {@link #avg()} is computed where a row is written, and buckets merge exactly. The quantiles come
 * from {@code sketch} (within {@link ValueSketch#RELATIVE_ACCURACY} of the exact ones, clamped to
 * [min, max]); merging buckets merges their sketches.
 *
 * @param metric metric name
 * @param attrs canonical attrs JSON
 * @param count number of samples, positive
 * @param sum sum of the values
 * @param min smallest value
 * @param max largest value
 * @param last value with the newest timestamp (the larger one on a tie)
 * @param lastTs timestamp of {@code last}, epoch ms
 * @param p50 median
 * @param p95 95th percentile
 * @param p99 99th percentile
 * @param sketch the sketch of the values (not modified once in a rollup)
 */
public record SeriesRollup(
    String metric,
    String attrs,
    long count,
    double sum,
    double min,
    double max,
    double last,
    long lastTs,
    double p50,
    double p95,
    double p99,
    ValueSketch sketch) {

  public SeriesRollup {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(attrs, "attrs");
    Objects.requireNonNull(sketch, "sketch");
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    if (!(min <= max)) {
      throw new IllegalArgumentException("min " + min + " is above max " + max);
    }
    if (!(min <= p50 && p50 <= p95 && p95 <= p99 && p99 <= max)) {
      throw new IllegalArgumentException(
          "quantiles " + p50 + ", " + p95 + ", " + p99 + " not ordered within [min, max]");
    }
  }

  /** {@code sum / count}, kept within [min, max] against rounding. */
  public double avg() {
    return Math.min(max, Math.max(min, sum / count));
  }

  public String seriesKey() {
    return SeriesKey.of(metric, attrs);
  }

  /** This bucket merged with another bucket of the same series. */
  public SeriesRollup merge(SeriesRollup o) {
    SeriesStats merged = SeriesStats.of(this);
    merged.merge(SeriesStats.of(o));
    return merged.toRollup();
  }

  /**
   * Leaves the sketch out: hashing it encodes it. {@code equals} and {@code toString} are the
   * record's own (every component; doubles compared with {@link Double#compare}).
   */
  @Override
  public int hashCode() {
    return Objects.hash(metric, attrs, count, sum, min, max, last, lastTs);
  }
}
