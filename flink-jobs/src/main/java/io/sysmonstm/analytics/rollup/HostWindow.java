package io.sysmonstm.analytics.rollup;

import io.sysmonstm.analytics.snapshot.HostFacts;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * The accumulator of one host's window: per-series statistics keyed by series key, plus the
 * identity and facts of the newest snapshot. One state entry per host and window, updated once per
 * batch of snapshots ({@link MinuteBatch}). A Flink POJO: the map is declared as {@code Map<String,
 * SeriesStats>}, which Flink 2.x serializes with its own map serializer (no Kryo).
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

  /**
   * Adds the batch's snapshots one by one in their order: the same result as adding each snapshot
   * on its own, with one lookup per series and batch instead of per sample.
   */
  void add(MinuteBatch b) {
    if (b.size() == 0) {
      return; // an empty closing batch (MinuteBatches) adds nothing; a window of only that is empty
    }
    if (hostId == null) {
      hostId = b.hostId;
    }
    SeriesStats[] stats = new SeriesStats[b.keys.length];
    for (int i = 0; i < stats.length; i++) {
      String metric = b.metrics[i];
      String attrs = b.attrs[i];
      stats[i] = series.computeIfAbsent(b.keys[i], k -> new SeriesStats(metric, attrs));
    }
    int sample = 0;
    for (int j = 0; j < b.timestamps.length; j++) {
      long ts = b.timestamps[j];
      if (ts >= lastTs) {
        lastTs = ts;
        runId = b.runIds[j];
        seq = b.seqs[j];
        facts = b.facts[j];
      }
      firstTs = Math.min(firstTs, ts);
      for (int end = b.sampleEnds[j]; sample < end; sample++) {
        stats[b.seriesIndex[sample]].add(b.values[sample], ts);
      }
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
