package io.sysmonstm.bench;

import io.sysmonstm.bench.report.BenchReport;
import io.sysmonstm.config.Durations;
import io.sysmonstm.config.Launcher;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar bench/target/sysmonstm-bench.jar [--hosts 10000 --series 20 …]}: runs the real
 * analytics job on a Flink mini-cluster against Kafka, PostgreSQL and Redis (embedded unless given)
 * and measures it alone, from Kafka to the PostgreSQL rollups, with checkpointing on: samples per
 * second, lag, checkpoint durations, CPU and memory. Prints the report; {@code --report FILE}
 * writes it as JSON too. Exits 0 when the run completed with exact counts, 1 otherwise.
 */
public final class JobBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(JobBenchmark.class);

  private JobBenchmark() {}

  public static void main(String[] args) throws Exception {
    Launcher.run(
        args,
        BenchConfig.SETTINGS,
        (cfg, s) -> {
          LOG.info("Starting the benchmark with {}", s.describe());
          BenchReport report = run(cfg);
          System.out.println(report.toText());
          if (cfg.report().isPresent()) {
            Files.writeString(cfg.report().get(), report.toJson());
            LOG.info("Report written to {}", cfg.report().get().toAbsolutePath());
          }
          System.exit(report.outcome().complete() && report.outcome().countsExact() ? 0 : 1);
        });
  }

  /**
   * Runs one benchmark: starts the servers that are not given; unless {@code --warmup-drain 0}, has
   * the job drain a separate warm-up fleet first (see {@link #warmUp}); writes the fleet's data,
   * runs the job until every expected row is in PostgreSQL (or the timeout passes), stops
   * everything and returns what was measured.
   */
  public static BenchReport run(BenchConfig cfg) throws Exception {
    BenchServers servers = BenchServers.start(cfg);
    // Ctrl-C: stop the server processes too (PostgreSQL runs detached from this JVM)
    Thread hook = new Thread(servers::close, "sysmonstm-bench-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      BenchReport.Warmup warmup = null;
      if (!cfg.warmupDrain().isZero()) {
        warmup = warmUp(cfg, servers);
      }
      BenchReport report = new BenchRun(cfg, servers).execute();
      return warmup == null ? report : report.withWarmup(warmup);
    } finally {
      servers.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs (and finds nothing left to stop)
      }
    }
  }

  /**
   * The warm-up run ({@link BenchConfig#warmupRun}). A TaskManager that has run for a while has its
   * hot code compiled; a fresh JVM spends a good part of the first minutes in the JIT compiler (0.3
   * of the 2 cores 45-105 s after the start, measured with per-thread CPU from {@code /proc}), and
   * on a machine whose cores are all busy that time comes out of the job's. The warm-up's classes,
   * Kafka client, RocksDB and JDBC paths are the measured run's, so it leaves them compiled. A
   * warm-up that is not complete with exact counts stops the benchmark: the job is wrong, and no
   * figure after it would mean anything.
   */
  static BenchReport.Warmup warmUp(BenchConfig cfg, BenchServers servers) throws Exception {
    LOG.info(
        "Warm-up: the job drains {} of a separate fleet first (--warmup-drain 0: none)",
        Durations.format(cfg.warmupDrain()));
    BenchReport run = new BenchRun(cfg.warmupRun(), servers).execute();
    if (!run.outcome().complete() || !run.outcome().countsExact()) {
      throw new IllegalStateException(
          "the warm-up run did not complete with exact counts; no measurement after it:"
              + run.toText());
    }
    BenchReport.Warmup w = BenchReport.Warmup.of(run);
    LOG.info(
        "Warm-up done: {} snapshots at {} samples/s; now the measured run",
        w.snapshots(),
        String.format("%,.0f", w.samplesPerSecond()));
    return w;
  }
}
