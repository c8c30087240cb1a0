package io.sysmonstm.analytics.rollup;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Flattens a host's bucket into one row per series, right before a rollup sink. */
public final class RollupRows implements FlatMapFunction<HostRollup, RollupRow> {
  private static final long serialVersionUID = 1L;

  @Override
  public void flatMap(HostRollup r, Collector<RollupRow> out) {
    for (SeriesRollup s : r.series()) {
      out.collect(RollupRow.of(r.hostId(), r.bucketStartMs(), s));
    }
  }
}
