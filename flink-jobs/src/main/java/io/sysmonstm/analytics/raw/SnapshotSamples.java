package io.sysmonstm.analytics.raw;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import io.sysmonstm.analytics.typeinfo.SharedInstanceTypeInfo;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.util.Collector;

/** Flattens a snapshot into its sample rows, right before the {@code late_samples} sink. */
public final class SnapshotSamples
    implements FlatMapFunction<HostSnapshot, SampleRow>, ResultTypeQueryable<SampleRow> {
  private static final long serialVersionUID = 1L;

  @Override
  public void flatMap(HostSnapshot s, Collector<SampleRow> out) {
    for (Sample sample : s.samples()) {
      out.collect(
          new SampleRow(
              s.hostId(), sample.metric(), sample.attrs(), s.timestampMs(), sample.value()));
    }
  }

  /**
   * Rows are immutable and go straight into their sink: the chained sink gets this instance, not a
   * deep copy (see {@link SharedInstanceTypeInfo}).
   */
  @Override
  public TypeInformation<SampleRow> getProducedType() {
    return SharedInstanceTypeInfo.of(SampleRow.class);
  }
}
