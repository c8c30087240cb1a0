package io.sysmonstm.analytics.sink.alert;

import io.sysmonstm.analytics.alert.AlertEvent;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * Passes events through and fails the task once, {@code afterRecords} events after a checkpoint has
 * completed that was taken after at least one event went by (and, when the test says so with {@link
 * #armFrom}, no earlier than a given checkpoint): what the sink had before that checkpoint is in
 * its state, what came after is replayed.
 */
final class FailOnceAfterCheckpoint
    implements MapFunction<AlertEvent, AlertEvent>, CheckpointedFunction, CheckpointListener {
  private static final long serialVersionUID = 1L;
  private static final Map<String, Boolean> FAILED = new ConcurrentHashMap<>();
  private static final Map<String, Boolean> ARMED = new ConcurrentHashMap<>();
  private static final Map<String, Long> ARM_AFTER = new ConcurrentHashMap<>();

  private final String id;
  private final int afterRecords;
  private transient long seen;
  private transient Set<Long> checkpointsAfterEvents;
  private transient boolean armed;
  private transient long sinceArmed;

  FailOnceAfterCheckpoint(String id, int afterRecords) {
    this.id = id;
    this.afterRecords = afterRecords;
  }

  /** Whether the failure happened in the job with this id. */
  static boolean failed(String id) {
    return FAILED.getOrDefault(id, false);
  }

  /** Whether the job with this id will fail at its next events. */
  static boolean armed(String id) {
    return ARMED.getOrDefault(id, false);
  }

  /** Arms the failure only at a checkpoint taken after {@code epochMs} (wall clock). */
  static void armAfter(String id, long epochMs) {
    ARM_AFTER.put(id, epochMs);
  }

  @Override
  public AlertEvent map(AlertEvent e) {
    seen++;
    if (armed && !failed(id) && ++sinceArmed >= afterRecords) {
      FAILED.put(id, true);
      throw new IllegalStateException("failure injected by the test");
    }
    return e;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) {
    checkpointsAfterEvents = new HashSet<>();
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) {
    if (seen > 0 && System.currentTimeMillis() > ARM_AFTER.getOrDefault(id, 0L)) {
      checkpointsAfterEvents.add(context.getCheckpointId());
    }
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    if (checkpointsAfterEvents.contains(checkpointId)) {
      armed = true;
      ARMED.put(id, true);
    }
  }
}
