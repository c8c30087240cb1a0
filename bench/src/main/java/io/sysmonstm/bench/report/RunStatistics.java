package io.sysmonstm.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The figures of a report computed from what a run observed: rates, lag, checkpoints. */
public final class RunStatistics {
  private RunStatistics() {}

  /**
   * What the fleet wrote: {@code acked} snapshots of {@code series} series in {@code nanos}.
   *
   * @param nominalSamplesPerSecond what the fleet is meant to send
   */
  public static BenchReport.Production production(
      long acked, long bytes, int series, long nanos, double nominalSamplesPerSecond) {
    double seconds = Math.max(1e-9, nanos / 1e9);
    long samples = acked * series;
    return new BenchReport.Production(
        acked, samples, bytes, seconds, samples / seconds, nominalSamplesPerSecond);
  }

  /**
   * The lag in live mode: samples acknowledged by Kafka and not yet read, at each point taken while
   * the fleet produced.
   *
   * @param points (nanoTime, snapshots read, snapshots acknowledged by Kafka), once a second
   * @param productionStart nanoTime production began
   * @param productionEnd nanoTime production ended, 0 while it has not
   * @param drainedNanos nanoTime everything was read, 0 if it never was
   * @param series samples per snapshot
   * @param nominalSamplesPerSecond what the fleet is meant to send
   */
  public static BenchReport.Lag lag(
      List<long[]> points,
      long productionStart,
      long productionEnd,
      long drainedNanos,
      int series,
      double nominalSamplesPerSecond) {
    long ps = productionStart;
    long pe = productionEnd == 0 ? Long.MAX_VALUE : productionEnd;
    List<BenchReport.LagPoint> pts = new ArrayList<>();
    long max = 0;
    long end = 0;
    for (long[] p : points) {
      if (p[0] < ps || p[0] > pe) {
        continue;
      }
      long lag = Math.max(0, p[2] - p[1]) * series;
      pts.add(new BenchReport.LagPoint((p[0] - ps) / 1e9, lag));
      max = Math.max(max, lag);
      end = lag;
    }
    double half = pts.isEmpty() ? 0 : pts.get(pts.size() - 1).t() / 2;
    List<double[]> second = new ArrayList<>();
    for (BenchReport.LagPoint p : pts) {
      if (p.t() >= half) {
        second.add(new double[] {p.t(), p.samples()});
      }
    }
    double growth = slope(second);
    double drain =
        drainedNanos == 0 || pe == Long.MAX_VALUE
            ? Double.NaN
            : Math.max(0, (drainedNanos - pe) / 1e9);
    double nominal = nominalSamplesPerSecond;
    boolean keptUp = drainedNanos != 0 && end <= 5 * nominal && growth <= 0.02 * nominal;
    return new BenchReport.Lag(pts, max, end, growth, drain, keptUp);
  }

  /** Snapshots per second between 10 % and 90 % read (least squares), 0 without enough points. */
  public static double steadyRate(List<long[]> points, long expected) {
    List<double[]> xy = new ArrayList<>();
    for (long[] p : points) {
      if (p[1] >= expected * 0.1 && p[1] <= expected * 0.9) {
        xy.add(new double[] {p[0] / 1e9, p[1]});
      }
    }
    return xy.size() < 3 ? 0 : slope(xy);
  }

  /** Least-squares slope of y over x; 0 for fewer than two points. */
  public static double slope(List<double[]> xy) {
    int n = xy.size();
    if (n < 2) {
      return 0;
    }
    double mx = 0;
    double my = 0;
    for (double[] p : xy) {
      mx += p[0];
      my += p[1];
    }
    mx /= n;
    my /= n;
    double num = 0;
    double den = 0;
    for (double[] p : xy) {
      num += (p[0] - mx) * (p[1] - my);
      den += (p[0] - mx) * (p[0] - mx);
    }
    return den == 0 ? 0 : num / den;
  }

  /**
   * Statistics of the checkpoints triggered before {@code untilWallMs}, from the job's checkpoint
   * statistics ({@code /jobs/:id/checkpoints}).
   *
   * @param longest the details of the longest of the completed checkpoints (id to duration), or
   *     null
   */
  public static BenchReport.Checkpoints checkpoints(
      JsonNode json, long untilWallMs, Function<Map<Long, Long>, BenchReport.Slowest> longest) {
    int completed = 0;
    int failed = 0;
    long min = Long.MAX_VALUE;
    long max = 0;
    long sum = 0;
    long lastState = 0;
    long lastId = -1;
    long maxState = 0;
    long maxCheckpointed = 0;
    long maxBuffered = 0;
    TreeMap<Long, Long> durations = new TreeMap<>();
    for (JsonNode c : json.path("history")) {
      if (c.path("is_savepoint").asBoolean(false)
          || c.path("trigger_timestamp").asLong() > untilWallMs) {
        continue;
      }
      String status = c.path("status").asText();
      if (status.equals("FAILED")) {
        failed++;
      } else if (status.equals("COMPLETED")) {
        completed++;
        long d = c.path("end_to_end_duration").asLong();
        durations.put(c.path("id").asLong(), d);
        min = Math.min(min, d);
        max = Math.max(max, d);
        sum += d;
        long state = c.path("state_size").asLong();
        maxState = Math.max(maxState, state);
        maxCheckpointed = Math.max(maxCheckpointed, c.path("checkpointed_size").asLong());
        maxBuffered = Math.max(maxBuffered, c.path("alignment_buffered").asLong());
        if (c.path("id").asLong() > lastId) {
          lastId = c.path("id").asLong();
          lastState = state;
        }
      }
    }
    // a checkpoint that failed to trigger has no history entry: take the job's count
    failed = Math.max(failed, json.path("counts").path("failed").asInt());
    return new BenchReport.Checkpoints(
        completed,
        failed,
        completed == 0 ? 0 : min,
        completed == 0 ? 0 : sum / completed,
        max,
        lastState,
        maxState,
        maxCheckpointed,
        maxBuffered,
        List.copyOf(durations.values()),
        longest.apply(durations));
  }
}
