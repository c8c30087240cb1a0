package io.sysmonstm.analytics.source;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** The one watermark strategy of the job: event time is the snapshot's timestamp. */
public final class EventTime {

  private EventTime() {}

  /**
   * Bounded out-of-orderness watermarks with the snapshot timestamp as event time; a source split
   * (Kafka partition) without data for {@code idleness} does not hold the watermark back. Apply it
   * in {@code env.fromSource} so watermarks are tracked per partition.
   */
  public static WatermarkStrategy<HostSnapshot> watermarks(
      Duration outOfOrderness, Duration idleness) {
    return WatermarkStrategy.<HostSnapshot>forBoundedOutOfOrderness(outOfOrderness)
        .withTimestampAssigner(new SnapshotTimestamp())
        .withIdleness(idleness);
  }

  /** Event time of a snapshot. */
  static final class SnapshotTimestamp implements SerializableTimestampAssigner<HostSnapshot> {
    private static final long serialVersionUID = 1L;

    @Override
    public long extractTimestamp(HostSnapshot snapshot, long recordTimestamp) {
      return snapshot.timestampMs();
    }
  }
}
