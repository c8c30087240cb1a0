package io.sysmonstm.analytics.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.Test;

class DistinctKeySinkTest {
  /** Rows "key=value"; a merge joins the values, so the test sees what was merged. */
  static final class KeyValue implements DistinctKeySink.Rows<String> {
    @Override
    public Object key(String row) {
      return row.substring(0, row.indexOf('='));
    }

    @Override
    public String merge(String older, String newer) {
      return newer + "+" + older.substring(older.indexOf('=') + 1);
    }
  }

  /** What the inner (JDBC) writer was asked to do, in order. */
  static final class Recording implements SinkWriter<String> {
    final List<String> calls = new ArrayList<>();

    @Override
    public void write(String row, Context context) {
      calls.add(row);
    }

    @Override
    public void flush(boolean endOfInput) {
      calls.add("flush");
    }

    @Override
    public void close() {}
  }

  final Recording inner = new Recording();
  final TestProcessingTimeService time = new TestProcessingTimeService();
  final DistinctKeySink.Writer<String> writer =
      new DistinctKeySink.Writer<>(inner, new KeyValue(), 3, 1000, time);

  @Test
  void aChunkHoldsEachKeyOnceAndGoesOutFlushedWhenFull() throws Exception {
    writer.write("a=1", null);
    writer.write("b=1", null);
    writer.write("a=2", null);
    assertThat(inner.calls).isEmpty();
    writer.write("c=1", null);
    assertThat(inner.calls).containsExactly("a=2+1", "b=1", "c=1", "flush");
    writer.write("a=3", null);
    writer.flush(false);
    assertThat(inner.calls)
        .containsExactly("a=2+1", "b=1", "c=1", "flush", "a=3", "flush", "flush");
  }

  @Test
  void aPartChunkGoesOutAfterTheDelay() throws Exception {
    time.setCurrentTime(0);
    writer.write("a=1", null);
    time.setCurrentTime(999);
    assertThat(inner.calls).isEmpty();
    time.setCurrentTime(1000);
    assertThat(inner.calls).containsExactly("a=1", "flush");
    writer.write("b=1", null);
    time.setCurrentTime(2000);
    assertThat(inner.calls).containsExactly("a=1", "flush", "b=1", "flush");
  }
}
