package io.sysmonstm.analytics.source;

import io.sysmonstm.analytics.series.SeriesKey;
import io.sysmonstm.analytics.snapshot.HostFacts;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a {@link MetricBatch} from the wire to our own records: protobuf classes stop here, so Flink
 * state only ever holds {@link HostSnapshot} and friends.
 */
public final class SnapshotMapper {

  /** The snapshots of one batch, and how many samples were dropped as invalid. */
  public record Mapped(List<HostSnapshot> snapshots, int droppedSamples) {}

  private SnapshotMapper() {}

  /**
   * Maps every snapshot of {@code batch}. Samples with a non-finite value or without a metric name
   * are dropped and counted.
   *
   * @throws IllegalArgumentException when the batch as a whole is unusable (no host id, a snapshot
   *     without a timestamp)
   */
  public static Mapped map(MetricBatch batch) {
    if (batch.getHostId().isEmpty()) {
      throw new IllegalArgumentException("batch without host_id");
    }
    HostFacts facts = facts(batch);
    List<HostSnapshot> out = new ArrayList<>(batch.getSnapshotsCount());
    int dropped = 0;
    for (Snapshot s : batch.getSnapshotsList()) {
      if (s.getTimestampMs() <= 0) {
        throw new IllegalArgumentException(
            "snapshot without timestamp_ms in batch seq " + batch.getSeq());
      }
      List<Sample> samples = new ArrayList<>(s.getSamplesCount());
      for (io.sysmonstm.proto.v1.Sample p : s.getSamplesList()) {
        if (p.getMetric().isEmpty() || !Double.isFinite(p.getValue())) {
          dropped++;
          continue;
        }
        samples.add(
            new Sample(
                p.getMetric(), SeriesKey.canonicalAttrs(p.getAttributesMap()), p.getValue()));
      }
      out.add(
          new HostSnapshot(
              batch.getHostId(),
              batch.getRunId(),
              batch.getSeq(),
              s.getTimestampMs(),
              facts,
              samples.toArray(Sample[]::new)));
    }
    return new Mapped(out, dropped);
  }

  private static HostFacts facts(MetricBatch batch) {
    if (!batch.hasFacts()) {
      return HostFacts.UNKNOWN;
    }
    var f = batch.getFacts();
    return new HostFacts(
        f.getHostname(),
        f.getOs(),
        Math.max(0, f.getCores()),
        Math.max(0, f.getMemoryTotalBytes()),
        f.getCollectorVersion());
  }
}
