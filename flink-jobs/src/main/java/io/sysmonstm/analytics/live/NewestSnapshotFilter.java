package io.sysmonstm.analytics.live;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Live path, keyed by host: passes a snapshot on only when it is newer than every snapshot of the
 * host seen before, so a late or replayed snapshot never overwrites newer live values. Keeps one
 * timestamp per host, forgotten after {@code stateTtl} without a newer snapshot (by then the live
 * values in Redis have expired too).
 */
public final class NewestSnapshotFilter
    extends KeyedProcessFunction<String, HostSnapshot, HostSnapshot> {
  private static final long serialVersionUID = 1L;

  private final Duration stateTtl;
  private transient ValueState<Long> newest;
  private transient Counter stale;

  public NewestSnapshotFilter(Duration stateTtl) {
    this.stateTtl = stateTtl;
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("newest-ts", Long.class);
    descriptor.enableTimeToLive(
        StateTtlConfig.newBuilder(stateTtl)
            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            .build());
    newest = getRuntimeContext().getState(descriptor);
    stale = getRuntimeContext().getMetricGroup().counter("staleLiveSnapshots");
  }

  @Override
  public void processElement(HostSnapshot snapshot, Context ctx, Collector<HostSnapshot> out)
      throws Exception {
    Long seen = newest.value();
    if (seen != null && snapshot.timestampMs() <= seen) {
      stale.inc();
      return;
    }
    newest.update(snapshot.timestampMs());
    out.collect(snapshot);
  }
}
