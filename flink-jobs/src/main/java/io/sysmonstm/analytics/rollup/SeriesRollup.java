package io.sysmonstm.analytics.rollup;

import io.sysmonstm.analytics.series.SeriesKey;
import java.util.Objects;

/**
 * The statistics of one series over one bucket. Carries count and sum, never a stored average:
 * {@link #avg()} is computed where a row is written, and buckets merge exactly.
 *
 * @param metric metric name
 * @param attrs canonical attrs JSON
 * @param count number of samples, positive
 * @param sum sum of the values
 * @param min smallest value
 * @param max largest value
 * @param last value with the newest timestamp
 * @param lastTs timestamp of {@code last}, epoch ms
 */
public record SeriesRollup(
    String metric,
    String attrs,
    long count,
    double sum,
    double min,
    double max,
    double last,
    long lastTs) {

  public SeriesRollup {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(attrs, "attrs");
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    if (!(min <= max)) {
      throw new IllegalArgumentException("min " + min + " is above max " + max);
    }
  }

  public double avg() {
    return sum / count;
  }

  public String seriesKey() {
    return SeriesKey.of(metric, attrs);
  }

  /** This bucket merged with another bucket of the same series. */
  public SeriesRollup merge(SeriesRollup o) {
    boolean theirsIsLast = o.lastTs >= lastTs;
    return new SeriesRollup(
        metric,
        attrs,
        count + o.count,
        sum + o.sum,
        Math.min(min, o.min),
        Math.max(max, o.max),
        theirsIsLast ? o.last : last,
        theirsIsLast ? o.lastTs : lastTs);
  }
}
