package io.sysmonstm.analytics.sink.alert;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.groups.MetricsGroupTestUtils;

/** A metric group that keeps what a writer registers, for writers driven directly by a test. */
final class RecordingMetricGroup extends UnregisteredMetricsGroup {
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Gauge<?>> gauges = new ConcurrentHashMap<>();

  private SinkWriterMetricGroup writerGroup;

  /** The group to give the writer (one per recording group). */
  synchronized SinkWriterMetricGroup writerGroup() {
    if (writerGroup == null) {
      writerGroup = MetricsGroupTestUtils.mockWriterMetricGroup(this);
    }
    return writerGroup;
  }

  /** Records the writer counted as sent. */
  long sent() {
    return writerGroup().getNumRecordsSendCounter().getCount();
  }

  @Override
  public Counter counter(String name) {
    return counter(name, new SimpleCounter());
  }

  @Override
  public <C extends Counter> C counter(String name, C counter) {
    counters.put(name, counter);
    return counter;
  }

  @Override
  public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
    gauges.put(name, gauge);
    return gauge;
  }

  long count(String name) {
    Counter c = counters.get(name);
    return c == null ? 0 : c.getCount();
  }

  Object gaugeValue(String name) {
    return gauges.get(name).getValue();
  }
}
