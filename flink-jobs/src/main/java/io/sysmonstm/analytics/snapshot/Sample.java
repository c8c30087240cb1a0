package io.sysmonstm.analytics.snapshot;

import io.sysmonstm.analytics.series.SeriesKey;
import java.util.Objects;

/**
 * One value of one series in a snapshot.
 *
 * @param metric metric name, e.g. {@code system.cpu.utilization}
 * @param attrs the attributes as canonical JSON ({@link SeriesKey#canonicalAttrs}), {@code {}} when
 *     none
 * @param value a finite value
 */
public record Sample(String metric, String attrs, double value) {

  public Sample {
    if (metric == null || metric.isEmpty()) {
      throw new IllegalArgumentException("metric must not be empty");
    }
    Objects.requireNonNull(attrs, "attrs");
    if (!attrs.startsWith("{")) {
      throw new IllegalArgumentException("attrs must be a JSON object, got " + attrs);
    }
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("value of " + metric + " must be finite, got " + value);
    }
  }

  /** The series key, e.g. {@code system.cpu.utilization{"cpu":"3"}}. */
  public String seriesKey() {
    return SeriesKey.of(metric, attrs);
  }
}
