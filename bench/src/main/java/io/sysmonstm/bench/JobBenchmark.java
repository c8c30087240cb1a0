package io.sysmonstm.bench;

import io.sysmonstm.bench.report.BenchReport;
import io.sysmonstm.config.Launcher;
import io.sysmonstm.config.Settings;
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
        "sysmonstm-bench",
        () -> {
          Settings s = Settings.parse(args, System.getenv());
          BenchConfig cfg = BenchConfig.from(s);
          s.rejectUnknown();
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
   * Runs one benchmark: starts the servers that are not given, writes the fleet's data, runs the
   * job until every expected row is in PostgreSQL (or the timeout passes), stops everything and
   * returns what was measured.
   */
  public static BenchReport run(BenchConfig cfg) throws Exception {
    BenchServers servers = BenchServers.start(cfg);
    // Ctrl-C: stop the server processes too (PostgreSQL runs detached from this JVM)
    Thread hook = new Thread(servers::close, "sysmonstm-bench-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return new BenchRun(cfg, servers).execute();
    } finally {
      servers.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs (and finds nothing left to stop)
      }
    }
  }
}
