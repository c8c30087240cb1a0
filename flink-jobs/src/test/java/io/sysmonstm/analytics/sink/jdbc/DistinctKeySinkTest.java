package io.sysmonstm.analytics.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sysmonstm.analytics.raw.SnapshotRow;
import io.sysmonstm.analytics.rollup.RollupRow;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
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

  /** What the inner (JDBC) writer was asked to do, in order; fails on a row "fail=…". */
  static final class Recording implements SinkWriter<String> {
    final List<String> calls = new ArrayList<>();

    @Override
    public void write(String row, Context context) throws IOException {
      if (row.startsWith("fail=")) {
        throw new IOException("PostgreSQL refused " + row);
      }
      calls.add(row);
    }

    @Override
    public void flush(boolean endOfInput) {
      calls.add("flush");
    }

    boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  /** The writer thread, run by hand: a chunk is written only when the test says so. */
  static final class ByHand extends AbstractExecutorService {
    final ArrayDeque<Runnable> queued = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable command) {
      queued.add(command);
    }

    /** Writes the oldest queued chunk. */
    void runOne() {
      Runnable next;
      synchronized (this) {
        next = queued.poll();
      }
      next.run();
    }

    void runAll() {
      while (queued() > 0) {
        runOne();
      }
    }

    synchronized int queued() {
      return queued.size();
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }

  final Recording inner = new Recording();
  final TestProcessingTimeService time = new TestProcessingTimeService();
  final ByHand background = new ByHand();
  final List<Throwable> reported = new ArrayList<>();

  DistinctKeySink.Writer<String> writer(int maxPendingRows, Collection<List<String>> recovered) {
    return new DistinctKeySink.Writer<>(
        "t",
        inner,
        new KeyValue(),
        3,
        1000,
        maxPendingRows,
        time,
        background,
        reported::add,
        recovered);
  }

  final DistinctKeySink.Writer<String> writer = writer(100, List.of());

  @Test
  void aChunkHoldsEachKeyOnceAndIsWrittenFlushedInTheBackgroundWhenFull() throws Exception {
    writer.write("a=1", null);
    writer.write("b=1", null);
    writer.write("a=2", null);
    writer.write("c=1", null);
    assertThat(background.queued()).isEqualTo(1);
    assertThat(inner.calls).as("the task does not write").isEmpty();
    background.runAll();
    assertThat(inner.calls).containsExactly("a=2+1", "b=1", "c=1", "flush");
    assertThat(writer.pendingRows()).isZero();
  }

  @Test
  void aPartChunkIsClosedAfterTheDelay() throws Exception {
    time.setCurrentTime(0);
    writer.write("a=1", null);
    time.setCurrentTime(999);
    assertThat(background.queued()).isZero();
    time.setCurrentTime(1000);
    background.runAll();
    assertThat(inner.calls).containsExactly("a=1", "flush");
    writer.write("b=1", null);
    time.setCurrentTime(2000);
    background.runAll();
    assertThat(inner.calls).containsExactly("a=1", "flush", "b=1", "flush");
  }

  @Test
  void aCheckpointDoesNotWaitButKeepsTheUnwrittenChunksAndTheOpenOneInOrder() throws Exception {
    for (String row : List.of("a=1", "b=1", "c=1", "d=1", "e=1")) {
      writer.write(row, null);
    }
    background.runOne(); // a, b, c written; d, e still open
    writer.flush(false);
    assertThat(background.queued()).as("the open chunk stays open").isZero();
    assertThat(writer.snapshotState(1)).containsExactly(List.of("d=1", "e=1"));
    writer.write("a=2", null); // closes d, e, a
    writer.write("f=1", null);
    // a queued chunk stays in the state until it is written (written twice is harmless)
    assertThat(writer.snapshotState(2))
        .containsExactly(List.of("d=1", "e=1", "a=2"), List.of("f=1"));
    background.runAll();
    assertThat(writer.snapshotState(3)).containsExactly(List.of("f=1"));
    time.setCurrentTime(1000); // the delay closes f
    background.runAll();
    assertThat(writer.snapshotState(4)).isEmpty();
    assertThat(inner.calls)
        .containsExactly(
            "a=1", "b=1", "c=1", "flush", "d=1", "e=1", "a=2", "flush", "f=1", "flush");
  }

  @Test
  void aRestoredWriterWritesTheCheckpointedChunksFirst() throws Exception {
    DistinctKeySink.Writer<String> restored =
        writer(100, List.of(List.of("a=1", "b=1"), List.of(), List.of("a=2")));
    restored.write("a=3", null);
    assertThat(restored.snapshotState(5))
        .containsExactly(List.of("a=1", "b=1"), List.of("a=2"), List.of("a=3"));
    time.setCurrentTime(1000); // closes a=3
    background.runAll();
    assertThat(inner.calls).containsExactly("a=1", "b=1", "flush", "a=2", "flush", "a=3", "flush");
  }

  /** A call on a thread of its own; {@link #end} joins it and rethrows what it threw. */
  static final class OnItsOwn {
    final Thread thread;
    final AtomicReference<Throwable> thrown = new AtomicReference<>();

    /** Starts {@code call} and returns once its thread waits. */
    OnItsOwn(ThrowingRunnable call) {
      thread =
          new Thread(
              () -> {
                try {
                  call.run();
                } catch (Throwable t) {
                  thrown.set(t);
                }
              });
      thread.start();
      await().until(() -> thread.getState() == Thread.State.WAITING);
    }

    void end() throws Throwable {
      thread.join(10_000);
      assertThat(thread.isAlive()).as("the call returned").isFalse();
      if (thrown.get() != null) {
        throw thrown.get();
      }
    }
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void theTaskWaitsWhileTooManyRowsAreQueued() throws Throwable {
    DistinctKeySink.Writer<String> small = writer(4, List.of());
    for (String row : List.of("a=1", "b=1", "c=1", "d=1", "e=1")) {
      small.write(row, null);
    }
    assertThat(small.pendingRows()).isEqualTo(3);
    OnItsOwn task = new OnItsOwn(() -> small.write("f=1", null)); // a second chunk: 6 rows > 4
    assertThat(small.pendingRows()).isEqualTo(3);
    background.runOne();
    task.end();
    assertThat(small.pendingRows())
        .as("the second chunk, queued once the first was written")
        .isEqualTo(3);
    assertThat(inner.calls).containsExactly("a=1", "b=1", "c=1", "flush");
  }

  @Test
  void theEndOfInputWaitsUntilEverythingIsWritten() throws Throwable {
    writer.write("a=1", null);
    writer.write("b=1", null);
    OnItsOwn end = new OnItsOwn(() -> writer.flush(true));
    assertThat(inner.calls).isEmpty();
    background.runAll();
    end.end();
    assertThat(inner.calls).containsExactly("a=1", "b=1", "flush");
  }

  @Test
  void aFailedWriteIsReportedAndFailsTheNextCallAndTheCheckpoint() throws Exception {
    for (String row : List.of("fail=1", "b=1", "c=1", "d=1", "e=1", "f=1")) {
      writer.write(row, null);
    }
    assertThat(background.queued()).isEqualTo(2);
    background.runAll();
    assertThat(reported).singleElement().asString().contains("PostgreSQL refused fail=1");
    assertThat(inner.calls).as("nothing after the failed chunk").isEmpty();
    assertThatThrownBy(() -> writer.snapshotState(1))
        .isInstanceOf(IOException.class)
        .hasMessage("writing to t failed");
    assertThatThrownBy(() -> writer.flush(false)).hasMessage("writing to t failed");
    assertThatThrownBy(() -> writer.write("g=1", null)).hasMessage("writing to t failed");
  }

  @Test
  void aTaskWaitingForRoomIsWokenByAFailure() throws Throwable {
    DistinctKeySink.Writer<String> small = writer(3, List.of());
    for (String row : List.of("fail=1", "b=1", "c=1", "d=1", "e=1")) {
      small.write(row, null);
    }
    OnItsOwn task = new OnItsOwn(() -> small.write("f=1", null));
    background.runOne();
    assertThatThrownBy(task::end).hasMessage("writing to t failed");
  }

  @Test
  void closingSkipsTheQueuedChunksAndClosesTheInnerWriter() throws Exception {
    DistinctKeySink.Writer<String> closing = writer(100, List.of(List.of("a=1")));
    closing.close();
    background.runAll();
    assertThat(inner.closed).isTrue();
    assertThat(inner.calls).as("queued chunks are in the checkpoint, not written").isEmpty();
    assertThat(reported).isEmpty();
  }

  @Test
  void theCheckpointedRowsSurviveTheirSerializer() throws Exception {
    RollupRow rollup =
        new RollupRow(
            "h",
            "m",
            "{\"cpu\":\"0\"}",
            60_000,
            3,
            1.5,
            0.25,
            1.0,
            0.5,
            0.25,
            61_000,
            0.5,
            1.0,
            1.0,
            new byte[] {1, 2, 3});
    SimpleVersionedSerializer<List<RollupRow>> rollups =
        stateSerializer(new JdbcSinks.RollupRowKeys(), RollupRow.class);
    List<RollupRow> back =
        rollups.deserialize(rollups.getVersion(), rollups.serialize(List.of(rollup, rollup)));
    assertThat(back).hasSize(2);
    assertThat(back.get(1)).usingRecursiveComparison().isEqualTo(rollup);

    SnapshotRow snapshot =
        new SnapshotRow(
            "h",
            1_000,
            new String[] {"a", "b"},
            new String[] {"{}", "{\"x\":\"1\"}"},
            new double[] {1.0, -0.5});
    SimpleVersionedSerializer<List<SnapshotRow>> snapshots =
        stateSerializer(new JdbcSinks.SnapshotRowKeys(), SnapshotRow.class);
    assertThat(snapshots.deserialize(1, snapshots.serialize(List.of(snapshot))))
        .singleElement()
        .usingRecursiveComparison()
        .isEqualTo(snapshot);
  }

  /** The writer state serializer of a sink of {@code type} (no writer is created). */
  static <T> SimpleVersionedSerializer<List<T>> stateSerializer(
      DistinctKeySink.Rows<T> rows, Class<T> type) {
    org.apache.flink.api.connector.sink2.Sink<T> noInner =
        context -> {
          throw new UnsupportedOperationException();
        };
    return new DistinctKeySink<>("t", noInner, rows, TypeInformation.of(type), 3, 1000, 3)
        .getWriterStateSerializer();
  }
}
