package io.sysmonstm.analytics.alert;

import io.sysmonstm.analytics.snapshot.HostOwner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.PriorityQueue;
import java.util.TreeMap;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Lets through to the CEP pattern only the observations it can use: every FIRST, and a THEN only
 * when some FIRST of its (rule, host) lies at most that FIRST's {@code within} before it, in event
 * time. The others never match, but CEP would keep each of them in its state, with a timer, until
 * the watermark passed it. For a {@code rising} second step that is about half of all samples of
 * its metric on every host, while FIRSTs are rare (a host breaching): with the default rules,
 * nearly everything CEP stored and sorted.
 *
 * <p>Exact in event time: a FIRST may still come, out of order, until the watermark passes its
 * time. So a THEN that no FIRST known yet covers waits here until the watermark reaches it, and is
 * then let through (before that watermark is passed on, so CEP takes it as on time) or dropped. A
 * FIRST or THEN at or behind this operator's watermark is late: dropped and counted ({@code
 * lateSequenceSignals}), as CEP drops what is behind its own watermark. Chained to {@code
 * alert-evaluate}, this operator sees every observation of a host, in the order it was made.
 *
 * <p>At most {@code maxWaiting} THENs wait; beyond that the earliest goes on undecided (CEP ignores
 * it if no FIRST reaches it). The waiting THENs and the FIRSTs still in reach are kept in
 * checkpoints as union operator state: a restored subtask keeps those of the hosts it owns (the key
 * groups of {@code alert-evaluate}, to which it is chained), so it rescales.
 */
public final class SequenceGate extends AbstractStreamOperator<SequenceSignal>
    implements OneInputStreamOperator<SequenceSignal, SequenceSignal> {
  private static final long serialVersionUID = 1L;

  /**
   * THENs that may wait per subtask: at 10,000 hosts with a {@code rising} step, about 5,000 come
   * per second, so this is tens of seconds of event time between the watermark and the newest
   * observation; one is about 100 bytes on the heap.
   */
  public static final int DEFAULT_MAX_WAITING = 200_000;

  /** Union state: the waiting THENs and the FIRSTs in reach. */
  static final String STATE = "sequence-gate-v1";

  private final int maxWaiting;

  /** THENs waiting for the watermark, earliest first. */
  private transient PriorityQueue<SequenceSignal> waiting;

  /** FIRSTs in reach, per (rule, host), by event time. */
  private transient Map<String, NavigableMap<Long, SequenceSignal>> firsts;

  private transient long watermark;
  private transient ListState<SequenceSignal> state;
  private transient Counter dropped;
  private transient Counter late;
  private transient Counter undecided;

  /** The gate of the job: at most {@link #DEFAULT_MAX_WAITING} THENs wait per subtask. */
  public SequenceGate() {
    this(DEFAULT_MAX_WAITING);
  }

  /**
   * @param maxWaiting how many THENs may wait per subtask; beyond that the earliest goes on to CEP
   *     undecided (while the partitions' watermarks lie far apart, e.g. catching up on a backlog)
   */
  public SequenceGate(int maxWaiting) {
    if (maxWaiting < 1) {
      throw new IllegalArgumentException("maxWaiting must be positive, got " + maxWaiting);
    }
    this.maxWaiting = maxWaiting;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    waiting = new PriorityQueue<>((a, b) -> Long.compare(a.ts(), b.ts()));
    firsts = new HashMap<>();
    watermark = Long.MIN_VALUE;
    state =
        context
            .getOperatorStateStore()
            .getUnionListState(
                new ListStateDescriptor<>(STATE, TypeInformation.of(SequenceSignal.class)));
    if (context.isRestored()) {
      TaskInfo task = getRuntimeContext().getTaskInfo();
      for (SequenceSignal s : state.get()) {
        if (!HostOwner.owns(task, s.hostId())) {
          continue;
        }
        if (s.kind() == SequenceSignal.FIRST) {
          remember(s);
        } else {
          waiting.add(s);
        }
      }
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    dropped = getMetricGroup().counter("sequenceThensDropped");
    late = getMetricGroup().counter("lateSequenceSignals");
    undecided = getMetricGroup().counter("sequenceThensUndecided");
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    List<SequenceSignal> all = new ArrayList<>(waiting);
    for (NavigableMap<Long, SequenceSignal> key : firsts.values()) {
      all.addAll(key.values());
    }
    state.update(all);
  }

  @Override
  public void processElement(StreamRecord<SequenceSignal> record) throws Exception {
    SequenceSignal s = record.getValue();
    if (s.ts() <= watermark) {
      late.inc();
      return;
    }
    if (s.kind() == SequenceSignal.FIRST) {
      remember(s);
      output.collect(record);
    } else if (s.kind() != SequenceSignal.THEN) {
      throw new IllegalArgumentException("not a FIRST or THEN observation: " + s);
    } else if (covered(s)) {
      output.collect(record);
    } else {
      waiting.add(s);
      if (waiting.size() > maxWaiting) {
        // memory is bounded: the earliest goes on undecided. CEP ignores a THEN no FIRST
        // reaches, so this costs CEP work, never a wrong match (it is still ahead of the watermark)
        SequenceSignal then = waiting.poll();
        undecided.inc();
        output.collect(new StreamRecord<>(then, then.ts()));
      }
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    watermark = mark.getTimestamp();
    // every FIRST at or before the watermark is known now: decide the THENs it reaches
    while (!waiting.isEmpty() && waiting.peek().ts() <= watermark) {
      SequenceSignal then = waiting.poll();
      if (covered(then)) {
        output.collect(new StreamRecord<>(then, then.ts()));
      } else {
        dropped.inc();
      }
    }
    // a FIRST whose reach the watermark has passed covers no THEN still to come
    Iterator<NavigableMap<Long, SequenceSignal>> keys = firsts.values().iterator();
    while (keys.hasNext()) {
      NavigableMap<Long, SequenceSignal> known = keys.next();
      known.values().removeIf(f -> reach(f) <= watermark);
      if (known.isEmpty()) {
        keys.remove();
      }
    }
    super.processWatermark(mark);
  }

  /** Keeps a FIRST; of two at one instant, the one that reaches further. */
  private void remember(SequenceSignal first) {
    firsts
        .computeIfAbsent(first.ruleHost(), k -> new TreeMap<>())
        .merge(first.ts(), first, (a, b) -> reach(a) >= reach(b) ? a : b);
  }

  /** The last time a FIRST's rule takes a THEN after it. */
  private static long reach(SequenceSignal first) {
    return first.ts() + first.withinMs();
  }

  /** Whether a known FIRST of the THEN's (rule, host) is at most its {@code within} before it. */
  private boolean covered(SequenceSignal then) {
    NavigableMap<Long, SequenceSignal> known = firsts.get(then.ruleHost());
    if (known == null) {
      return false;
    }
    long from = then.ts() - SequencePattern.MAX_WITHIN.toMillis();
    for (SequenceSignal f : known.subMap(from, true, then.ts(), true).descendingMap().values()) {
      if (reach(f) >= then.ts()) {
        return true;
      }
    }
    return false;
  }
}
