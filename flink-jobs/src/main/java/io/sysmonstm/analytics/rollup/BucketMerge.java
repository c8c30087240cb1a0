package io.sysmonstm.analytics.rollup;

import io.sysmonstm.analytics.snapshot.HostFacts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Merges a host's smaller buckets into a bigger one (minutes into an hour). */
public final class BucketMerge {

  private BucketMerge() {}

  /**
   * The newest emission of each bucket, given emissions in arrival order, sorted by bucket start: a
   * later emission of the same bucket replaces an earlier one (a window fired again holds
   * everything the first firing held, plus the late data).
   */
  public static Collection<HostRollup> newestPerBucket(Iterable<HostRollup> inArrivalOrder) {
    Map<Long, HostRollup> newest = new TreeMap<>();
    for (HostRollup r : inArrivalOrder) {
      newest.put(r.bucketStartMs(), r);
    }
    return newest.values();
  }

  /**
   * Merges {@code parts} (distinct buckets of one host) into one bucket starting at {@code
   * bucketStartMs}; empty when there are none. Parts are merged in bucket order, so the result does
   * not depend on the order they are given in (sums included); per series, the counts, sums,
   * extremes and sketches are merged, never averaged.
   */
  public static Optional<HostRollup> merge(long bucketStartMs, Collection<HostRollup> parts) {
    List<HostRollup> ordered = new ArrayList<>(parts);
    ordered.sort(Comparator.comparingLong(HostRollup::bucketStartMs));
    HostRollup newest = null;
    long firstSeen = Long.MAX_VALUE;
    Map<String, SeriesStats> series = new TreeMap<>();
    for (HostRollup part : ordered) {
      if (newest == null || part.lastSeenMs() >= newest.lastSeenMs()) {
        newest = part;
      }
      firstSeen = Math.min(firstSeen, part.firstSeenMs());
      for (SeriesRollup s : part.series()) {
        SeriesStats stats = SeriesStats.of(s);
        series.merge(
            s.seriesKey(),
            stats,
            (mine, theirs) -> {
              mine.merge(theirs);
              return mine;
            });
      }
    }
    if (newest == null) {
      return Optional.empty();
    }
    HostFacts facts = newest.facts();
    return Optional.of(
        new HostRollup(
            newest.hostId(),
            newest.runId(),
            newest.seq(),
            facts,
            bucketStartMs,
            firstSeen,
            newest.lastSeenMs(),
            series.values().stream().map(SeriesStats::toRollup).toArray(SeriesRollup[]::new)));
  }
}
