package io.sysmonstm.analytics.rollup;

import io.sysmonstm.analytics.dedup.SeenBatches;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.testing.ExpectedRollups.Key;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.util.ListCollector;

/**
 * The job's rollup path with Flink's event-time window semantics spelled out, for property tests of
 * the aggregation: resent snapshots are dropped by {@link SeenBatches}; minute windows fire when
 * the watermark passes their end and again for each late snapshot within the allowed lateness
 * (complete each time); the hour window takes the minute emissions, fires the same way and merges
 * the newest emission of each minute ({@link HourFromMinutes}). Rows go to "tables" where the last
 * write per primary key wins, as with the upserting sinks.
 */
final class WindowModel {
  static final long MINUTE = 60_000;
  static final long HOUR = 3_600_000;

  private final long allowedLateness;
  private final long outOfOrderness;
  private final MinuteAggregate agg = new MinuteAggregate();
  private final Map<List<String>, SeenBatches> seen = new HashMap<>();
  private final Map<List<Object>, HostWindow> minutes = new TreeMap<>(WindowModel::compareKeys);
  private final Map<List<Object>, List<HostRollup>> hours = new TreeMap<>(WindowModel::compareKeys);
  private final TreeSet<List<Object>> unfiredMinutes = new TreeSet<>(WindowModel::compareKeys);
  private final TreeSet<List<Object>> unfiredHours = new TreeSet<>(WindowModel::compareKeys);
  private long maxTs = Long.MIN_VALUE;
  private long minuteWatermark = Long.MIN_VALUE;
  private long hourWatermark = Long.MIN_VALUE;

  final Map<Key, RollupRow> rollup1m = new LinkedHashMap<>();
  final Map<Key, RollupRow> rollup1h = new LinkedHashMap<>();
  final List<HostSnapshot> late = new ArrayList<>();
  int duplicates;
  int minuteEmissions;

  WindowModel(long allowedLateness, long outOfOrderness) {
    this.allowedLateness = allowedLateness;
    this.outOfOrderness = outOfOrderness;
  }

  private static int compareKeys(List<Object> a, List<Object> b) {
    int c = Long.compare((Long) a.get(1), (Long) b.get(1));
    return c != 0 ? c : ((String) a.get(0)).compareTo((String) b.get(0));
  }

  /** One snapshot reaches the job. */
  void deliver(HostSnapshot s) {
    SeenBatches run = seen.computeIfAbsent(List.of(s.hostId(), s.runId()), k -> new SeenBatches());
    if (run.accept(s.seq(), s.timestampMs()) == SeenBatches.Verdict.DUPLICATE) {
      duplicates++;
      return;
    }
    maxTs = Math.max(maxTs, s.timestampMs());
    long start = Math.floorDiv(s.timestampMs(), MINUTE) * MINUTE;
    long maxTimestamp = start + MINUTE - 1;
    if (maxTimestamp + allowedLateness <= minuteWatermark) {
      late.add(s);
      return;
    }
    List<Object> key = List.of(s.hostId(), start);
    agg.add(MinuteBatch.of(s), minutes.computeIfAbsent(key, k -> newWindow(k, unfiredMinutes)));
    if (maxTimestamp <= minuteWatermark) {
      fireMinute(key);
    }
  }

  /** The source emits its periodic watermark (bounded out-of-orderness). */
  void emitWatermark() {
    if (maxTs != Long.MIN_VALUE) {
      advance(maxTs - outOfOrderness - 1);
    }
  }

  /** End of input: the final watermark fires every window. */
  void finish() {
    advance(Long.MAX_VALUE);
  }

  private void advance(long watermark) {
    if (watermark <= minuteWatermark) {
      return;
    }
    minuteWatermark = watermark;
    while (!unfiredMinutes.isEmpty()
        && (Long) unfiredMinutes.first().get(1) + MINUTE - 1 <= watermark) {
      fireMinute(unfiredMinutes.first());
    }
    hourWatermark = watermark;
    while (!unfiredHours.isEmpty() && (Long) unfiredHours.first().get(1) + HOUR - 1 <= watermark) {
      fireHour(unfiredHours.first());
    }
  }

  private HostWindow newWindow(List<Object> key, TreeSet<List<Object>> unfired) {
    unfired.add(key);
    return agg.createAccumulator();
  }

  private void fireMinute(List<Object> key) {
    unfiredMinutes.remove(key);
    minuteEmissions++;
    HostRollup r = minutes.get(key).toRollup((Long) key.get(1));
    write(r, rollup1m);
    long start = Math.floorDiv(r.bucketStartMs(), HOUR) * HOUR;
    long maxTimestamp = start + HOUR - 1;
    if (maxTimestamp + allowedLateness <= hourWatermark) {
      throw new AssertionError("a minute emission was late for its hour: " + r);
    }
    List<Object> hourKey = List.of(r.hostId(), start);
    hours
        .computeIfAbsent(
            hourKey,
            k -> {
              unfiredHours.add(k);
              return new ArrayList<>();
            })
        .add(r);
    if (maxTimestamp <= hourWatermark) {
      fireHour(hourKey);
    }
  }

  private void fireHour(List<Object> key) {
    unfiredHours.remove(key);
    BucketMerge.merge((Long) key.get(1), BucketMerge.newestPerBucket(hours.get(key)))
        .ifPresent(r -> write(r, rollup1h));
  }

  private static void write(HostRollup r, Map<Key, RollupRow> table) {
    List<RollupRow> rows = new ArrayList<>();
    new RollupRows().flatMap(r, new ListCollector<>(rows));
    rows.forEach(row -> table.put(Key.of(row), row));
  }
}
