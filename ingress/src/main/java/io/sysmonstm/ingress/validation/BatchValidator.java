package io.sysmonstm.ingress.validation;

import io.sysmonstm.config.Durations;
import io.sysmonstm.proto.v1.HostFacts;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.Sample;
import io.sysmonstm.proto.v1.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a {@link MetricBatch} against the wire contract and the configured {@link BatchLimits}. A
 * batch is accepted or refused whole; the answer names the first problem found, with the field's
 * path, so a collector's operator can find it (e.g. {@code snapshots[0].samples[3].value is NaN
 * (metric system.cpu.utilization)}).
 *
 * <p>Thread-safe; costs one pass over the samples, no allocation for a valid batch.
 */
public final class BatchValidator {
  public static final String HOST_ID_PATTERN = "^[A-Za-z0-9._-]{1,253}$";
  public static final String METRIC_PATTERN = "^[a-z][a-z0-9_.]*$";
  public static final int MAX_HOST_ID_LENGTH = 253;
  public static final int MAX_METRIC_LENGTH = 255;
  public static final int MAX_RUN_ID_LENGTH = 128;

  /** Longest piece of client text quoted back in a message. */
  private static final int QUOTE_LIMIT = 64;

  private final BatchLimits limits;
  private final Clock clock;

  public BatchValidator(BatchLimits limits, Clock clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The first problem of {@code batch}, or empty when it may be written to Kafka. */
  public Optional<String> validate(MetricBatch batch) {
    return Optional.ofNullable(firstProblem(batch));
  }

  private String firstProblem(MetricBatch b) {
    String hostId = b.getHostId();
    if (!isHostId(hostId)) {
      return "host_id " + quote(hostId) + " does not match " + HOST_ID_PATTERN;
    }
    if (b.getRunId().isEmpty()) {
      return "run_id is empty";
    }
    if (b.getRunId().length() > MAX_RUN_ID_LENGTH) {
      return "run_id is longer than " + MAX_RUN_ID_LENGTH + " characters";
    }
    if (b.getSeq() == 0) {
      return "seq must be >= 1";
    }
    String facts = factsProblem(b.getFacts());
    if (facts != null) {
      return facts;
    }
    if (b.getSnapshotsCount() == 0) {
      return "no snapshots";
    }
    long samples = 0;
    for (Snapshot s : b.getSnapshotsList()) {
      samples += s.getSamplesCount();
    }
    if (samples > limits.maxSamples()) {
      return "batch has " + samples + " samples (max " + limits.maxSamples() + ")";
    }
    long now = clock.millis();
    for (int i = 0; i < b.getSnapshotsCount(); i++) {
      String problem = snapshotProblem(i, b.getSnapshots(i), now);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private String factsProblem(HostFacts f) {
    int max = limits.maxAttributeLength();
    if (f.getHostname().length() > max) {
      return "facts.hostname is longer than " + max + " characters";
    }
    if (f.getOs().length() > max) {
      return "facts.os is longer than " + max + " characters";
    }
    if (f.getCollectorVersion().length() > max) {
      return "facts.collector_version is longer than " + max + " characters";
    }
    if (f.getCores() < 0) {
      return "facts.cores " + f.getCores() + " is negative";
    }
    if (f.getMemoryTotalBytes() < 0) {
      return "facts.memory_total_bytes " + f.getMemoryTotalBytes() + " is negative";
    }
    return null;
  }

  private String snapshotProblem(int i, Snapshot s, long now) {
    String at = "snapshots[" + i + "]";
    long ts = s.getTimestampMs();
    // a client timestamp can be any long: saturate instead of overflowing
    long ahead = saturatedDiff(ts, now);
    if (ahead > limits.maxFutureSkew().toMillis()) {
      return at
          + ".timestamp_ms "
          + ts
          + " is "
          + exact(ahead)
          + " in the future (max "
          + Durations.format(limits.maxFutureSkew())
          + ")";
    }
    long age = saturatedDiff(now, ts);
    if (age > limits.maxAge().toMillis()) {
      return at
          + ".timestamp_ms "
          + ts
          + " is "
          + exact(age)
          + " old (max "
          + Durations.format(limits.maxAge())
          + ")";
    }
    for (int j = 0; j < s.getSamplesCount(); j++) {
      String problem = sampleProblem(at + ".samples[" + j + "]", s.getSamples(j));
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private String sampleProblem(String at, Sample sample) {
    String metric = sample.getMetric();
    if (metric.isEmpty()) {
      return at + ".metric is empty";
    }
    if (metric.length() > MAX_METRIC_LENGTH) {
      return at + ".metric is longer than " + MAX_METRIC_LENGTH + " characters";
    }
    if (!isMetricName(metric)) {
      return at + ".metric " + quote(metric) + " does not match " + METRIC_PATTERN;
    }
    double v = sample.getValue();
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return at + ".value is " + v + " (metric " + metric + ")";
    }
    Map<String, String> attrs = sample.getAttributesMap();
    if (attrs.size() > limits.maxAttributes()) {
      return at
          + " has "
          + attrs.size()
          + " attributes (max "
          + limits.maxAttributes()
          + ", metric "
          + metric
          + ")";
    }
    int max = limits.maxAttributeLength();
    for (Map.Entry<String, String> e : attrs.entrySet()) {
      String key = e.getKey();
      if (key.isEmpty()) {
        return at + ".attributes has an empty key (metric " + metric + ")";
      }
      if (key.length() > max) {
        return at
            + ".attributes key "
            + quote(key)
            + " is longer than "
            + max
            + " characters (metric "
            + metric
            + ")";
      }
      if (e.getValue().length() > max) {
        return at
            + ".attributes["
            + quote(key)
            + "] is longer than "
            + max
            + " characters (metric "
            + metric
            + ")";
      }
    }
    return null;
  }

  static boolean isHostId(String s) {
    int n = s.length();
    if (n < 1 || n > MAX_HOST_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static boolean isMetricName(String s) {
    if (s.isEmpty() || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static long saturatedDiff(long a, long b) {
    long d = a - b;
    // overflow when the operands have different signs and the result's sign differs from a's
    if (((a ^ b) & (a ^ d)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return d;
  }

  /** A duration exact to the millisecond, e.g. {@code 3h}, {@code 5m1ms}. */
  private static String exact(long millis) {
    return Durations.format(Duration.ofMillis(millis));
  }

  /**
   * Client text quoted for a message: single quotes, cut at {@value #QUOTE_LIMIT} chars, control
   * characters shown as {@code ?}.
   */
  private static String quote(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), QUOTE_LIMIT) + 5).append('\'');
    for (int i = 0; i < s.length() && i < QUOTE_LIMIT; i++) {
      char c = s.charAt(i);
      // control characters would break a log line or a status description
      b.append(c < ' ' || c == 127 ? '?' : c);
    }
    return b.append(s.length() > QUOTE_LIMIT ? "...'" : "'").toString();
  }
}
