package io.sysmonstm.analytics.rollup;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.typeinfo.SharedInstanceTypeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.util.OutputTag;

/**
 * Collects each host's snapshots per minute window into a {@link MinuteBatch} before the minute
 * window, so that the window's accumulator (a state entry holding every series' statistics and
 * sketch, serialized in RocksDB) is read and written a few times per minute instead of once per
 * snapshot. That read-modify-write was the largest cost of the job.
 *
 * <p>Batches go to the window:
 *
 * <ul>
 *   <li>before a watermark is passed on, every batch of a window that the watermark closes, so the
 *       window fires with everything, exactly when it did without this operator;
 *   <li>batches of windows already closed (snapshots late, but inside the allowed lateness) at the
 *       next watermark or {@link #LATE_FLUSH_MS} after they were started, whichever comes first:
 *       the window fires again with them;
 *   <li>all of them when {@code maxBuffered} snapshots are held, and at the end of the input.
 * </ul>
 *
 * <p>The open batches are kept in checkpoints, as union operator state: a restored subtask keeps
 * the batches of the hosts it owns (the same key groups as the keyed stream), so it rescales. They
 * are not flushed into the window on a checkpoint, which would put one state update per host into
 * every checkpoint's synchronous part. A batch holds the snapshots in arrival order and the window
 * adds them in that order, so a restore and replay gives the same statistics, sums included.
 *
 * <p>A snapshot later than the allowed lateness for its window (the window's cleanup time is at or
 * behind the watermark) is not batched but sent to {@code late}: the decision the window operator
 * would take, with the same watermark, since the window sees the watermarks this operator passes
 * on, after the batches.
 */
public final class MinuteBatches extends AbstractStreamOperator<MinuteBatch>
    implements OneInputStreamOperator<HostSnapshot, MinuteBatch>, BoundedOneInput {
  private static final long serialVersionUID = 1L;

  private final long windowMs;
  private final long allowedLatenessMs;
  private final int maxBuffered;
  private final OutputTag<HostSnapshot> late;

  /** Open batches by window start, then host. */
  private transient NavigableMap<Long, Map<String, MinuteBatch.Builder>> open;

  private transient int buffered;
  private transient long watermark;
  private transient boolean lateFlushArmed;
  private transient ListState<MinuteBatch> pending;

  /** Longest time a batch of a closed window (late snapshots) waits for a watermark. */
  static final long LATE_FLUSH_MS = 1_000;

  public MinuteBatches(
      Duration window, Duration allowedLateness, int maxBuffered, OutputTag<HostSnapshot> late) {
    this.windowMs = window.toMillis();
    this.allowedLatenessMs = allowedLateness.toMillis();
    if (maxBuffered < 1) {
      throw new IllegalArgumentException("maxBuffered must be positive, got " + maxBuffered);
    }
    this.maxBuffered = maxBuffered;
    this.late = Objects.requireNonNull(late, "late");
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    open = new TreeMap<>();
    buffered = 0;
    watermark = Long.MIN_VALUE;
    pending =
        context
            .getOperatorStateStore()
            // built batches own their arrays: the checkpoint's synchronous part need not copy them
            .getUnionListState(
                new ListStateDescriptor<>(
                    "open-batches", SharedInstanceTypeInfo.of(MinuteBatch.class)));
    if (context.isRestored()) {
      TaskInfo task = getRuntimeContext().getTaskInfo();
      for (MinuteBatch b : pending.get()) {
        int owner =
            KeyGroupRangeAssignment.assignKeyToParallelOperator(
                b.hostId,
                task.getMaxNumberOfParallelSubtasks(),
                task.getNumberOfParallelSubtasks());
        if (owner == task.getIndexOfThisSubtask()) {
          builder(windowStart(b.maxTimestamp()), b.hostId).addAll(b);
          buffered += b.size();
        }
      }
    }
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    List<MinuteBatch> batches = new ArrayList<>();
    for (Map<String, MinuteBatch.Builder> window : open.values()) {
      for (MinuteBatch.Builder b : window.values()) {
        batches.add(b.build());
      }
    }
    pending.update(batches);
  }

  private long windowStart(long ts) {
    return TimeWindow.getWindowStartWithOffset(ts, 0, windowMs);
  }

  private MinuteBatch.Builder builder(long windowStart, String hostId) {
    return open.computeIfAbsent(windowStart, k -> new HashMap<>())
        .computeIfAbsent(hostId, MinuteBatch.Builder::new);
  }

  @Override
  public void processElement(StreamRecord<HostSnapshot> record) {
    HostSnapshot s = record.getValue();
    long ts = record.hasTimestamp() ? record.getTimestamp() : s.timestampMs();
    long start = windowStart(ts);
    if (cleanupTime(start) <= watermark) {
      output.collect(late, record);
      return;
    }
    builder(start, s.hostId()).add(s);
    if (++buffered >= maxBuffered) {
      emitAll();
    } else if (start + windowMs - 1 <= watermark && !lateFlushArmed) {
      // a closed window fires again for late snapshots: do not wait long for the next watermark
      lateFlushArmed = true;
      ProcessingTimeService time = getProcessingTimeService();
      time.registerTimer(time.getCurrentProcessingTime() + LATE_FLUSH_MS, t -> emitClosed());
    }
  }

  /** As the window operator computes it: the window's max timestamp plus the allowed lateness. */
  private long cleanupTime(long windowStart) {
    long maxTimestamp = windowStart + windowMs - 1;
    long cleanup = maxTimestamp + allowedLatenessMs;
    return cleanup >= maxTimestamp ? cleanup : Long.MAX_VALUE;
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    // windows whose max timestamp the watermark reaches fire now: hand them their batches first
    watermark = mark.getTimestamp();
    emitClosed();
    super.processWatermark(mark);
  }

  /** Emits the batches of every window the current watermark has closed. */
  private void emitClosed() {
    lateFlushArmed = false;
    long lastClosedStart =
        watermark < Long.MIN_VALUE + windowMs ? Long.MIN_VALUE : watermark - windowMs + 1;
    Iterator<Map<String, MinuteBatch.Builder>> closed =
        open.headMap(lastClosedStart, true).values().iterator();
    while (closed.hasNext()) {
      emit(closed.next());
      closed.remove();
    }
  }

  @Override
  public void endInput() {
    emitAll();
  }

  @Override
  public void finish() throws Exception {
    emitAll();
    super.finish();
  }

  private void emitAll() {
    for (Map<String, MinuteBatch.Builder> batches : open.values()) {
      emit(batches);
    }
    open.clear();
    buffered = 0;
  }

  private void emit(Map<String, MinuteBatch.Builder> batches) {
    for (MinuteBatch.Builder b : batches.values()) {
      buffered -= b.size();
      output.collect(new StreamRecord<>(b.build(), b.maxTimestamp()));
    }
  }
}
