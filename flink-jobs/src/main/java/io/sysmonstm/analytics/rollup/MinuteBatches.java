package io.sysmonstm.analytics.rollup;

import io.sysmonstm.analytics.snapshot.HostOwner;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.typeinfo.SharedInstanceTypeInfo;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
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
 *   <li>before a watermark is passed on, every batch of a window that the watermark closes, as a
 *       closing batch (record timestamp = the window's max timestamp), so the window fires with
 *       everything, as it did without this operator ({@link MinuteCloseTrigger}). A host whose
 *       batches all went before gets an empty closing batch. They go {@code closeStep} hosts per
 *       mailbox action, each after a pause as long as the step before it (the input, and a
 *       checkpoint barrier in it, keeps moving), and the watermark after the last of them;
 *   <li>batches of windows already closed (snapshots late, but inside the allowed lateness) at the
 *       next watermark or {@link #LATE_FLUSH_MS} after they were started, whichever comes first:
 *       the window fires again with them;
 *   <li>all of them when {@code maxBuffered} snapshots are held, {@code closeStep} hosts per
 *       mailbox action as at a close (each batch is a read and a write of its window's state: in
 *       one action, the 5,000 hosts of a subtask at 10,000 hosts took 0.4-2.1 s, and a checkpoint
 *       barrier arriving then waited for all of it); all at once if the buffer reaches twice that
 *       meanwhile, and at the end of the input.
 * </ul>
 *
 * <p>Batches queued to go in steps, closing or not, go in the order they were queued: a host's
 * batches of a window reach it in the order they were filled.
 *
 * <p>The open batches are kept in checkpoints, as union operator state: a restored subtask keeps
 * the batches of the hosts it owns (the same key groups as the keyed stream), so it rescales. They
 * are not flushed into the window on a checkpoint, which would put one state update per host into
 * every checkpoint's synchronous part. A batch holds the snapshots in arrival order and the window
 * adds them in that order, so a restore and replay gives the same statistics, sums included. A
 * subtask's batches go into the checkpoint as one {@link MinuteBatchCodec} array (each distinct
 * string once), encoded in the synchronous part; a checkpoint from before that (one POJO per batch,
 * state {@value #OPEN_BATCHES_V0}) restores too.
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
  private final int closeStep;
  private final OutputTag<HostSnapshot> late;

  /** Open batches by window start, then host. */
  private transient NavigableMap<Long, Map<String, MinuteBatch.Builder>> open;

  /**
   * Hosts whose batch of a still open window went out before the window closed (the buffer was
   * full), by window start: they get an empty closing batch when the window closes.
   */
  private transient NavigableMap<Long, Set<String>> sentEarly;

  /** Batches queued to go in steps (closing batches, those of a full buffer), in order. */
  private transient ArrayDeque<Handover> handover;

  /** How many batches of a full buffer are in {@link #handover}. */
  private transient int flushing;

  /** The newest watermark, held back while closing batches wait. */
  private transient Watermark held;

  private transient boolean stepArmed;
  private transient int buffered;
  private transient long watermark;
  private transient boolean lateFlushArmed;

  /** This subtask's open batches, encoded by {@link MinuteBatchCodec}, as union state. */
  private transient ListState<byte[]> pending;

  /** Union state of the open batches, one {@link MinuteBatchCodec} array per subtask. */
  static final String OPEN_BATCHES = "open-batches-v1";

  /** Union state of the open batches before they were encoded: one POJO per batch. */
  static final String OPEN_BATCHES_V0 = "open-batches";

  /** Longest time a batch of a closed window (late snapshots) waits for a watermark. */
  static final long LATE_FLUSH_MS = 1_000;

  /** Batches (closing ones, those of a full buffer) the job hands over per mailbox action. */
  public static final int DEFAULT_CLOSE_STEP = 250;

  /**
   * A batch to hand over: a host's last batch of a closed window ({@code closes}; no builder for a
   * host whose batches went early), or one of a full buffer.
   */
  private record Handover(
      long windowStart, String hostId, MinuteBatch.Builder builder, boolean closes) {}

  public MinuteBatches(
      Duration window, Duration allowedLateness, int maxBuffered, OutputTag<HostSnapshot> late) {
    this(window, allowedLateness, maxBuffered, DEFAULT_CLOSE_STEP, late);
  }

  public MinuteBatches(
      Duration window,
      Duration allowedLateness,
      int maxBuffered,
      int closeStep,
      OutputTag<HostSnapshot> late) {
    this.windowMs = window.toMillis();
    this.allowedLatenessMs = allowedLateness.toMillis();
    if (closeStep < 1) {
      throw new IllegalArgumentException("closeStep must be positive, got " + closeStep);
    }
    this.closeStep = closeStep;
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
    sentEarly = new TreeMap<>();
    handover = new ArrayDeque<>();
    flushing = 0;
    held = null;
    stepArmed = false;
    buffered = 0;
    watermark = Long.MIN_VALUE;
    OperatorStateStore store = context.getOperatorStateStore();
    pending =
        store.getUnionListState(
            new ListStateDescriptor<>(
                OPEN_BATCHES, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    if (context.isRestored()) {
      for (byte[] part : pending.get()) {
        restore(MinuteBatchCodec.decode(part));
      }
      // a checkpoint or savepoint taken before the batches were encoded: one POJO per batch
      if (store.getRegisteredStateNames().contains(OPEN_BATCHES_V0)) {
        ListState<MinuteBatch> v0 =
            store.getUnionListState(
                new ListStateDescriptor<>(
                    OPEN_BATCHES_V0, SharedInstanceTypeInfo.of(MinuteBatch.class)));
        restore(v0.get());
        v0.clear();
      }
    }
  }

  /** Takes over the restored batches of the hosts this subtask owns (union state: all of them). */
  private void restore(Iterable<MinuteBatch> batches) {
    TaskInfo task = getRuntimeContext().getTaskInfo();
    for (MinuteBatch b : batches) {
      if (HostOwner.owns(task, b.hostId)) {
        builder(windowStart(b.maxTimestamp()), b.hostId).addAll(b);
        buffered += b.size();
      }
    }
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    List<MinuteBatch> batches = new ArrayList<>();
    for (Handover c : handover) {
      if (c.builder() != null) {
        batches.add(c.builder().build());
      }
    }
    for (Map<String, MinuteBatch.Builder> window : open.values()) {
      for (MinuteBatch.Builder b : window.values()) {
        batches.add(b.build());
      }
    }
    pending.update(batches.isEmpty() ? List.of() : List.of(MinuteBatchCodec.encode(batches)));
  }

  private long windowStart(long ts) {
    return TimeWindow.getWindowStartWithOffset(ts, 0, windowMs);
  }

  /** The max timestamp of the window starting at {@code windowStart}. */
  private long maxTimestamp(long windowStart) {
    return windowStart + windowMs - 1;
  }

  private MinuteBatch.Builder builder(long windowStart, String hostId) {
    return open.computeIfAbsent(windowStart, k -> new HashMap<>())
        .computeIfAbsent(hostId, MinuteBatch.Builder::new);
  }

  @Override
  public void processElement(StreamRecord<HostSnapshot> record) throws Exception {
    HostSnapshot s = record.getValue();
    long ts = record.hasTimestamp() ? record.getTimestamp() : s.timestampMs();
    long start = windowStart(ts);
    if (cleanupTime(start) <= watermark) {
      output.collect(late, record);
      return;
    }
    builder(start, s.hostId()).add(s);
    if (++buffered >= 2 * (long) maxBuffered) {
      emitAll(); // the steps do not keep up: bound the memory
    } else if (buffered >= maxBuffered && flushing == 0) {
      flushOpen();
    } else if (maxTimestamp(start) <= watermark && !lateFlushArmed) {
      // a closed window fires again for late snapshots: do not wait long for the next watermark
      lateFlushArmed = true;
      ProcessingTimeService time = getProcessingTimeService();
      time.registerTimer(time.getCurrentProcessingTime() + LATE_FLUSH_MS, t -> emitClosed());
    }
  }

  /** As the window operator computes it: the window's max timestamp plus the allowed lateness. */
  private long cleanupTime(long windowStart) {
    long cleanup = maxTimestamp(windowStart) + allowedLatenessMs;
    return cleanup >= maxTimestamp(windowStart) ? cleanup : Long.MAX_VALUE;
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    // windows whose max timestamp the watermark reaches close: their batches go first, a step
    // at a time, and the watermark after the last of them
    watermark = mark.getTimestamp();
    held = mark;
    emitClosed();
  }

  /** Starts handing over the batches of every window the current watermark has closed. */
  private void emitClosed() throws Exception {
    closeWindows();
    step();
  }

  /** Queues the closing batches of every window the current watermark has closed. */
  private void closeWindows() {
    lateFlushArmed = false;
    long lastClosedStart =
        watermark < Long.MIN_VALUE + windowMs ? Long.MIN_VALUE : watermark - windowMs + 1;
    Iterator<Map.Entry<Long, Map<String, MinuteBatch.Builder>>> closed =
        open.headMap(lastClosedStart, true).entrySet().iterator();
    while (closed.hasNext()) {
      Map.Entry<Long, Map<String, MinuteBatch.Builder>> window = closed.next();
      Set<String> early = sentEarly.get(window.getKey());
      for (MinuteBatch.Builder b : window.getValue().values()) {
        handover.add(new Handover(window.getKey(), b.hostId(), b, true));
        if (early != null) {
          early.remove(b.hostId()); // it closes with its batch
        }
      }
      closed.remove();
    }
    // hosts that sent everything early close with an empty batch
    Iterator<Map.Entry<Long, Set<String>>> early =
        sentEarly.headMap(lastClosedStart, true).entrySet().iterator();
    while (early.hasNext()) {
      Map.Entry<Long, Set<String>> window = early.next();
      for (String host : window.getValue()) {
        handover.add(new Handover(window.getKey(), host, null, true));
      }
      early.remove();
    }
  }

  /** Queues every open batch to go in steps (the buffer is full). */
  private void flushOpen() throws Exception {
    queueOpen();
    step();
  }

  /**
   * Moves every open batch to the end of {@link #handover}. A host with a batch of a window still
   * open counts as sent early from now on: its closing batch, queued after this one, may be empty.
   */
  private void queueOpen() {
    for (Map.Entry<Long, Map<String, MinuteBatch.Builder>> window : open.entrySet()) {
      long start = window.getKey();
      boolean stillOpen = maxTimestamp(start) > watermark;
      for (MinuteBatch.Builder b : window.getValue().values()) {
        handover.add(new Handover(start, b.hostId(), b, false));
        flushing++;
        if (stillOpen) {
          sentEarly.computeIfAbsent(start, k -> new HashSet<>()).add(b.hostId());
        }
      }
    }
    open.clear();
  }

  /**
   * Hands over up to {@code closeStep} queued batches; passes the held watermark on once none is
   * left, else continues in a later mailbox action (a checkpoint barrier may come in between).
   */
  private void step() throws Exception {
    long started = System.nanoTime();
    for (int i = 0; i < closeStep && !handover.isEmpty(); i++) {
      emit(handover.poll());
    }
    if (handover.isEmpty()) {
      forwardHeld();
    } else if (!stepArmed) {
      stepArmed = true;
      ProcessingTimeService time = getProcessingTimeService();
      // a timer is a mailbox action of its own, due as long after this step as the step took:
      // the input (records and the checkpoint barrier behind them) gets at least half the time
      long tookMs = Math.max(1, (System.nanoTime() - started) / 1_000_000);
      time.registerTimer(
          time.getCurrentProcessingTime() + tookMs,
          t -> {
            stepArmed = false;
            step();
          });
    }
  }

  private void emit(Handover c) {
    if (!c.closes()) {
      flushing--;
      buffered -= c.builder().size();
      output.collect(early(c.windowStart(), c.builder()));
      return;
    }
    MinuteBatch batch;
    if (c.builder() == null) {
      batch = MinuteBatch.empty(c.hostId());
    } else {
      buffered -= c.builder().size();
      batch = c.builder().build();
    }
    // the window's max timestamp marks the batch as closing (MinuteCloseTrigger)
    output.collect(new StreamRecord<>(batch, maxTimestamp(c.windowStart())));
  }

  /** A batch that does not close its window (sent before it closes, or late after it). */
  private StreamRecord<MinuteBatch> early(long windowStart, MinuteBatch.Builder b) {
    // before the window's max timestamp, which marks closing batches
    long ts = Math.min(b.maxTimestamp(), maxTimestamp(windowStart) - 1);
    return new StreamRecord<>(b.build(), ts);
  }

  private void forwardHeld() throws Exception {
    if (held != null) {
      Watermark mark = held;
      held = null;
      super.processWatermark(mark);
    }
  }

  @Override
  public void endInput() throws Exception {
    emitAll();
  }

  @Override
  public void finish() throws Exception {
    emitAll();
    super.finish();
  }

  /** Everything now: the queued batches, the held watermark, then every open batch. */
  private void emitAll() throws Exception {
    emitQueued();
    forwardHeld();
    queueOpen();
    emitQueued();
  }

  private void emitQueued() {
    while (!handover.isEmpty()) {
      emit(handover.poll());
    }
  }
}
