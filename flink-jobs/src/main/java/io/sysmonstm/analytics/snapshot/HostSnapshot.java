package io.sysmonstm.analytics.snapshot;

import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Everything sampled on one host at one instant: the record that flows through the job. One
 * snapshot stays one record (its samples in an array) so per-record costs are paid per host and
 * instant, not per sample.
 *
 * @param hostId stable identity of the host
 * @param runId identity of the collector process that sent it
 * @param seq the collector's batch sequence number; with {@code hostId} and {@code runId} it
 *     identifies the batch the snapshot came in
 * @param timestampMs event time, epoch milliseconds
 * @param facts the host's facts at that time
 * @param samples the values sampled at that instant
 */
@TypeInfo(HostSnapshotTypeInfoFactory.class)
public record HostSnapshot(
    String hostId, String runId, long seq, long timestampMs, HostFacts facts, Sample[] samples) {

  public HostSnapshot {
    if (hostId == null || hostId.isEmpty()) {
      throw new IllegalArgumentException("hostId must not be empty");
    }
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(facts, "facts");
    Objects.requireNonNull(samples, "samples");
    if (timestampMs <= 0) {
      throw new IllegalArgumentException("timestampMs must be positive, got " + timestampMs);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostSnapshot s
        && hostId.equals(s.hostId)
        && runId.equals(s.runId)
        && seq == s.seq
        && timestampMs == s.timestampMs
        && facts.equals(s.facts)
        && Arrays.equals(samples, s.samples);
  }

  @Override
  public int hashCode() {
    return Objects.hash(hostId, runId, seq, timestampMs, facts, Arrays.hashCode(samples));
  }

  @Override
  public String toString() {
    return "HostSnapshot[hostId="
        + hostId
        + ", runId="
        + runId
        + ", seq="
        + seq
        + ", timestampMs="
        + timestampMs
        + ", facts="
        + facts
        + ", samples="
        + Arrays.toString(samples)
        + "]";
  }
}
