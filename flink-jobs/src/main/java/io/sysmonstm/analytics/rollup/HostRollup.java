package io.sysmonstm.analytics.rollup;

import io.sysmonstm.analytics.snapshot.HostFacts;
import java.util.Arrays;
import java.util.Objects;

/**
 * One host's statistics over one bucket (a minute or an hour): one record per host and bucket,
 * holding every series.
 *
 * @param hostId host
 * @param runId collector run of the newest snapshot in the bucket
 * @param seq batch sequence number of the newest snapshot in the bucket
 * @param facts host facts of the newest snapshot
 * @param bucketStartMs start of the bucket, epoch ms (rows are stamped with it)
 * @param firstSeenMs timestamp of the oldest snapshot in the bucket
 * @param lastSeenMs timestamp of the newest snapshot in the bucket
 * @param series per-series statistics, sorted by series key
 */
public record HostRollup(
    String hostId,
    String runId,
    long seq,
    HostFacts facts,
    long bucketStartMs,
    long firstSeenMs,
    long lastSeenMs,
    SeriesRollup[] series) {

  public HostRollup {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(facts, "facts");
    Objects.requireNonNull(series, "series");
    if (firstSeenMs > lastSeenMs) {
      throw new IllegalArgumentException(
          "firstSeenMs " + firstSeenMs + " is after lastSeenMs " + lastSeenMs);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostRollup r
        && hostId.equals(r.hostId)
        && runId.equals(r.runId)
        && seq == r.seq
        && facts.equals(r.facts)
        && bucketStartMs == r.bucketStartMs
        && firstSeenMs == r.firstSeenMs
        && lastSeenMs == r.lastSeenMs
        && Arrays.equals(series, r.series);
  }

  @Override
  public int hashCode() {
    return Objects.hash(hostId, bucketStartMs, lastSeenMs, Arrays.hashCode(series));
  }

  @Override
  public String toString() {
    return "HostRollup[hostId="
        + hostId
        + ", bucketStartMs="
        + bucketStartMs
        + ", firstSeenMs="
        + firstSeenMs
        + ", lastSeenMs="
        + lastSeenMs
        + ", runId="
        + runId
        + ", seq="
        + seq
        + ", series="
        + Arrays.toString(series)
        + "]";
  }
}
