package io.sysmonstm.ingress;

import io.sysmonstm.proto.v1.HostFacts;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.Sample;
import io.sysmonstm.proto.v1.Snapshot;

/** Batches as a collector sends them. */
public final class TestBatches {
  public static final String RUN_ID = "0b6f2a4e-3c59-4d7e-9a51-2f0c8e7d1a11";

  private TestBatches() {}

  /** A valid batch of one snapshot taken {@code timestampMs}. */
  public static MetricBatch valid(String hostId, long seq, long timestampMs) {
    return MetricBatch.newBuilder()
        .setHostId(hostId)
        .setRunId(RUN_ID)
        .setSeq(seq)
        .setFacts(
            HostFacts.newBuilder()
                .setHostname(hostId)
                .setOs("Debian GNU/Linux 12")
                .setCores(8)
                .setMemoryTotalBytes(16_777_216_000L)
                .setCollectorVersion("0.1.0"))
        .addSnapshots(
            Snapshot.newBuilder()
                .setTimestampMs(timestampMs)
                .addSamples(sample("system.cpu.utilization", 0.12 + seq / 1000.0))
                .addSamples(
                    sample("system.cpu.utilization", 0.10).toBuilder().putAttributes("cpu", "0"))
                .addSamples(
                    sample("system.network.io.rate", 1234.5).toBuilder()
                        .putAttributes("device", "eth0")
                        .putAttributes("direction", "receive")))
        .build();
  }

  /** A valid batch taken now. */
  public static MetricBatch valid(String hostId, long seq) {
    return valid(hostId, seq, System.currentTimeMillis());
  }

  /** A batch that fails validation: its first sample's value is NaN. */
  public static MetricBatch withNaN(String hostId, long seq) {
    MetricBatch b = valid(hostId, seq);
    return b.toBuilder()
        .setSnapshots(
            0,
            b.getSnapshots(0).toBuilder()
                .setSamples(0, b.getSnapshots(0).getSamples(0).toBuilder().setValue(Double.NaN)))
        .build();
  }

  public static Sample sample(String metric, double value) {
    return Sample.newBuilder().setMetric(metric).setValue(value).build();
  }
}
