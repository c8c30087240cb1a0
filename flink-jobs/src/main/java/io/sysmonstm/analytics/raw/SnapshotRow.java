package io.sysmonstm.analytics.raw;

import java.util.Arrays;
import java.util.Objects;

/**
 * One row of {@code samples_raw}: every series of one host snapshot, in three parallel arrays (the
 * view {@code samples} unnests it into one row per sample).
 *
 * @param hostId host
 * @param tsMs event time, epoch milliseconds
 * @param metrics metric name of each series
 * @param attrs canonical attrs JSON of each series
 * @param values value of each series
 */
public record SnapshotRow(
    String hostId, long tsMs, String[] metrics, String[] attrs, double[] values) {

  public SnapshotRow {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(attrs, "attrs");
    Objects.requireNonNull(values, "values");
    if (metrics.length != attrs.length || metrics.length != values.length) {
      throw new IllegalArgumentException(
          "metrics, attrs and values must be parallel, got lengths "
              + metrics.length
              + ", "
              + attrs.length
              + ", "
              + values.length);
    }
  }

  /** Series in the row. */
  public int size() {
    return metrics.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SnapshotRow r
        && hostId.equals(r.hostId)
        && tsMs == r.tsMs
        && Arrays.equals(metrics, r.metrics)
        && Arrays.equals(attrs, r.attrs)
        && Arrays.equals(values, r.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        hostId, tsMs, Arrays.hashCode(metrics), Arrays.hashCode(attrs), Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return "SnapshotRow[hostId="
        + hostId
        + ", tsMs="
        + tsMs
        + ", metrics="
        + Arrays.toString(metrics)
        + ", attrs="
        + Arrays.toString(attrs)
        + ", values="
        + Arrays.toString(values)
        + "]";
  }
}
