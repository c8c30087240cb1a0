package io.sysmonstm.analytics.rollup;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Builds a host's hour from its minute results. A minute window that fires again for a late
 * snapshot emits that minute again, complete; the hour window then holds both emissions, so only
 * the newest emission of each minute counts (see {@link BucketMerge#newestPerBucket}).
 */
public final class HourFromMinutes
    extends ProcessWindowFunction<HostRollup, HostRollup, String, TimeWindow> {
  private static final long serialVersionUID = 1L;

  @Override
  public void process(
      String hostId, Context ctx, Iterable<HostRollup> minutes, Collector<HostRollup> out) {
    BucketMerge.merge(ctx.window().getStart(), BucketMerge.newestPerBucket(minutes))
        .ifPresent(out::collect);
  }
}
