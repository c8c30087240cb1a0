package io.sysmonstm.analytics.sink.jdbc;

import java.io.IOException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Hands rows to a JDBC sink in chunks whose rows have distinct keys, merging the rows of one key
 * inside a chunk. The sinks run with pgjdbc's {@code reWriteBatchedInserts} (a JDBC batch becomes a
 * few multi-row {@code INSERT … VALUES (…), (…)} statements, far cheaper for PostgreSQL than one
 * statement per row), and PostgreSQL refuses an {@code INSERT … ON CONFLICT DO UPDATE} that meets
 * the same key twice ("cannot affect row a second time"). Two rows of a key reach one chunk when a
 * window fires again for late data, a host's minutes close together during a catch-up, or two
 * snapshots of a host carry the same time.
 *
 * <p>A chunk goes to the inner writer, which is flushed at once, when {@code chunkSize} distinct
 * keys are held, {@code maxDelayMs} after its first row, and on every flush (checkpoint, end of
 * input). At least once, like the inner sink; the merge keeps what the upsert would have made of
 * the two rows written one after the other.
 *
 * @param <T> row type
 */
public final class DistinctKeySink<T> implements Sink<T> {
  private static final long serialVersionUID = 1L;

  /** How rows of one table are keyed and merged. */
  public interface Rows<T> extends Serializable {
    /** The row's primary key in its table (equals and hashCode by value). */
    Object key(T row);

    /** What the table holds after {@code older} and then {@code newer} were upserted. */
    T merge(T older, T newer);
  }

  private final Sink<T> inner;
  private final Rows<T> rows;
  private final int chunkSize;
  private final long maxDelayMs;

  public DistinctKeySink(Sink<T> inner, Rows<T> rows, int chunkSize, long maxDelayMs) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.rows = Objects.requireNonNull(rows, "rows");
    if (chunkSize < 1 || maxDelayMs < 1) {
      throw new IllegalArgumentException("chunkSize and maxDelayMs must be positive");
    }
    this.chunkSize = chunkSize;
    this.maxDelayMs = maxDelayMs;
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
    return new Writer<>(
        inner.createWriter(context),
        rows,
        chunkSize,
        maxDelayMs,
        context.getProcessingTimeService());
  }

  static final class Writer<T> implements SinkWriter<T> {
    private final SinkWriter<T> inner;
    private final Rows<T> rows;
    private final int chunkSize;
    private final long maxDelayMs;
    private final ProcessingTimeService time;
    private final Map<Object, T> chunk = new LinkedHashMap<>();
    private Context lastContext;
    private boolean timerArmed;

    Writer(
        SinkWriter<T> inner,
        Rows<T> rows,
        int chunkSize,
        long maxDelayMs,
        ProcessingTimeService time) {
      this.inner = inner;
      this.rows = rows;
      this.chunkSize = chunkSize;
      this.maxDelayMs = maxDelayMs;
      this.time = time;
    }

    @Override
    public void write(T row, Context context) throws IOException, InterruptedException {
      lastContext = context;
      chunk.merge(rows.key(row), row, rows::merge);
      if (chunk.size() >= chunkSize) {
        writeChunk();
      } else if (!timerArmed) {
        timerArmed = true;
        time.registerTimer(time.getCurrentProcessingTime() + maxDelayMs, t -> onTimer());
      }
    }

    private void onTimer() throws IOException, InterruptedException {
      // runs in the task thread; a failure fails the task, as it would in write or flush
      timerArmed = false;
      writeChunk();
    }

    private void writeChunk() throws IOException, InterruptedException {
      if (chunk.isEmpty()) {
        return;
      }
      for (T row : chunk.values()) {
        inner.write(row, lastContext);
      }
      chunk.clear();
      inner.flush(false);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
      writeChunk();
      inner.flush(endOfInput);
    }

    @Override
    public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
      inner.writeWatermark(watermark);
    }

    @Override
    public void close() throws Exception {
      inner.close();
    }
  }
}
