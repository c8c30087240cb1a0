package io.sysmonstm.analytics.raw;

import java.util.Objects;

/**
 * One sample: a series value at an instant, a row of {@code late_samples} (raw samples go to {@code
 * samples_raw} as {@link SnapshotRow}s).
 *
 * @param hostId host
 * @param metric metric name
 * @param attrs canonical attrs JSON
 * @param tsMs event time, epoch milliseconds
 * @param value the value
 */
public record SampleRow(String hostId, String metric, String attrs, long tsMs, double value) {
  public SampleRow {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(attrs, "attrs");
  }
}
