package io.sysmonstm.analytics.rollup;

import java.util.Arrays;
import java.util.Objects;

/**
 * One row of {@code rollup_1m} or {@code rollup_1h}: one series of one host over one bucket, with
 * absolute values (a sink upserts it whole).
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
 * @param p50 median (within 1 %, see {@link io.sysmonstm.analytics.sketch.ValueSketch})
 * @param p95 95th percentile
 * @param p99 99th percentile
 * @param sketch the encoded DDSketch of the bucket's values
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
    long lastTsMs,
    double p50,
    double p95,
    double p99,
    byte[] sketch) {

  public RollupRow {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(attrs, "attrs");
    Objects.requireNonNull(sketch, "sketch");
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
        s.lastTs(),
        s.p50(),
        s.p95(),
        s.p99(),
        s.sketch().encode());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RollupRow r
        && hostId.equals(r.hostId)
        && metric.equals(r.metric)
        && attrs.equals(r.attrs)
        && bucketMs == r.bucketMs
        && count == r.count
        && Double.compare(sum, r.sum) == 0
        && Double.compare(min, r.min) == 0
        && Double.compare(max, r.max) == 0
        && Double.compare(avg, r.avg) == 0
        && Double.compare(last, r.last) == 0
        && lastTsMs == r.lastTsMs
        && Double.compare(p50, r.p50) == 0
        && Double.compare(p95, r.p95) == 0
        && Double.compare(p99, r.p99) == 0
        && Arrays.equals(sketch, r.sketch);
  }

  @Override
  public int hashCode() {
    return Objects.hash(hostId, metric, attrs, bucketMs, count, sum, Arrays.hashCode(sketch));
  }

  @Override
  public String toString() {
    return "RollupRow[hostId="
        + hostId
        + ", metric="
        + metric
        + ", attrs="
        + attrs
        + ", bucketMs="
        + bucketMs
        + ", count="
        + count
        + ", sum="
        + sum
        + ", min="
        + min
        + ", max="
        + max
        + ", avg="
        + avg
        + ", last="
        + last
        + ", lastTsMs="
        + lastTsMs
        + ", p50="
        + p50
        + ", p95="
        + p95
        + ", p99="
        + p99
        + ", sketch="
        + sketch.length
        + " bytes]";
  }
}
