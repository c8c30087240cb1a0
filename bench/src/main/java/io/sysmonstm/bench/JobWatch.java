package io.sysmonstm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sysmonstm.bench.probe.FlinkRest;
import io.sysmonstm.bench.probe.PostgresCounts;
import io.sysmonstm.bench.probe.ResourceMeter;
import io.sysmonstm.bench.report.BenchReport;
import io.sysmonstm.config.Durations;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the job once a second until every expected row is in PostgreSQL: the job's status (a
 * failure stops the run), snapshots read (the source's output counter) against those Kafka
 * acknowledged, how busy each task is, heap, and the rows counted. Its fields are what the report
 * is made of.
 */
final class JobWatch {
  private static final Logger LOG = LoggerFactory.getLogger(JobWatch.class);
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final List<String> LOAD_METRICS =
      List.of("busyTimeMsPerSecond", "backPressuredTimeMsPerSecond", "idleTimeMsPerSecond");

  private final BenchConfig cfg;
  private final Map<String, Long> processes;
  private final BenchCluster cluster;
  private final FlinkRest rest;
  final JobID jobId;
  final PostgresCounts counts;
  final FleetSimulator sim;
  final long expectedSnapshots;
  final long rollupExpected;
  final long samplesExpected;

  final AtomicLong productionStart = new AtomicLong(System.nanoTime());
  final AtomicLong productionEnd = new AtomicLong();
  volatile boolean stopped;

  /** (nanoTime, snapshots read, snapshots acknowledged by Kafka) once a second. */
  final List<long[]> points = new ArrayList<>();

  final Map<String, double[]> loads = new HashMap<>(); // vertex id -> sums of 3 metrics, n
  List<FlinkRest.Vertex> vertices = List.of();
  String sourceVertex;
  String sourceMetric;
  ResourceMeter meter;
  ResourceMeter.Usage usage;

  /** When a poll last saw no record read (or, before any poll, when the watch began). */
  long lastNoneReadNanos = System.nanoTime();

  long firstReadNanos;
  long drainedNanos;
  long drainedWallMs = Long.MAX_VALUE;
  long allRowsNanos;
  long consumed;
  long rollup1m;
  Long samples;
  String failure;

  JobWatch(
      BenchConfig cfg,
      Map<String, Long> processes,
      BenchCluster cluster,
      JobID jobId,
      PostgresCounts counts,
      FleetSimulator sim,
      long expectedSnapshots,
      long rollupExpected,
      long samplesExpected) {
    this.cfg = cfg;
    this.processes = processes;
    this.cluster = cluster;
    this.rest = cluster.rest();
    this.jobId = jobId;
    this.counts = counts;
    this.sim = sim;
    this.expectedSnapshots = expectedSnapshots;
    this.rollupExpected = rollupExpected;
    this.samplesExpected = samplesExpected;
  }

  void run(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long next = System.nanoTime();
    int round = 0;
    while (true) {
      round++;
      JobStatus status = cluster.status(jobId);
      if (status != JobStatus.RUNNING) {
        // a failure restarts the job from its last checkpoint: the figures would be meaningless
        failure = "the job is " + status + " after " + rootException();
        LOG.error("The job is {} after {}; stopping the benchmark", status, rootException());
        break;
      }
      long now = System.nanoTime();
      long read = sourceRecords();
      if (read >= 0) {
        consumed = read;
        points.add(new long[] {now, read, sim.acked()});
      }
      if (firstReadNanos == 0 && consumed > 0) {
        // the reading began after the last poll that saw none: measured from there, a drain
        // shorter than one poll still takes time, and no run's time comes out short
        firstReadNanos = lastNoneReadNanos;
        meter = ResourceMeter.start(processes);
        LOG.info("The job reads; measuring");
      } else if (firstReadNanos == 0 && read == 0) {
        lastNoneReadNanos = now;
      }
      if (meter != null) {
        meter.sampleHeap();
      }
      if (firstReadNanos != 0 && drainedNanos == 0 && round % 2 == 0) {
        sampleLoads();
      }
      if (drainedNanos == 0 && consumed >= expectedSnapshots) {
        if (loads.isEmpty()) {
          // a drain shorter than two polls (a small fleet, a fast machine) had no load sample
          // yet; Flink's busy and back-pressure gauges still cover its last seconds
          sampleLoads();
        }
        drainedNanos = now;
        drainedWallMs = System.currentTimeMillis();
        LOG.info(
            "All {} snapshots read after {} s; waiting for the rows",
            consumed,
            String.format("%.1f", (now - firstReadNanos) / 1e9));
      }
      if (drainedNanos != 0) {
        rollup1m = counts.rollup1m();
        if (rollup1m >= rollupExpected && rowsComplete(now)) {
          allRowsNanos = now;
          break;
        }
      }
      if (now > deadline) {
        failure = "timed out after " + Durations.format(timeout);
        LOG.error(
            "No complete result within {}; stopping the benchmark", Durations.format(timeout));
        if (drainedNanos != 0 || rollup1m == 0) {
          rollup1m = counts.rollup1m();
        }
        break;
      }
      next += POLL.toNanos();
      long wait = next - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    }
    if (meter != null) {
      usage = meter.usage();
    }
    if (samples == null && !cfg.discard().contains(BenchConfig.Sink.SAMPLES)) {
      samples = counts.samples();
    }
  }

  /** The job's latest failure in one line, from its exception history. */
  private String rootException() {
    try {
      JsonNode entries =
          rest.get("jobs/" + jobId.toHexString() + "/exceptions")
              .path("exceptionHistory")
              .path("entries");
      if (entries.isArray() && !entries.isEmpty()) {
        String trace = entries.get(0).path("stacktrace").asText("");
        int nl = trace.indexOf('\n');
        return nl > 0 ? trace.substring(0, nl) : trace;
      }
    } catch (IOException e) {
      LOG.debug("Exception history not available: {}", e.toString());
    }
    return "a failure";
  }

  /** Samples are counted once the rollups are complete (an exact count of a big table). */
  private boolean rowsComplete(long now) throws Exception {
    if (cfg.discard().contains(BenchConfig.Sink.SAMPLES)) {
      return true;
    }
    samples = counts.samples();
    return samples >= samplesExpected;
  }

  /** Snapshots the source has emitted so far, -1 before its metric is reported. */
  private long sourceRecords() throws IOException {
    if (sourceMetric == null) {
      vertices = rest.vertices(jobId.toHexString());
      if (vertices.isEmpty()) {
        return -1;
      }
      sourceVertex =
          vertices.stream()
              .filter(v -> v.name().startsWith("Source: snapshots"))
              .findFirst()
              .orElse(vertices.get(0))
              .id();
      List<String> names = rest.metricNames(jobId.toHexString(), sourceVertex);
      sourceMetric = sourceOutputMetric(names).orElse(null);
      if (sourceMetric == null) {
        return -1;
      }
      LOG.debug("Counting snapshots read with metric {}", sourceMetric);
    }
    Double v =
        rest.metrics(jobId.toHexString(), sourceVertex, List.of(sourceMetric), "sum")
            .get(sourceMetric);
    return v == null ? -1 : v.longValue();
  }

  private void sampleLoads() {
    for (FlinkRest.Vertex v : vertices) {
      try {
        Map<String, Double> m = rest.metrics(jobId.toHexString(), v.id(), LOAD_METRICS, "avg");
        if (m.size() == LOAD_METRICS.size()) {
          double[] acc = loads.computeIfAbsent(v.id(), k -> new double[4]);
          for (int i = 0; i < LOAD_METRICS.size(); i++) {
            acc[i] += m.get(LOAD_METRICS.get(i));
          }
          acc[3]++;
        }
      } catch (IOException e) {
        LOG.debug("Load metrics of {} not available: {}", v.name(), e.toString());
      }
    }
  }

  /** How busy each task was while the job worked: the averages of the sampled gauges. */
  List<BenchReport.VertexLoad> loads() {
    List<BenchReport.VertexLoad> result = new ArrayList<>();
    for (FlinkRest.Vertex v : vertices) {
      double[] acc = loads.get(v.id());
      if (acc != null && acc[3] > 0) {
        result.add(
            new BenchReport.VertexLoad(
                v.name(),
                v.parallelism(),
                acc[0] / acc[3] / 10,
                acc[1] / acc[3] / 10,
                acc[2] / acc[3] / 10));
      }
    }
    return result;
  }

  /** When the last point was taken (when the reading began, without points). */
  long lastPointNanos() {
    return points.isEmpty() ? firstReadNanos : points.get(points.size() - 1)[0];
  }

  /** The source operator's output counter: one record per snapshot. */
  static Optional<String> sourceOutputMetric(List<String> names) {
    return names.stream()
        .filter(n -> n.startsWith("Source__") && n.endsWith(".numRecordsOut"))
        .findFirst();
  }
}
