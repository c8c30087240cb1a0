package io.sysmonstm.analytics.rollup;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Incrementally aggregates a host's snapshots of one window into per-series statistics. */
public final class MinuteAggregate
    implements AggregateFunction<HostSnapshot, HostWindow, HostWindow> {
  private static final long serialVersionUID = 1L;

  @Override
  public HostWindow createAccumulator() {
    return new HostWindow();
  }

  @Override
  public HostWindow add(HostSnapshot snapshot, HostWindow acc) {
    acc.add(snapshot);
    return acc;
  }

  @Override
  public HostWindow getResult(HostWindow acc) {
    return acc;
  }

  @Override
  public HostWindow merge(HostWindow a, HostWindow b) {
    a.merge(b);
    return a;
  }
}
