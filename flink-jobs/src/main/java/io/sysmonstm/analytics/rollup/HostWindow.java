package io.sysmonstm.analytics.rollup;

import io.sysmonstm.analytics.snapshot.HostFacts;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * The accumulator of one host's window: per-series statistics keyed by series key, plus the
 * identity and facts of the newest snapshot. One state entry per host and window, updated once per
 * snapshot. A Flink POJO: the map is declared as {@code Map<String, SeriesStats>}, which Flink 2.x
 * serializes with its own map serializer (no Kryo).
 */
public class HostWindow {
  public String hostId;
  public String runId;
  public long seq;
  public HostFacts facts;
  public long firstTs = Long.MAX_VALUE;
  public long lastTs = Long.MIN_VALUE;
  public Map<String, SeriesStats> series = new HashMap<>();

  /** For Flink's POJO serializer. */
  public HostWindow() {}

  void add(HostSnapshot s) {
    if (hostId == null) {
      hostId = s.hostId();
    }
    if (s.timestampMs() >= lastTs) {
      lastTs = s.timestampMs();
      runId = s.runId();
      seq = s.seq();
      facts = s.facts();
    }
    firstTs = Math.min(firstTs, s.timestampMs());
    for (Sample sample : s.samples()) {
      series
          .computeIfAbsent(
              sample.seriesKey(), k -> new SeriesStats(sample.metric(), sample.attrs()))
          .add(sample.value(), s.timestampMs());
    }
  }

  void merge(HostWindow other) {
    if (other.hostId == null) {
      return;
    }
    if (hostId == null) {
      hostId = other.hostId;
    }
    if (other.lastTs >= lastTs) {
      lastTs = other.lastTs;
      runId = other.runId;
      seq = other.seq;
      facts = other.facts;
    }
    firstTs = Math.min(firstTs, other.firstTs);
    other.series.forEach(
        (key, stats) ->
            series.merge(
                key,
                stats,
                (mine, theirs) -> {
                  mine.merge(theirs);
                  return mine;
                }));
  }

  /** The window's result, stamped with the bucket start; series sorted by series key. */
  public HostRollup toRollup(long bucketStartMs) {
    SeriesRollup[] rollups =
        series.entrySet().stream()
            .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
            .map(e -> e.getValue().toRollup())
            .toArray(SeriesRollup[]::new);
    return new HostRollup(
        hostId,
        runId == null ? "" : runId,
        seq,
        facts == null ? HostFacts.UNKNOWN : facts,
        bucketStartMs,
        firstTs,
        lastTs,
        rollups);
  }
}
