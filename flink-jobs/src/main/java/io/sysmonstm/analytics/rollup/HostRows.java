package io.sysmonstm.analytics.rollup;

import org.apache.flink.api.common.functions.MapFunction;

/** The {@code hosts} row of a host's minute. */
public final class HostRows implements MapFunction<HostRollup, HostRow> {
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
}
