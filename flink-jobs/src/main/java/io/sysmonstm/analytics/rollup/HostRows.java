package io.sysmonstm.analytics.rollup;

import io.sysmonstm.analytics.typeinfo.SharedInstanceTypeInfo;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;

/** The {@code hosts} row of a host's minute. */
public final class HostRows
    implements MapFunction<HostRollup, HostRow>, ResultTypeQueryable<HostRow> {
  private static final long serialVersionUID = 1L;

  @Override
  public HostRow map(HostRollup r) {
    return new HostRow(
        r.hostId(),
        r.facts().hostname(),
        r.facts().os(),
        r.facts().cores(),
        r.facts().memoryTotalBytes(),
        r.firstSeenMs(),
        r.lastSeenMs());
  }

  /**
   * Rows are immutable and go straight into their sink: the chained sink gets this instance, not a
   * deep copy (see {@link SharedInstanceTypeInfo}).
   */
  @Override
  public TypeInformation<HostRow> getProducedType() {
    return SharedInstanceTypeInfo.of(HostRow.class);
  }
}
