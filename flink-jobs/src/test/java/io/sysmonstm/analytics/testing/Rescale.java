package io.sysmonstm.analytics.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/** Checks that per-host union operator state is taken over by each host's owner on a rescale. */
public final class Rescale {
  public static final int MAX_PARALLELISM = 128;

  private Rescale() {}

  /** What one restored subtask does with its part of the checkpoint. */
  @FunctionalInterface
  public interface Restore {
    /** The hosts whose state {@code subtask} restored (opens and closes its harness). */
    List<String> hostsRestored(OperatorSubtaskState part, int subtask) throws Exception;
  }

  /**
   * Restores {@code checkpoint} (taken at parallelism 1) at {@code parallelism}: every host in
   * {@code hosts} is restored exactly once, by the subtask its key group goes to.
   */
  public static void eachHostRestoredByItsOwner(
      OperatorSubtaskState checkpoint, int parallelism, List<String> hosts, Restore restore)
      throws Exception {
    List<String> all = new ArrayList<>();
    for (int subtask = 0; subtask < parallelism; subtask++) {
      OperatorSubtaskState part =
          AbstractStreamOperatorTestHarness.repartitionOperatorState(
              checkpoint, MAX_PARALLELISM, 1, parallelism, subtask);
      for (String host : restore.hostsRestored(part, subtask)) {
        assertThat(
                KeyGroupRangeAssignment.assignKeyToParallelOperator(
                    host, MAX_PARALLELISM, parallelism))
            .as(host + " restored by its owner")
            .isEqualTo(subtask);
        all.add(host);
      }
    }
    assertThat(all).containsExactlyInAnyOrderElementsOf(hosts);
  }
}
