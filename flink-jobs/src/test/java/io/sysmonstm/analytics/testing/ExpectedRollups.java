package io.sysmonstm.analytics.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.analytics.rollup.RollupRow;
import io.sysmonstm.analytics.sketch.ValueSketch;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rollups computed independently of the job, straight from the input: the distinct snapshots
 * (by host, run, seq and timestamp), grouped per host, series and bucket, with exact sums
 * (BigDecimal) and exact quantiles (sorted values).
 */
public final class ExpectedRollups {
  public static final long MINUTE_MS = 60_000;
  public static final long HOUR_MS = 3_600_000;

  /** Primary key of a rollup row. */
  public record Key(String hostId, String metric, String attrs, long bucketMs)
      implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = hostId.compareTo(o.hostId);
      c = c != 0 ? c : metric.compareTo(o.metric);
      c = c != 0 ? c : attrs.compareTo(o.attrs);
      return c != 0 ? c : Long.compare(bucketMs, o.bucketMs);
    }

    public static Key of(RollupRow r) {
      return new Key(r.hostId(), r.metric(), r.attrs(), r.bucketMs());
    }
  }

  /** What one row must hold. */
  public static final class Bucket {
    public long count;
    public BigDecimal exactSum = BigDecimal.ZERO;
    public double absSum;
    public double min = Double.POSITIVE_INFINITY;
    public double max = Double.NEGATIVE_INFINITY;
    public double last;
    public long lastTs = Long.MIN_VALUE;
    public final List<Double> values = new ArrayList<>();

    void add(double v, long ts) {
      count++;
      exactSum = exactSum.add(new BigDecimal(v));
      absSum += Math.abs(v);
      min = Math.min(min, v);
      max = Math.max(max, v);
      if (ts > lastTs || (ts == lastTs && v > last)) {
        last = v;
        lastTs = ts;
      }
      values.add(v);
    }

    /** The exact quantile in DDSketch's definition: rank floor(q·(n−1)) of the sorted values. */
    public double exactQuantile(double q) {
      List<Double> sorted = new ArrayList<>(values);
      sorted.sort(Double::compare);
      return sorted.get((int) Math.floor(q * (double) (sorted.size() - 1)));
    }

    /** The sketch of the values, built directly. */
    public byte[] sketch() {
      ValueSketch s = new ValueSketch();
      values.forEach(s::add);
      return s.encode();
    }
  }

  private ExpectedRollups() {}

  /** Distinct snapshots by (host, run, seq, timestamp), first occurrence kept. */
  public static List<HostSnapshot> distinct(Collection<HostSnapshot> snapshots) {
    Map<List<Object>, HostSnapshot> seen = new LinkedHashMap<>();
    for (HostSnapshot s : snapshots) {
      seen.putIfAbsent(List.of(s.hostId(), s.runId(), s.seq(), s.timestampMs()), s);
    }
    return new ArrayList<>(seen.values());
  }

  /** Expected rows of buckets of {@code bucketMs} over {@code distinctSnapshots}. */
  public static Map<Key, Bucket> of(Collection<HostSnapshot> distinctSnapshots, long bucketMs) {
    Map<Key, Bucket> out = new TreeMap<>();
    for (HostSnapshot s : distinctSnapshots) {
      long bucket = Math.floorDiv(s.timestampMs(), bucketMs) * bucketMs;
      for (Sample sample : s.samples()) {
        out.computeIfAbsent(
                new Key(s.hostId(), sample.metric(), sample.attrs(), bucket), k -> new Bucket())
            .add(sample.value(), s.timestampMs());
      }
    }
    return out;
  }

  /**
   * Asserts that {@code row} holds what {@code expected} says: count, min, max, last and the sketch
   * exactly; the sum and average within 1e-9 of the exact ones (floating-point addition depends on
   * the order); p50, p95 and p99 within {@link ValueSketch#RELATIVE_ACCURACY} of the exact
   * quantiles, and ordered within [min, max].
   */
  public static void assertRowMatches(RollupRow row, Bucket expected) {
    String what = row.hostId() + " " + row.metric() + row.attrs() + " @" + row.bucketMs();
    double sumTolerance = 1e-9 * Math.max(1, expected.absSum);
    assertThat(row.count()).as(what + " count").isEqualTo(expected.count);
    assertThat(Math.abs(row.sum() - expected.exactSum.doubleValue()))
        .as(what + " sum " + row.sum() + " vs exact " + expected.exactSum)
        .isLessThanOrEqualTo(sumTolerance);
    assertThat(row.min()).as(what + " min").isEqualTo(expected.min);
    assertThat(row.max()).as(what + " max").isEqualTo(expected.max);
    assertThat(row.avg()).as(what + " avg within [min, max]").isBetween(row.min(), row.max());
    assertThat(Math.abs(row.avg() - expected.exactSum.doubleValue() / expected.count))
        .as(what + " avg")
        .isLessThanOrEqualTo(sumTolerance / expected.count);
    assertThat(row.last()).as(what + " last").isEqualTo(expected.last);
    assertThat(row.lastTsMs()).as(what + " last_ts").isEqualTo(expected.lastTs);
    assertThat(row.sketch()).as(what + " sketch").isEqualTo(expected.sketch());
    assertQuantile(what + " p50", row.p50(), expected.exactQuantile(0.50));
    assertQuantile(what + " p95", row.p95(), expected.exactQuantile(0.95));
    assertQuantile(what + " p99", row.p99(), expected.exactQuantile(0.99));
    assertThat(row.min()).as(what + " min <= p50").isLessThanOrEqualTo(row.p50());
    assertThat(row.p50()).as(what + " p50 <= p95").isLessThanOrEqualTo(row.p95());
    assertThat(row.p95()).as(what + " p95 <= p99").isLessThanOrEqualTo(row.p99());
    assertThat(row.p99()).as(what + " p99 <= max").isLessThanOrEqualTo(row.max());
  }

  /**
   * |estimate − exact| ≤ RELATIVE_ACCURACY · |exact|, up to the rounding of the doubles themselves
   * (1e-12 relative): a bin's value can sit exactly on the bound, e.g. 1.01 for 1.0, and {@code
   * 1.01 - 1.0} is 0.010000000000000009 in double arithmetic.
   */
  public static void assertQuantile(String what, double estimate, double exact) {
    assertThat(Math.abs(estimate - exact))
        .as(what + ": estimate " + estimate + " vs exact " + exact)
        .isLessThanOrEqualTo((ValueSketch.RELATIVE_ACCURACY + ROUNDING) * Math.abs(exact));
  }

  /** Relative slack for floating-point rounding in quantile comparisons. */
  public static final double ROUNDING = 1e-12;

  /** Asserts that {@code table} (one row per key) holds exactly the expected rows. */
  public static void assertTableMatches(Map<Key, RollupRow> table, Map<Key, Bucket> expected) {
    assertThat(table.keySet())
        .as("rows (no bucket missing, none extra)")
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((k, b) -> assertRowMatches(table.get(k), b));
  }
}
