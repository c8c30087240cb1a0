package io.sysmonstm.analytics.raw;

import io.sysmonstm.analytics.series.SeriesKey;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

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

  /**
   * This row after {@code newer}, a write of the same host and time, was merged into it as {@code
   * samples_raw_merge} (migration V3) does: this row's series that {@code newer} does not carry, in
   * their order, then {@code newer}'s series.
   */
  public SnapshotRow mergedWith(SnapshotRow newer) {
    if (Arrays.equals(metrics, newer.metrics) && Arrays.equals(attrs, newer.attrs)) {
      return newer;
    }
    Set<String> replaced = new HashSet<>();
    for (int i = 0; i < newer.size(); i++) {
      replaced.add(SeriesKey.of(newer.metrics[i], newer.attrs[i]));
    }
    int n = newer.size();
    for (int i = 0; i < size(); i++) {
      if (!replaced.contains(SeriesKey.of(metrics[i], attrs[i]))) {
        n++;
      }
    }
    String[] m = new String[n];
    String[] a = new String[n];
    double[] v = new double[n];
    int j = 0;
    for (int i = 0; i < size(); i++) {
      if (!replaced.contains(SeriesKey.of(metrics[i], attrs[i]))) {
        m[j] = metrics[i];
        a[j] = attrs[i];
        v[j++] = values[i];
      }
    }
    System.arraycopy(newer.metrics, 0, m, j, newer.size());
    System.arraycopy(newer.attrs, 0, a, j, newer.size());
    System.arraycopy(newer.values, 0, v, j, newer.size());
    return new SnapshotRow(hostId, tsMs, m, a, v);
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
