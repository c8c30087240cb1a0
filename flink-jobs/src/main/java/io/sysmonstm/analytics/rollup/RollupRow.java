package io.sysmonstm.analytics.rollup;

import java.util.Objects;

/**
 * One row of {@code rollup_1m} or {@code rollup_1h}: one series of one host over one bucket.
 *
 * @param hostId host
 * @param metric metric name
 * @param attrs canonical attrs JSON
 * @param bucketMs bucket start, epoch ms
 * @param count number of samples
 * @param sum sum
 * @param min minimum
 * @param max maximum
 * @param avg {@code sum / count}
 * @param last newest value
 * @param lastTsMs timestamp of {@code last}, epoch ms
 */
public record RollupRow(
    String hostId,
    String metric,
    String attrs,
    long bucketMs,
    long count,
    double sum,
    double min,
    double max,
    double avg,
    double last,
    long lastTsMs) {

  public RollupRow {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(attrs, "attrs");
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
  }

  static RollupRow of(String hostId, long bucketMs, SeriesRollup s) {
    return new RollupRow(
        hostId,
        s.metric(),
        s.attrs(),
        bucketMs,
        s.count(),
        s.sum(),
        s.min(),
        s.max(),
        s.avg(),
        s.last(),
        s.lastTs());
  }
}
