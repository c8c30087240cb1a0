package io.sysmonstm.analytics.rollup;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Incrementally aggregates a host's snapshots of one window, as batches ({@link MinuteBatches}),
 * into per-series statistics.
 */
public final class MinuteAggregate
    implements AggregateFunction<MinuteBatch, HostWindow, HostWindow> {
  private static final long serialVersionUID = 1L;

  @Override
  public HostWindow createAccumulator() {
    return new HostWindow();
  }

  @Override
  public HostWindow add(MinuteBatch batch, HostWindow acc) {
    acc.add(batch);
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
