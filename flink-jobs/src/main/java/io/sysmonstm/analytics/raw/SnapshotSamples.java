package io.sysmonstm.analytics.raw;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Flattens a snapshot into its sample rows, right before the {@code late_samples} sink. */
public final class SnapshotSamples implements FlatMapFunction<HostSnapshot, SampleRow> {
  private static final long serialVersionUID = 1L;

  @Override
  public void flatMap(HostSnapshot s, Collector<SampleRow> out) {
    for (Sample sample : s.samples()) {
      out.collect(
          new SampleRow(
              s.hostId(), sample.metric(), sample.attrs(), s.timestampMs(), sample.value()));
    }
  }
}
