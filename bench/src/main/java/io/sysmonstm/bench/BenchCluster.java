package io.sysmonstm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sysmonstm.analytics.AnalyticsJob;
import io.sysmonstm.analytics.JobConfig;
import io.sysmonstm.analytics.minicluster.OnMiniCluster;
import io.sysmonstm.bench.probe.FlinkRest;
import io.sysmonstm.bench.report.BenchReport;
import io.sysmonstm.bench.report.RunStatistics;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's Flink: a mini-cluster with a slot per parallel subtask and its REST API (the web UI on
 * {@code --ui-port}), the job submitted to it with the run's sinks discarded, and what the REST API
 * tells about the job's checkpoints. Closing stops the cluster.
 */
final class BenchCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BenchCluster.class);

  private final BenchConfig cfg;
  private final MiniCluster flink;
  private final URI restBase;
  private final FlinkRest rest;

  private BenchCluster(BenchConfig cfg, MiniCluster flink, URI restBase) {
    this.cfg = cfg;
    this.flink = flink;
    this.restBase = restBase;
    this.rest = new FlinkRest(restBase);
  }

  /** Starts the mini-cluster for {@code cfg}. */
  static BenchCluster start(BenchConfig cfg) throws Exception {
    MiniCluster flink = OnMiniCluster.start(configuration(cfg), cfg.parallelism());
    try {
      URI restBase = URI.create(flink.getRestAddress().get().toString().replaceAll("/$", "") + "/");
      return new BenchCluster(cfg, flink, restBase);
    } catch (Exception | Error e) {
      flink.closeAsync().get(60, TimeUnit.SECONDS);
      throw e;
    }
  }

  private static Configuration configuration(BenchConfig cfg) {
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_PORT, String.valueOf(cfg.uiPort()));
    conf.set(RestOptions.BIND_ADDRESS, "localhost");
    conf.set(RestOptions.ADDRESS, "localhost");
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, cfg.parallelism());
    conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
    conf.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, 10_000);
    return conf;
  }

  /** The REST API's (and web UI's) base address, ending in a slash. */
  URI restBase() {
    return restBase;
  }

  FlinkRest rest() {
    return rest;
  }

  /**
   * Submits the job configured by {@code jobCfg}, with the sinks of {@code --discard} replaced by
   * discarding ones and unaligned checkpoints if asked for, and waits until it runs.
   */
  JobID submit(JobConfig jobCfg) throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
    AnalyticsJob.configure(env, jobCfg);
    if (cfg.unalignedCheckpoints()) {
      Configuration extra = new Configuration();
      extra.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
      env.configure(extra);
    }
    AnalyticsJob job;
    if (cfg.discard().isEmpty()) {
      job = AnalyticsJob.fromConfig(jobCfg);
    } else {
      AnalyticsJob.Builder b = AnalyticsJob.productionBuilder(jobCfg);
      for (BenchConfig.Sink s : cfg.discard()) {
        switch (s) {
          case SAMPLES -> b.samplesSink(new DiscardingSink<>());
          case LIVE -> b.liveSink(new DiscardingSink<>());
          case ROLLUP_1H -> b.rollup1hSink(new DiscardingSink<>());
          case HOSTS -> b.hostsSink(new DiscardingSink<>());
          case ROLLUP_1M -> throw new IllegalArgumentException("rollup-1m cannot be discarded");
        }
      }
      job = b.build();
    }
    job.build(env);
    JobID id = OnMiniCluster.submit(flink, env);
    JobStatus status = OnMiniCluster.awaitRunning(flink, id, Duration.ofSeconds(60));
    if (status != JobStatus.RUNNING) {
      throw new IllegalStateException("the job did not start (status " + status + ")");
    }
    return id;
  }

  JobStatus status(JobID jobId) throws Exception {
    return flink.getJobStatus(jobId).get(10, TimeUnit.SECONDS);
  }

  /** Cancels the job unless it has ended; a failure is logged (the cluster closes anyway). */
  void cancel(JobID jobId) {
    try {
      OnMiniCluster.cancel(flink, jobId);
    } catch (Exception e) {
      LOG.warn("Cancelling the job failed: {}; closing the mini-cluster anyway", e.toString());
    }
  }

  /** Statistics of the checkpoints triggered before {@code untilWallMs} (wall clock). */
  BenchReport.Checkpoints checkpoints(JobID jobId, long untilWallMs) throws IOException {
    String id = jobId.toHexString();
    return RunStatistics.checkpoints(
        rest.checkpoints(id), untilWallMs, durations -> longest(id, durations));
  }

  /** A task's name cut to its first operators (a chain's name lists every operator). */
  static String abbreviated(String task) {
    return task.length() <= 60 ? task : task.substring(0, 57) + "...";
  }

  /** The phases of the longest checkpoint in {@code durations}, from its details. */
  private BenchReport.Slowest longest(String jobId, Map<Long, Long> durations) {
    if (durations.isEmpty()) {
      return null;
    }
    long id = Collections.max(durations.entrySet(), Map.Entry.comparingByValue()).getKey();
    try {
      Map<String, String> names = new HashMap<>();
      for (FlinkRest.Vertex v : rest.vertices(jobId)) {
        names.put(v.id(), v.name());
      }
      String base = "jobs/" + jobId + "/checkpoints/details/" + id;
      String last = null;
      long lastAck = Long.MIN_VALUE;
      var tasks = rest.get(base).path("tasks").fields();
      while (tasks.hasNext()) {
        var t = tasks.next();
        long ack = t.getValue().path("latest_ack_timestamp").asLong();
        if (ack > lastAck) {
          lastAck = ack;
          last = t.getKey();
        }
      }
      if (last == null) {
        return null;
      }
      JsonNode s = rest.get(base + "/subtasks/" + last).path("summary");
      return new BenchReport.Slowest(
          id,
          durations.get(id),
          abbreviated(names.getOrDefault(last, last)),
          s.path("start_delay").path("max").asLong(),
          s.path("alignment").path("duration").path("max").asLong(),
          s.path("checkpoint_duration").path("sync").path("max").asLong(),
          s.path("checkpoint_duration").path("async").path("max").asLong(),
          s.path("state_size").path("max").asLong());
    } catch (IOException e) {
      LOG.warn("Reading the details of checkpoint {} failed: {}", id, e.toString());
      return null;
    }
  }

  @Override
  public void close() throws Exception {
    flink.closeAsync().get(60, TimeUnit.SECONDS);
  }
}
