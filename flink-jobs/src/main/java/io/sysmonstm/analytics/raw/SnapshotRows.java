package io.sysmonstm.analytics.raw;

import io.sysmonstm.analytics.LogThrottle;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import io.sysmonstm.analytics.typeinfo.SharedInstanceTypeInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a snapshot into its {@code samples_raw} row, right before the raw sink: one row per host
 * and instant, the series in parallel arrays in the snapshot's order.
 *
 * <p>A row holds each series once, as the primary key of version 1 did. When a snapshot carries the
 * same series (metric and attrs) more than once, its last value is kept, the value the per-sample
 * upsert used to leave in the table. The earlier values are counted in {@code
 * repeatedSeriesSamples} and logged at most once a minute. Two snapshots of one host with the same
 * time become two writes of one row, which PostgreSQL merges ({@code samples_raw_merge}).
 */
public final class SnapshotRows extends RichMapFunction<HostSnapshot, SnapshotRow>
    implements ResultTypeQueryable<SnapshotRow> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotRows.class);

  private transient Counter repeated;
  private transient LogThrottle repeatWarnings;

  @Override
  public void open(OpenContext openContext) {
    repeated = getRuntimeContext().getMetricGroup().counter("repeatedSeriesSamples");
    repeatWarnings = LogThrottle.everyMinute();
  }

  @Override
  public SnapshotRow map(HostSnapshot s) {
    SnapshotRow row = of(s);
    int dropped = s.samples().length - row.size();
    if (dropped > 0) {
      repeated.inc(dropped);
      if (repeatWarnings.due()) {
        LOG.warn(
            "Snapshot of host {} at {} ms carries {} value(s) for series it already has; keeping"
                + " the last value of each series in samples (counted in repeatedSeriesSamples),"
                + " continuing",
            s.hostId(),
            s.timestampMs(),
            dropped);
      }
    }
    return row;
  }

  /** The row of {@code s}: every series once, with its last value in the snapshot. */
  public static SnapshotRow of(HostSnapshot s) {
    Sample[] samples = s.samples();
    if (repeatsASeries(samples)) {
      return lastOfEachSeries(s);
    }
    int n = samples.length;
    String[] metrics = new String[n];
    String[] attrs = new String[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      metrics[i] = samples[i].metric();
      attrs[i] = samples[i].attrs();
      values[i] = samples[i].value();
    }
    return new SnapshotRow(s.hostId(), s.timestampMs(), metrics, attrs, values);
  }

  /**
   * Whether two samples have the same metric and attrs. Sorts the samples by a hash of their series
   * (without allocating a key per sample) and compares the samples whose hashes are equal.
   */
  static boolean repeatsASeries(Sample[] samples) {
    int n = samples.length;
    if (n < 2) {
      return false;
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      int hash = 31 * samples[i].metric().hashCode() + samples[i].attrs().hashCode();
      keys[i] = ((long) hash << 32) | i;
    }
    Arrays.sort(keys);
    int start = 0;
    while (start < n) {
      int end = start + 1;
      while (end < n && (keys[end] >>> 32) == (keys[start] >>> 32)) {
        end++;
      }
      for (int a = start; a < end; a++) {
        for (int b = a + 1; b < end; b++) {
          Sample x = samples[(int) keys[a]];
          Sample y = samples[(int) keys[b]];
          if (x.metric().equals(y.metric()) && x.attrs().equals(y.attrs())) {
            return true;
          }
        }
      }
      start = end;
    }
    return false;
  }

  private static SnapshotRow lastOfEachSeries(HostSnapshot s) {
    Map<List<String>, Sample> last = new LinkedHashMap<>();
    for (Sample sample : s.samples()) {
      last.put(List.of(sample.metric(), sample.attrs()), sample);
    }
    String[] metrics = new String[last.size()];
    String[] attrs = new String[last.size()];
    double[] values = new double[last.size()];
    int i = 0;
    for (Sample sample : last.values()) {
      metrics[i] = sample.metric();
      attrs[i] = sample.attrs();
      values[i] = sample.value();
      i++;
    }
    return new SnapshotRow(s.hostId(), s.timestampMs(), metrics, attrs, values);
  }

  /**
   * Rows are immutable and go straight into their sink: the chained sink gets this instance, not a
   * deep copy (see {@link SharedInstanceTypeInfo}).
   */
  @Override
  public TypeInformation<SnapshotRow> getProducedType() {
    return SharedInstanceTypeInfo.of(SnapshotRow.class);
  }
}
