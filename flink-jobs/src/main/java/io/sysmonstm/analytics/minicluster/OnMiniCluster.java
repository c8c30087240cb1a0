package io.sysmonstm.analytics.minicluster;

import io.sysmonstm.analytics.AnalyticsJob;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * The job on a Flink mini-cluster in this JVM, as the local stack and the benchmark run it: one
 * task manager with a slot per parallel subtask, the job submitted as {@link AnalyticsJob#NAME}.
 */
public final class OnMiniCluster {
  private OnMiniCluster() {}

  /** A started mini-cluster of one task manager with {@code slots} slots. */
  public static MiniCluster start(Configuration conf, int slots) throws Exception {
    MiniCluster flink =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
    flink.start();
    return flink;
  }

  /** Submits the job built in {@code env} under {@link AnalyticsJob#NAME}; returns its id. */
  public static JobID submit(MiniCluster flink, StreamExecutionEnvironment env) throws Exception {
    StreamGraph streamGraph = env.getStreamGraph();
    streamGraph.setJobName(AnalyticsJob.NAME);
    JobGraph graph = streamGraph.getJobGraph();
    return flink.submitJob(graph).get(60, TimeUnit.SECONDS).getJobID();
  }

  /**
   * Waits until the job runs: returns {@link JobStatus#RUNNING}, or the status it had when it ended
   * or {@code timeout} passed.
   */
  public static JobStatus awaitRunning(MiniCluster flink, JobID jobId, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JobStatus status = flink.getJobStatus(jobId).get(10, TimeUnit.SECONDS);
    while (status != JobStatus.RUNNING) {
      if (status.isTerminalState() || System.nanoTime() > deadline) {
        return status;
      }
      TimeUnit.MILLISECONDS.sleep(100);
      status = flink.getJobStatus(jobId).get(10, TimeUnit.SECONDS);
    }
    return status;
  }

  /** Cancels the job unless it has already ended. */
  public static void cancel(MiniCluster flink, JobID jobId) throws Exception {
    if (!flink.getJobStatus(jobId).get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
      flink.cancelJob(jobId).get(30, TimeUnit.SECONDS);
    }
  }
}
