package io.sysmonstm.relay.series;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * One point of a series: a bucket (or a raw sample, count 1) starting at {@code t}. Quantiles are
 * {@code null} until rollups carry sketches.
 */
public record Point(
    Instant t,
    long count,
    double min,
    double max,
    double avg,
    Double p50,
    Double p95,
    Double p99,
    double last) {

  public Point {
    Objects.requireNonNull(t, "t");
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
  }

  /** A raw sample as a point. */
  /** One raw sample: every statistic, quantiles included, is the value itself. */
  public static Point raw(Instant t, double value) {
    return new Point(t, 1, value, value, value, value, value, value, value);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("t", t.toString())
        .put("count", count)
        .put("min", finite(min))
        .put("max", finite(max))
        .put("avg", finite(avg))
        .put("p50", p50 == null ? null : finite(p50))
        .put("p95", p95 == null ? null : finite(p95))
        .put("p99", p99 == null ? null : finite(p99))
        .put("last", finite(last));
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
