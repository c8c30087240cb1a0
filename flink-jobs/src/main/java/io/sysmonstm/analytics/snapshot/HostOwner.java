package io.sysmonstm.analytics.snapshot;

import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * Which subtask owns a host: the one the host's key group goes to when the stream is keyed by host
 * id, as the job keys it. Operators that keep per-host data in union operator state (every subtask
 * gets all of it on a restore) keep only what this subtask owns, so they rescale like keyed state.
 */
public final class HostOwner {
  private HostOwner() {}

  /** Whether {@code task} owns {@code hostId}. */
  public static boolean owns(TaskInfo task, String hostId) {
    return KeyGroupRangeAssignment.assignKeyToParallelOperator(
            hostId, task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks())
        == task.getIndexOfThisSubtask();
  }
}
