package io.sysmonstm.bench;

import io.sysmonstm.analytics.AnalyticsJob;
import io.sysmonstm.analytics.JobConfig;
import io.sysmonstm.bench.alert.AlertSubscriber;
import io.sysmonstm.bench.alert.BenchRules;
import io.sysmonstm.bench.fleet.BreachPlan;
import io.sysmonstm.bench.fleet.FleetSpec;
import io.sysmonstm.bench.probe.PostgresCounts;
import io.sysmonstm.bench.probe.RedisMemory;
import io.sysmonstm.bench.probe.ResourceMeter;
import io.sysmonstm.bench.report.BenchReport;
import io.sysmonstm.bench.report.RunStatistics;
import io.sysmonstm.bench.report.Verdict;
import io.sysmonstm.config.Durations;
import io.sysmonstm.config.Settings;
import io.sysmonstm.live.RedisKeys;
import io.sysmonstm.rules.Rule;
import io.sysmonstm.rules.RuleCodec;
import io.sysmonstm.sql.Migrations;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One benchmark run: data in, the job on a mini-cluster, the measurements, the report. */
final class BenchRun {
  private static final Logger LOG = LoggerFactory.getLogger(BenchRun.class);

  private final BenchConfig cfg;
  private final BenchServers servers;

  /** Redis when the run began, for the keys it evicts during the run (null: not readable). */
  private RedisMemory.Reading redisAtStart;

  private final String tag;
  private Instant start;
  private final BenchKafka kafka;
  private final String jdbcUrl;

  BenchRun(BenchConfig cfg, BenchServers servers) {
    this.cfg = cfg;
    this.servers = servers;
    this.tag = cfg.tagOrRandom();
    this.start =
        cfg.mode() == BenchConfig.Mode.ALERT_LATENCY ? null : cfg.startInstant(Instant.now());
    this.kafka = new BenchKafka(cfg, servers.kafkaBootstrap(), tag);
    this.jdbcUrl =
        cfg.jdbcParams()
            .map(p -> servers.jdbcUrl() + (servers.jdbcUrl().contains("?") ? "&" : "?") + p)
            .orElse(servers.jdbcUrl());
  }

  /**
   * Snapshots per host: the duration, then a tail long enough that the watermark (newest event time
   * minus the job's out-of-orderness) passes the end of the last minute, so it closes.
   */
  static long ticks(Duration duration, Duration outOfOrderness, Duration interval) {
    long needed = duration.plus(outOfOrderness).toMillis();
    long iv = interval.toMillis();
    return (needed + iv - 1) / iv + 1;
  }

  BenchReport execute() throws Exception {
    Path checkpointDir = Files.createTempDirectory("sysmonstm-bench-checkpoints");
    Path rulesFile = null;
    try {
      if (timed()) {
        rulesFile = Files.createTempFile("sysmonstm-bench-rules", ".json");
        Files.writeString(rulesFile, BenchRules.file(cfg.breaches().sustainedFor()));
      }
      return execute(checkpointDir, rulesFile);
    } finally {
      deleteRecursively(checkpointDir);
      if (rulesFile != null) {
        Files.deleteIfExists(rulesFile);
      }
    }
  }

  /** Alert-latency mode: breaches timed from the first breaching sample to Redis. */
  private boolean timed() {
    return cfg.mode() == BenchConfig.Mode.ALERT_LATENCY;
  }

  private BenchReport execute(Path checkpointDir, Path rulesFile) throws Exception {
    JobConfig jobCfg = jobConfig(checkpointDir, rulesFile);
    long ticks = ticks(cfg.duration(), jobCfg.outOfOrderness(), cfg.interval());
    long expectedSnapshots = ticks * cfg.hosts();
    long samplesExpected = expectedSnapshots * cfg.series();

    kafka.create();
    Migrations.apply(servers.jdbcUrl(), cfg.jdbcUser(), cfg.jdbcPassword());
    String load = loadAverage();
    redisAtStart = redisMemory();

    // alert-latency: the fleet starts when the job runs, its event time is the wall clock
    FleetSimulator sim = timed() ? null : fleet(ticks);
    BenchReport.Production production = null;
    if (cfg.mode() == BenchConfig.Mode.PRELOAD) {
      long t0 = System.nanoTime();
      try (Producer<String, byte[]> producer = FleetSimulator.producer(servers.kafkaBootstrap())) {
        sim.preload(producer, kafka.samplesTopic(), ticks);
      }
      production = production(sim, System.nanoTime() - t0);
      LOG.info(
          "Wrote {} snapshots in {} s; starting the job",
          production.snapshots(),
          String.format("%.1f", production.seconds()));
    }

    try (BenchCluster flink = BenchCluster.start(cfg)) {
      AlertSubscriber subscriber = null;
      try {
        if (timed()) {
          // before the job: no event can slip past
          subscriber =
              AlertSubscriber.start(
                  URI.create(servers.redisUrl()), RedisKeys.ALERTS_CHANNEL, Duration.ofSeconds(10));
        }
        JobID jobId = flink.submit(jobCfg);
        LOG.info("Job {} running; Flink web UI at {}", AnalyticsJob.NAME, flink.restBase());
        if (timed()) {
          start = Instant.ofEpochMilli((System.currentTimeMillis() / 1000 + 2) * 1000);
          sim = fleet(ticks);
          LOG.info(
              "The fleet starts at {}: {} breaches of {} hosts planned",
              start,
              sim.breachPlan().all().size(),
              sim.breachPlan().breachingHosts());
        }
        return measure(
            flink,
            jobId,
            sim,
            ticks,
            expectedSnapshots,
            samplesExpected,
            load,
            production,
            subscriber);
      } finally {
        if (subscriber != null) {
          subscriber.close();
        }
      }
    }
  }

  private BenchReport measure(
      BenchCluster flink,
      JobID jobId,
      FleetSimulator sim,
      long ticks,
      long expectedSnapshots,
      long samplesExpected,
      String load,
      BenchReport.Production produced,
      AlertSubscriber subscriber)
      throws Exception {
    FleetSpec spec = sim.spec();
    Instant dataEnd = start.plus(cfg.interval().multipliedBy(ticks));
    Instant minutesFrom = ceilMinute(start);
    Instant minutesTo = floorMinute(start.plus(cfg.duration()));
    long minutes = Math.max(0, Duration.between(minutesFrom, minutesTo).toMinutes());
    long rollupExpected = (long) cfg.hosts() * cfg.series() * minutes;
    BenchReport.Production production = produced;
    try (PostgresCounts counts =
        new PostgresCounts(
            servers.jdbcUrl(),
            cfg.jdbcUser(),
            cfg.jdbcPassword(),
            hostPrefix(sim),
            start,
            dataEnd,
            minutesFrom,
            minutesTo)) {
      JobWatch w =
          new JobWatch(
              cfg,
              servers.processes(),
              flink,
              jobId,
              counts,
              sim,
              expectedSnapshots,
              rollupExpected,
              samplesExpected);
      Thread producerThread = null;
      AtomicReference<Throwable> producerFailure = new AtomicReference<>();
      if (cfg.mode().live()) {
        producerThread =
            new Thread(
                () -> {
                  try (Producer<String, byte[]> producer =
                      FleetSimulator.producer(servers.kafkaBootstrap())) {
                    // the first send of a new producer waits for the topic's metadata
                    producer.partitionsFor(kafka.samplesTopic());
                    if (timed()) {
                      sim.awaitStart();
                    }
                    w.productionStart.set(System.nanoTime());
                    sim.live(producer, kafka.samplesTopic(), ticks, () -> w.stopped, timed());
                  } catch (Throwable t) {
                    producerFailure.set(t);
                  } finally {
                    w.productionEnd.set(System.nanoTime());
                  }
                },
                "fleet-simulator");
        producerThread.setDaemon(true);
        producerThread.start();
      }
      try {
        w.run(cfg.timeout());
      } finally {
        w.stopped = true;
        if (producerThread != null) {
          producerThread.join(TimeUnit.MINUTES.toMillis(2));
        }
      }
      if (producerFailure.get() != null) {
        throw new IllegalStateException("the fleet simulator failed", producerFailure.get());
      }
      if (production == null) {
        production = production(sim, w.productionEnd.get() - w.productionStart.get());
      }
      AlertWatch alertWatch = null;
      if (timed()) {
        alertWatch = new AlertWatch(cfg, kafka, sim, start, subscriber);
        alertWatch.awaitTransitions();
      }
      long committed = kafka.awaitCommitted(expectedSnapshots, w.allRowsNanos != 0);
      BenchReport.Checkpoints checkpoints = flink.checkpoints(jobId, w.drainedWallMs);
      BenchReport.Alerts alerts = null;
      if (alertWatch != null) {
        alerts = alertWatch.report(counts, hostPrefix(sim));
      }
      flink.cancel(jobId);
      return report(
          spec,
          ticks,
          load,
          flink.restBase(),
          production,
          w,
          committed,
          checkpoints,
          minutes,
          alerts);
    }
  }

  private FleetSimulator fleet(long ticks) {
    FleetSpec spec =
        new FleetSpec(cfg.hosts(), cfg.series(), cfg.interval(), start, cfg.seed(), tag);
    if (!timed()) {
      return new FleetSimulator(spec);
    }
    BenchConfig.Breaches b = cfg.breaches();
    return new FleetSimulator(
        spec,
        BreachPlan.of(
            cfg.hosts(), b.every(), b.warmup(), b.duration(), b.pause(), cfg.interval(), ticks));
  }

  private static String hostPrefix(FleetSimulator sim) {
    return sim.hostId(0).substring(0, sim.hostId(0).lastIndexOf('-') + 1);
  }

  static Instant ceilMinute(Instant t) {
    Instant floor = floorMinute(t);
    return floor.equals(t) ? t : floor.plus(Duration.ofMinutes(1));
  }

  static Instant floorMinute(Instant t) {
    return t.truncatedTo(ChronoUnit.MINUTES);
  }

  private JobConfig jobConfig(Path checkpointDir, Path rulesFile) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--kafka-bootstrap",
                servers.kafkaBootstrap(),
                "--samples-topic",
                kafka.samplesTopic(),
                "--group-id",
                kafka.group(),
                "--starting-offsets",
                "earliest",
                "--jdbc-url",
                jdbcUrl,
                "--jdbc-user",
                cfg.jdbcUser(),
                "--jdbc-password",
                cfg.jdbcPassword(),
                "--redis-url",
                servers.redisUrl(),
                "--checkpoint-interval",
                cfg.checkpointInterval().toMillis() + "ms",
                "--checkpoint-dir",
                checkpointDir.toUri().toString(),
                "--state-backend",
                cfg.stateBackend(),
                "--parallelism",
                String.valueOf(cfg.parallelism()),
                "--migrate",
                "false",
                "--alerts",
                String.valueOf(cfg.alerts()),
                "--rules-topic",
                kafka.rulesTopic(),
                "--alerts-topic",
                kafka.alertsTopic()));
    if (rulesFile != null) {
      args.addAll(List.of("--rules-file", rulesFile.toString()));
    }
    return JobConfig.from(Settings.parse(args.toArray(String[]::new), Map.of()));
  }

  private BenchReport.Production production(FleetSimulator sim, long nanos) {
    return RunStatistics.production(
        sim.acked(), sim.bytes(), cfg.series(), nanos, sim.spec().samplesPerSecond());
  }

  private BenchReport report(
      FleetSpec spec,
      long ticks,
      String load,
      URI restBase,
      BenchReport.Production production,
      JobWatch w,
      long committed,
      BenchReport.Checkpoints checkpoints,
      long minutes,
      BenchReport.Alerts alerts) {
    int series = cfg.series();
    long endNanos = w.drainedNanos != 0 ? w.drainedNanos : w.lastPointNanos();
    long endCount = w.drainedNanos != 0 ? w.expectedSnapshots : w.consumed;
    double seconds =
        w.firstReadNanos == 0 ? 0 : Math.max(1e-9, (endNanos - w.firstReadNanos) / 1e9);
    double rate = seconds == 0 ? 0 : endCount * series / seconds;
    BenchReport.Consumption consumption =
        new BenchReport.Consumption(
            w.consumed,
            w.consumed * series,
            committed,
            seconds,
            rate,
            RunStatistics.steadyRate(w.points, w.expectedSnapshots) * series);

    BenchReport.Lag lag = null;
    if (cfg.mode().live()) {
      lag =
          RunStatistics.lag(
              w.points,
              w.productionStart.get(),
              w.productionEnd.get(),
              w.drainedNanos,
              series,
              spec.samplesPerSecond());
    }
    BenchReport.Rows rows =
        new BenchReport.Rows(
            minutes,
            w.rollupExpected,
            w.rollup1m,
            w.samplesExpected,
            w.samples,
            w.allRowsNanos == 0 ? null : (w.allRowsNanos - w.firstReadNanos) / 1e9);
    RedisMemory.Reading redisAtEnd = redisMemory();
    BenchReport.Live live =
        redisAtStart == null || redisAtEnd == null
            ? null
            : new BenchReport.Live(
                redisAtEnd.usedBytes(),
                redisAtEnd.maxBytes(),
                redisAtEnd.evictedKeys() - redisAtStart.evictedKeys());
    boolean complete = w.failure == null && w.allRowsNanos != 0;
    boolean exact =
        w.consumed == w.expectedSnapshots
            && w.rollup1m == w.rollupExpected
            && (w.samples == null || w.samples == w.samplesExpected)
            && production.snapshots() == w.expectedSnapshots
            && (alerts == null
                || (alerts.book().exact()
                    && alerts.kafkaTransitions() == alerts.expectedTransitions()
                    && alerts.tableTransitions() == alerts.expectedTransitions()));
    BenchReport.Setup setup =
        new BenchReport.Setup(
            cfg.mode().flag(),
            cfg.hosts(),
            series,
            Durations.format(cfg.interval()),
            Durations.format(cfg.duration()),
            ticks,
            cfg.parallelism(),
            cfg.partitions(),
            cfg.stateBackend(),
            cfg.unalignedCheckpoints(),
            alertRules(),
            Durations.format(cfg.checkpointInterval()),
            kafka.samplesTopic(),
            start.toString(),
            tag,
            servers.kafkaDescription(),
            servers.postgresDescription()
                + (cfg.jdbcParams().isPresent() ? " with " + cfg.jdbcParams().get() : ""),
            servers.redisDescription(),
            cfg.discard().stream()
                .map(s -> s.name().toLowerCase(java.util.Locale.ROOT))
                .sorted()
                .toList(),
            restBase.toString(),
            load);
    ResourceMeter.Usage usage =
        w.usage != null ? w.usage : ResourceMeter.start().usage(); // never read: zeros
    double sent = w.sim.spec().samplesPerSecond();
    String verdict =
        alerts != null
            ? Verdict.alertLatency(complete, exact, w.failure, sent, lag, alerts)
            : Verdict.throughput(complete, exact, w.failure, sent, consumption, lag, checkpoints);
    if (live != null && live.evictedKeys() > 0) {
      verdict +=
          String.format(
              java.util.Locale.ROOT,
              "; Redis evicted %,d keys (live values lost: too small for the fleet)",
              live.evictedKeys());
    }
    return new BenchReport(
        setup,
        null,
        production,
        consumption,
        lag,
        rows,
        live,
        checkpoints,
        usage,
        w.loads(),
        alerts,
        new BenchReport.Outcome(complete, exact, verdict));
  }

  /** Redis's memory and evictions now, or null (logged) when it cannot be read. */
  private RedisMemory.Reading redisMemory() {
    try {
      return RedisMemory.read(servers.redisUrl());
    } catch (RuntimeException e) {
      LOG.warn("Cannot read Redis INFO ({}); the report leaves Redis out", e.toString());
      return null;
    }
  }

  private String alertRules() {
    if (!cfg.alerts()) {
      return "off (--alerts false): the job has no alert branch";
    }
    String topics = "; topics " + kafka.rulesTopic() + " (compacted), " + kafka.alertsTopic();
    if (timed()) {
      return "rules file of the run (defaults + "
          + BenchRules.INSTANT
          + ", "
          + BenchRules.SUSTAINED
          + ")"
          + topics;
    }
    return "the job's built-in default rules ("
        + String.join(", ", RuleCodec.defaults().stream().map(Rule::id).toList())
        + ")"
        + topics;
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  LOG.debug("Could not delete {}: {}", p, e.toString());
                }
              });
    } catch (IOException e) {
      LOG.warn("Could not delete checkpoint directory {}: {}", dir, e.toString());
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
