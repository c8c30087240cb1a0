package io.sysmonstm.analytics.rollup;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a window's accumulator into the host's result for that bucket, stamped with the window
 * start. Fires again (with the complete, updated statistics) for each late snapshot within the
 * allowed lateness.
 */
public final class StampBucket
    extends ProcessWindowFunction<HostWindow, HostRollup, String, TimeWindow> {
  private static final long serialVersionUID = 1L;

  @Override
  public void process(
      String hostId, Context ctx, Iterable<HostWindow> accumulators, Collector<HostRollup> out) {
    for (HostWindow acc : accumulators) {
      if (acc.hostId != null) {
        out.collect(acc.toRollup(ctx.window().getStart()));
      }
    }
  }
}
