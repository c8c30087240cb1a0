package io.sysmonstm.analytics.sink.jdbc;

import io.sysmonstm.analytics.DaemonThreads;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Hands rows to a JDBC sink in chunks whose rows have distinct keys, and lets a background thread
 * write them, so the task thread never waits for PostgreSQL. Rows not yet written are kept in the
 * writer's checkpointed state and written again after a restore.
 *
 * <p><b>Distinct keys.</b> The sinks run with pgjdbc's {@code reWriteBatchedInserts} (a JDBC batch
 * becomes a few multi-row {@code INSERT … VALUES (…), (…)} statements, far cheaper for PostgreSQL
 * than one statement per row), and PostgreSQL refuses an {@code INSERT … ON CONFLICT DO UPDATE}
 * that meets the same key twice ("cannot affect row a second time"). Two rows of a key reach one
 * chunk when a window fires again for late data, a host's minutes close together during a catch-up,
 * or two snapshots of a host carry the same time; the chunk keeps what the upsert would have made
 * of the two rows written one after the other ({@link Rows#merge}).
 *
 * <p><b>In the background.</b> A chunk is closed when {@code chunkSize} distinct keys are held,
 * {@code maxDelayMs} after its first row, and at the end of input, then queued for the writer
 * thread, which writes the chunks in order through the inner (connector) writer and flushes it
 * after each. A checkpoint does not wait for them: the queued chunks (including one being written)
 * and the open chunk are the writer's state. So neither the task nor a checkpoint waits for
 * PostgreSQL, also when a minute closes and the window emits a whole minute of rollup rows at once
 * (200,000 at 10,000 hosts). Only the end of input waits until all is written. When {@code
 * maxPendingRows} are queued, the task waits to close the next chunk (back-pressure).
 *
 * <p><b>Guarantee.</b> At least once with idempotent upserts, so the tables end exactly as if each
 * row was written once: a row emitted before a checkpoint is in PostgreSQL or in that checkpoint, a
 * row after it is emitted again by the replay. A write that fails (after the connector's retries)
 * fails the task, whose restore writes the checkpointed chunks first. The rows of one key are
 * written in the order they came, except that after a rescale another subtask may hold a restored
 * chunk: tables whose upsert depends on order must make it independent of it (the rollups keep the
 * row with the larger count, {@link JdbcSinks#rollupUpsert}).
 *
 * @param <T> row type
 */
public final class DistinctKeySink<T> implements Sink<T>, SupportsWriterState<T, List<T>> {
  private static final long serialVersionUID = 1L;

  /** How rows of one table are keyed and merged. */
  public interface Rows<T> extends Serializable {
    /** The row's primary key in its table (equals and hashCode by value). */
    Object key(T row);

    /** What the table holds after {@code older} and then {@code newer} were upserted. */
    T merge(T older, T newer);
  }

  private final String table;
  private final Sink<T> inner;
  private final Rows<T> rows;
  private final TypeInformation<T> type;
  private final int chunkSize;
  private final long maxDelayMs;
  private final int maxPendingRows;

  /**
   * @param table the table written, for the writer thread's name and messages
   * @param inner the connector sink whose writer the background thread uses
   * @param type the rows' type, for the checkpointed chunks
   * @param maxPendingRows rows queued for the writer thread before the task waits (at least one
   *     chunk)
   */
  public DistinctKeySink(
      String table,
      Sink<T> inner,
      Rows<T> rows,
      TypeInformation<T> type,
      int chunkSize,
      long maxDelayMs,
      int maxPendingRows) {
    this.table = Objects.requireNonNull(table, "table");
    this.inner = Objects.requireNonNull(inner, "inner");
    this.rows = Objects.requireNonNull(rows, "rows");
    this.type = Objects.requireNonNull(type, "type");
    if (chunkSize < 1 || maxDelayMs < 1 || maxPendingRows < chunkSize) {
      throw new IllegalArgumentException(
          "chunkSize and maxDelayMs must be positive, maxPendingRows at least chunkSize");
    }
    this.chunkSize = chunkSize;
    this.maxDelayMs = maxDelayMs;
    this.maxPendingRows = maxPendingRows;
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
    return restoreWriter(context, List.of());
  }

  @Override
  public StatefulSinkWriter<T, List<T>> restoreWriter(
      WriterInitContext context, Collection<List<T>> recovered) throws IOException {
    int subtask = context.getTaskInfo().getIndexOfThisSubtask();
    String threadName = "jdbc-writer " + table + " (" + (subtask + 1) + ")";
    ExecutorService background = Executors.newSingleThreadExecutor(DaemonThreads.named(threadName));
    MailboxExecutor mailbox = context.getMailboxExecutor();
    return new Writer<>(
        table,
        inner.createWriter(context),
        rows,
        chunkSize,
        maxDelayMs,
        maxPendingRows,
        context.getProcessingTimeService(),
        background,
        failure ->
            // fail the task now rather than at its next write or checkpoint
            mailbox.execute(
                () -> {
                  throw new IOException("writing to " + table + " failed", failure);
                },
                "report a failed write to " + table),
        recovered);
  }

  @Override
  public SimpleVersionedSerializer<List<T>> getWriterStateSerializer() {
    SerializerConfigImpl config = new SerializerConfigImpl();
    config.setGenericTypes(false); // as the job: a row type that needs Kryo fails here
    return new ChunkSerializer<>(type.createSerializer(config));
  }

  /**
   * A chunk as its row count and the rows in the row type's Flink serializer (rows are records,
   * serialized field by field). A change of a row's fields needs a new version here to restore
   * older checkpoints.
   */
  static final class ChunkSerializer<T> implements SimpleVersionedSerializer<List<T>> {
    private final TypeSerializer<T> rowSerializer;

    ChunkSerializer(TypeSerializer<T> rowSerializer) {
      this.rowSerializer = rowSerializer;
    }

    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(List<T> chunk) throws IOException {
      DataOutputSerializer out = new DataOutputSerializer(256 * Math.max(1, chunk.size()));
      out.writeInt(chunk.size());
      for (T row : chunk) {
        rowSerializer.serialize(row, out);
      }
      return out.getCopyOfBuffer();
    }

    @Override
    public List<T> deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1) {
        throw new IOException("unknown version " + version + " of a sink writer's rows");
      }
      DataInputDeserializer in = new DataInputDeserializer(serialized);
      int n = in.readInt();
      List<T> chunk = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        chunk.add(rowSerializer.deserialize(in));
      }
      return chunk;
    }
  }

  static final class Writer<T> implements StatefulSinkWriter<T, List<T>> {
    private final String table;
    private final SinkWriter<T> inner; // used by the background thread only
    private final Rows<T> rows;
    private final int chunkSize;
    private final long maxDelayMs;
    private final int maxPendingRows;
    private final ProcessingTimeService time;
    private final ExecutorService background;
    private final Consumer<Throwable> onFailure;

    // task thread only
    private final Map<Object, T> chunk = new LinkedHashMap<>();
    private boolean timerArmed;

    private final Object lock = new Object();
    // guarded by lock: chunks queued or being written, oldest first; removed once written
    private final ArrayDeque<List<T>> pending = new ArrayDeque<>();
    private int pendingRows;
    private boolean stopped;
    // set once, under lock (waiters are notified); read without it, so write() checks it per row
    private volatile Throwable failure;

    Writer(
        String table,
        SinkWriter<T> inner,
        Rows<T> rows,
        int chunkSize,
        long maxDelayMs,
        int maxPendingRows,
        ProcessingTimeService time,
        ExecutorService background,
        Consumer<Throwable> onFailure,
        Collection<List<T>> recovered) {
      this.table = table;
      this.inner = inner;
      this.rows = rows;
      this.chunkSize = chunkSize;
      this.maxDelayMs = maxDelayMs;
      this.maxPendingRows = maxPendingRows;
      this.time = time;
      this.background = background;
      this.onFailure = onFailure;
      // the chunks of the checkpoint go first, in their order; no waiting for room here
      for (List<T> c : recovered) {
        if (!c.isEmpty()) {
          enqueue(List.copyOf(c));
        }
      }
    }

    @Override
    public void write(T row, Context context) throws IOException, InterruptedException {
      throwIfFailed();
      chunk.merge(rows.key(row), row, rows::merge);
      if (chunk.size() >= chunkSize) {
        closeChunk();
      } else if (!timerArmed) {
        timerArmed = true;
        time.registerTimer(time.getCurrentProcessingTime() + maxDelayMs, t -> onTimer());
      }
    }

    private void onTimer() throws IOException, InterruptedException {
      timerArmed = false;
      closeChunk();
    }

    /** Queues the open chunk for the writer thread, waiting while too many rows are queued. */
    private void closeChunk() throws IOException, InterruptedException {
      if (chunk.isEmpty()) {
        throwIfFailed();
        return;
      }
      List<T> closed = List.copyOf(chunk.values());
      chunk.clear();
      synchronized (lock) {
        while (failure == null && pendingRows > 0 && pendingRows + closed.size() > maxPendingRows) {
          lock.wait();
        }
        throwIfFailed();
      }
      enqueue(closed);
    }

    private void enqueue(List<T> closed) {
      synchronized (lock) {
        pending.addLast(closed);
        pendingRows += closed.size();
      }
      background.execute(() -> writeInBackground(closed));
    }

    /** Background thread: writes one chunk, the oldest pending one. */
    private void writeInBackground(List<T> closed) {
      synchronized (lock) {
        if (failure != null || stopped) {
          return; // the chunk is in the last checkpoint, or the replay emits it again
        }
      }
      try {
        for (T row : closed) {
          inner.write(row, null);
        }
        inner.flush(false);
      } catch (Throwable t) {
        boolean report;
        synchronized (lock) {
          failure = t;
          report = !stopped;
          lock.notifyAll();
        }
        if (report) {
          onFailure.accept(t);
        }
        return;
      }
      boolean inOrder;
      synchronized (lock) {
        inOrder = pending.peekFirst() == closed;
        if (inOrder) {
          pending.pollFirst();
          pendingRows -= closed.size();
        } else if (failure == null) {
          failure = new IllegalStateException("chunks of " + table + " written out of order");
        }
        lock.notifyAll();
      }
      if (!inOrder) {
        onFailure.accept(failure);
      }
    }

    private void throwIfFailed() throws IOException {
      Throwable t = failure;
      if (t != null) {
        throw new IOException("writing to " + table + " failed", t);
      }
    }

    /**
     * At the end of input, closes the open chunk and waits until every row is written. Before a
     * checkpoint it does neither (closing the chunk could wait for room in the queue): the open
     * chunk and the chunks not written yet go into the checkpoint.
     */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
      if (endOfInput) {
        closeChunk();
        synchronized (lock) {
          while (failure == null && pendingRows > 0) {
            lock.wait();
          }
        }
      }
      throwIfFailed();
    }

    /**
     * The chunks not written yet (one may be being written: writing it again is harmless), then the
     * open chunk.
     */
    @Override
    public List<List<T>> snapshotState(long checkpointId) throws IOException {
      List<List<T>> state;
      synchronized (lock) {
        throwIfFailed();
        state = new ArrayList<>(pending);
      }
      if (!chunk.isEmpty()) {
        state.add(List.copyOf(chunk.values()));
      }
      return state;
    }

    /** Rows queued for the writer thread, for tests. */
    int pendingRows() {
      synchronized (lock) {
        return pendingRows;
      }
    }

    @Override
    public void close() throws Exception {
      // queued chunks are in the last checkpoint: skip them, let a write under way finish
      synchronized (lock) {
        stopped = true;
      }
      background.shutdown();
      try {
        if (!background.awaitTermination(30, TimeUnit.SECONDS)) {
          background.shutdownNow();
        }
      } finally {
        inner.close();
      }
    }
  }
}
