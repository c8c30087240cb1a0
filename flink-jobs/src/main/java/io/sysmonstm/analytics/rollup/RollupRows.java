package io.sysmonstm.analytics.rollup;

import io.sysmonstm.analytics.typeinfo.SharedInstanceTypeInfo;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.util.Collector;

/** Flattens a host's bucket into one row per series, right before a rollup sink. */
public final class RollupRows
    implements FlatMapFunction<HostRollup, RollupRow>, ResultTypeQueryable<RollupRow> {
  private static final long serialVersionUID = 1L;

  @Override
  public void flatMap(HostRollup r, Collector<RollupRow> out) {
    for (SeriesRollup s : r.series()) {
      out.collect(RollupRow.of(r.hostId(), r.bucketStartMs(), s));
    }
  }

  /**
   * Rows are immutable and go straight into their sink: the chained sink gets this instance, not a
   * deep copy (see {@link SharedInstanceTypeInfo}).
   */
  @Override
  public TypeInformation<RollupRow> getProducedType() {
    return SharedInstanceTypeInfo.of(RollupRow.class);
  }
}
