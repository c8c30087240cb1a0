package io.sysmonstm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysmonstm.analytics.AnalyticsJob;
import io.sysmonstm.analytics.JobConfig;
import io.sysmonstm.analytics.sink.alert.RedisAlertSink;
import io.sysmonstm.bench.alert.AlertLatencyBook;
import io.sysmonstm.bench.alert.AlertSubscriber;
import io.sysmonstm.bench.alert.BenchRules;
import io.sysmonstm.bench.fleet.BreachPlan;
import io.sysmonstm.bench.fleet.FleetSpec;
import io.sysmonstm.bench.probe.FlinkRest;
import io.sysmonstm.bench.probe.PostgresCounts;
import io.sysmonstm.bench.probe.RedisMemory;
import io.sysmonstm.bench.probe.ResourceMeter;
import io.sysmonstm.bench.report.BenchReport;
import io.sysmonstm.config.Durations;
import io.sysmonstm.config.Settings;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One benchmark run: data in, the job on a mini-cluster, the measurements, the report. */
final class BenchRun {
  private static final Logger LOG = LoggerFactory.getLogger(BenchRun.class);
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final List<String> LOAD_METRICS =
      List.of("busyTimeMsPerSecond", "backPressuredTimeMsPerSecond", "idleTimeMsPerSecond");

  private final BenchConfig cfg;
  private final BenchServers servers;

  /** Redis when the run began, for the keys it evicts during the run (null: not readable). */
  private RedisMemory.Reading redisAtStart;

  private final String tag;
  private Instant start;
  private final String topic;
  private final String rulesTopic;
  private final String alertsTopic;
  private final String group;
  private final String jdbcUrl;

  BenchRun(BenchConfig cfg, BenchServers servers) {
    this.cfg = cfg;
    this.servers = servers;
    this.tag = cfg.tagOrRandom();
    this.start =
        cfg.mode() == BenchConfig.Mode.ALERT_LATENCY ? null : cfg.startInstant(Instant.now());
    this.topic = "sysmonstm.samples.bench-" + tag;
    this.rulesTopic = "sysmonstm.rules.bench-" + tag;
    this.alertsTopic = "sysmonstm.alerts.bench-" + tag;
    this.group = "sysmonstm-bench-" + tag;
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

    createTopics();
    Migrations.apply(servers.jdbcUrl(), cfg.jdbcUser(), cfg.jdbcPassword());
    String load = loadAverage();
    redisAtStart = redisMemory();

    // alert-latency: the fleet starts when the job runs, its event time is the wall clock
    FleetSimulator sim = timed() ? null : fleet(ticks);
    BenchReport.Production production = null;
    if (cfg.mode() == BenchConfig.Mode.PRELOAD) {
      long t0 = System.nanoTime();
      try (Producer<String, byte[]> producer = FleetSimulator.producer(servers.kafkaBootstrap())) {
        sim.preload(producer, topic, ticks);
      }
      production = production(sim, System.nanoTime() - t0, sim.spec());
      LOG.info(
          "Wrote {} snapshots in {} s; starting the job",
          production.snapshots(),
          String.format("%.1f", production.seconds()));
    }

    Configuration conf = clusterConfiguration();
    MiniCluster flink =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(cfg.parallelism())
                .build());
    flink.start();
    AlertSubscriber subscriber = null;
    try {
      if (timed()) {
        // before the job: no event can slip past
        subscriber =
            AlertSubscriber.start(
                URI.create(servers.redisUrl()), RedisAlertSink.CHANNEL, Duration.ofSeconds(10));
      }
      URI restBase = URI.create(flink.getRestAddress().get().toString().replaceAll("/$", "") + "/");
      FlinkRest rest = new FlinkRest(restBase);
      JobID jobId = submit(flink, jobCfg);
      LOG.info("Job {} running; Flink web UI at {}", AnalyticsJob.NAME, restBase);
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
          rest,
          restBase,
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
      flink.closeAsync().get(60, TimeUnit.SECONDS);
    }
  }

  private BenchReport measure(
      MiniCluster flink,
      FlinkRest rest,
      URI restBase,
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
      Watch w =
          new Watch(
              flink, rest, jobId, counts, sim, expectedSnapshots, rollupExpected, samplesExpected);
      Thread producerThread = null;
      AtomicReference<Throwable> producerFailure = new AtomicReference<>();
      if (cfg.mode().live()) {
        producerThread =
            new Thread(
                () -> {
                  try (Producer<String, byte[]> producer =
                      FleetSimulator.producer(servers.kafkaBootstrap())) {
                    // the first send of a new producer waits for the topic's metadata
                    producer.partitionsFor(topic);
                    if (timed()) {
                      sim.awaitStart();
                    }
                    w.productionStart.set(System.nanoTime());
                    sim.live(producer, topic, ticks, () -> w.stopped, timed());
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
        production = production(sim, w.productionEnd.get() - w.productionStart.get(), spec);
      }
      AlertLatencyBook book = null;
      if (timed()) {
        book = book(sim);
        awaitAlerts(book, subscriber);
      }
      long committed = awaitCommitted(expectedSnapshots, w.allRowsNanos != 0);
      BenchReport.Checkpoints checkpoints = checkpoints(rest, jobId, w.drainedWallMs);
      BenchReport.Alerts alerts = null;
      if (book != null) {
        book.addAll(subscriber.drain());
        alerts = alerts(book, subscriber, counts, sim, hostPrefix(sim));
      }
      cancel(flink, jobId);
      return report(
          spec, ticks, load, restBase, production, w, committed, checkpoints, minutes, alerts);
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

  /** The breaches of the plan as the job sees them, with the rules they must fire. */
  private AlertLatencyBook book(FleetSimulator sim) {
    List<AlertLatencyBook.Breach> breaches = new ArrayList<>();
    for (BreachPlan.Breach b : sim.breachPlan().all()) {
      breaches.add(
          new AlertLatencyBook.Breach(
              sim.hostId(b.host()),
              sim.timestampMs(b.host(), b.firstTick()),
              sim.timestampMs(b.host(), b.recoverTick())));
    }
    return new AlertLatencyBook(
        breaches,
        List.of(
            new AlertLatencyBook.TimedRule(BenchRules.INSTANT, 0),
            new AlertLatencyBook.TimedRule(
                BenchRules.SUSTAINED, cfg.breaches().sustainedFor().toMillis())),
        start.toEpochMilli());
  }

  /**
   * Books the alert events received; the last breach recovered before production stopped, so once
   * the job has read everything its events are due within the Redis sink's flush interval. Waits a
   * little for stragglers, then gives up (they count as missing).
   */
  private void awaitAlerts(AlertLatencyBook book, AlertSubscriber subscriber)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    book.addAll(subscriber.drain());
    while (book.outstanding() > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
      book.addAll(subscriber.drain());
    }
    if (book.outstanding() > 0) {
      LOG.warn(
          "{} of {} alert transitions never arrived on Redis; reporting them as missing",
          book.outstanding(),
          book.expectedTransitions());
    }
  }

  private BenchReport.Alerts alerts(
      AlertLatencyBook book,
      AlertSubscriber subscriber,
      PostgresCounts counts,
      FleetSimulator sim,
      String hostPrefix)
      throws Exception {
    List<String> rules = List.of(BenchRules.INSTANT, BenchRules.SUSTAINED);
    long expected = book.expectedTransitions();
    // the sinks commit on the checkpoint that committed the last offsets; allow for stragglers
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    long inTopic = alertsInTopic(rules, hostPrefix, expected, deadline);
    long inTable = counts.alerts(rules);
    while (inTable < expected && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(200);
      inTable = counts.alerts(rules);
    }
    BenchConfig.Breaches b = cfg.breaches();
    BreachPlan plan = sim.breachPlan();
    String planText =
        String.format(
            java.util.Locale.ROOT,
            "hosts with index %% %d == 0 (%,d of %,d) send bench.breach = %.2f for %s, then %.2f"
                + " for %s, staggered over that cycle, first breach after %s",
            b.every(),
            plan.breachingHosts(),
            cfg.hosts(),
            FleetSimulator.BREACHING,
            Durations.format(b.duration()),
            FleetSimulator.CALM,
            Durations.format(b.pause()),
            Durations.format(b.warmup()));
    return new BenchReport.Alerts(
        "the built-in default rules + "
            + BenchRules.INSTANT
            + " (bench.breach > "
            + BenchRules.THRESHOLD
            + ", instant) + "
            + BenchRules.SUSTAINED
            + " (> "
            + BenchRules.THRESHOLD
            + " for "
            + Durations.format(b.sustainedFor())
            + "), both resolve <= "
            + BenchRules.RESOLVE,
        planText,
        Durations.format(cfg.checkpointInterval()),
        subscriber.received(),
        book.result(5),
        expected,
        inTopic,
        inTable,
        sim.maxSendDelayMs());
  }

  /**
   * Alert events of {@code rules} for this run's hosts in the alerts topic, as a read_committed
   * consumer sees them: read until {@code expected} are there or the deadline passes.
   */
  private long alertsInTopic(List<String> rules, String hostPrefix, long expected, long deadline) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            servers.kafkaBootstrap(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.CLIENT_ID_CONFIG,
            "sysmonstm-bench-alerts-" + tag);
    long n = 0;
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(alertsTopic).stream()
              .map(pi -> new TopicPartition(alertsTopic, pi.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      ObjectMapper json = new ObjectMapper();
      while (n < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          try {
            JsonNode e = json.readTree(r.value());
            if (rules.contains(e.path("rule_id").asText())
                && e.path("host_id").asText().startsWith(hostPrefix)) {
              n++;
            }
          } catch (IOException e) {
            LOG.debug("Not an alert event in {}: {}", alertsTopic, e.toString());
          }
        }
      }
    }
    return n;
  }

  static Instant ceilMinute(Instant t) {
    Instant floor = floorMinute(t);
    return floor.equals(t) ? t : floor.plus(Duration.ofMinutes(1));
  }

  static Instant floorMinute(Instant t) {
    return t.truncatedTo(ChronoUnit.MINUTES);
  }

  /** Follows the job once a second until every expected row is in PostgreSQL. */
  private final class Watch {
    final MiniCluster flink;
    final FlinkRest rest;
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

    Watch(
        MiniCluster flink,
        FlinkRest rest,
        JobID jobId,
        PostgresCounts counts,
        FleetSimulator sim,
        long expectedSnapshots,
        long rollupExpected,
        long samplesExpected) {
      this.flink = flink;
      this.rest = rest;
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
        JobStatus status = flink.getJobStatus(jobId).get(10, TimeUnit.SECONDS);
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
          meter = ResourceMeter.start(servers.processes());
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
  }

  /** The source operator's output counter: one record per snapshot. */
  static Optional<String> sourceOutputMetric(List<String> names) {
    return names.stream()
        .filter(n -> n.startsWith("Source__") && n.endsWith(".numRecordsOut"))
        .findFirst();
  }

  private JobConfig jobConfig(Path checkpointDir, Path rulesFile) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--kafka-bootstrap",
                servers.kafkaBootstrap(),
                "--samples-topic",
                topic,
                "--group-id",
                group,
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
                rulesTopic,
                "--alerts-topic",
                alertsTopic));
    if (rulesFile != null) {
      args.addAll(List.of("--rules-file", rulesFile.toString()));
    }
    return JobConfig.from(Settings.parse(args.toArray(String[]::new), Map.of()));
  }

  private Configuration clusterConfiguration() {
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_PORT, String.valueOf(cfg.uiPort()));
    conf.set(RestOptions.BIND_ADDRESS, "localhost");
    conf.set(RestOptions.ADDRESS, "localhost");
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, cfg.parallelism());
    conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
    conf.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, 10_000);
    return conf;
  }

  private JobID submit(MiniCluster flink, JobConfig jobCfg) throws Exception {
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
    StreamGraph streamGraph = env.getStreamGraph();
    streamGraph.setJobName(AnalyticsJob.NAME);
    JobGraph graph = streamGraph.getJobGraph();
    JobID id = flink.submitJob(graph).get(60, TimeUnit.SECONDS).getJobID();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JobStatus status = flink.getJobStatus(id).get(10, TimeUnit.SECONDS);
    while (status != JobStatus.RUNNING) {
      if (status.isTerminalState() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the job did not start (status " + status + ")");
      }
      TimeUnit.MILLISECONDS.sleep(100);
      status = flink.getJobStatus(id).get(10, TimeUnit.SECONDS);
    }
    return id;
  }

  private static void cancel(MiniCluster flink, JobID jobId) {
    try {
      if (!flink.getJobStatus(jobId).get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
        flink.cancelJob(jobId).get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warn("Cancelling the job failed: {}; closing the mini-cluster anyway", e.toString());
    }
  }

  private Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            servers.kafkaBootstrap(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            30_000));
  }

  /**
   * The run's topics (the embedded broker creates none by itself): samples; with alerts on, rule
   * changes (one partition, compacted, as the relay expects it) and alert events.
   */
  private void createTopics() throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    topics.add(new NewTopic(topic, Optional.of(cfg.partitions()), Optional.empty()));
    if (cfg.alerts()) {
      topics.add(
          new NewTopic(rulesTopic, Optional.of(1), Optional.empty())
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
      topics.add(new NewTopic(alertsTopic, Optional.of(cfg.partitions()), Optional.empty()));
    }
    try (Admin admin = admin()) {
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
    }
    LOG.info(
        "Created topic {} with {} partitions{}",
        topic,
        cfg.partitions(),
        cfg.alerts() ? ", " + rulesTopic + " (compacted) and " + alertsTopic : "");
  }

  /** Snapshots the group committed (on checkpoints); waits for the checkpoint after the drain. */
  private long awaitCommitted(long expected, boolean wait) throws Exception {
    long deadline =
        System.nanoTime() + cfg.checkpointInterval().multipliedBy(2).plusSeconds(15).toNanos();
    long committed = committed();
    while (wait && committed < expected && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(200);
      committed = committed();
    }
    return committed;
  }

  private long committed() throws Exception {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      return offsets.values().stream()
          .filter(o -> o != null)
          .mapToLong(OffsetAndMetadata::offset)
          .sum();
    } catch (ExecutionException e) {
      LOG.warn("Reading the group's committed offsets failed: {}", e.getCause().toString());
      return 0;
    }
  }

  /** Statistics of the checkpoints triggered before everything was read. */
  private static BenchReport.Checkpoints checkpoints(FlinkRest rest, JobID jobId, long untilWallMs)
      throws IOException {
    JsonNode json = rest.checkpoints(jobId.toHexString());
    int completed = 0;
    int failed = 0;
    long min = Long.MAX_VALUE;
    long max = 0;
    long sum = 0;
    long lastState = 0;
    long lastId = -1;
    long maxState = 0;
    long maxCheckpointed = 0;
    long maxBuffered = 0;
    java.util.TreeMap<Long, Long> durations = new java.util.TreeMap<>();
    for (JsonNode c : json.path("history")) {
      if (c.path("is_savepoint").asBoolean(false)
          || c.path("trigger_timestamp").asLong() > untilWallMs) {
        continue;
      }
      String status = c.path("status").asText();
      if (status.equals("FAILED")) {
        failed++;
      } else if (status.equals("COMPLETED")) {
        completed++;
        long d = c.path("end_to_end_duration").asLong();
        durations.put(c.path("id").asLong(), d);
        min = Math.min(min, d);
        max = Math.max(max, d);
        sum += d;
        long state = c.path("state_size").asLong();
        maxState = Math.max(maxState, state);
        maxCheckpointed = Math.max(maxCheckpointed, c.path("checkpointed_size").asLong());
        maxBuffered = Math.max(maxBuffered, c.path("alignment_buffered").asLong());
        if (c.path("id").asLong() > lastId) {
          lastId = c.path("id").asLong();
          lastState = state;
        }
      }
    }
    // a checkpoint that failed to trigger has no history entry: take the job's count
    failed = Math.max(failed, json.path("counts").path("failed").asInt());
    return new BenchReport.Checkpoints(
        completed,
        failed,
        completed == 0 ? 0 : min,
        completed == 0 ? 0 : sum / completed,
        max,
        lastState,
        maxState,
        maxCheckpointed,
        maxBuffered,
        List.copyOf(durations.values()),
        longest(rest, jobId.toHexString(), durations));
  }

  /** A task's name cut to its first operators (a chain's name lists every operator). */
  static String abbreviated(String task) {
    return task.length() <= 60 ? task : task.substring(0, 57) + "...";
  }

  /** The phases of the longest checkpoint in {@code durations}, from its details. */
  private static BenchReport.Slowest longest(
      FlinkRest rest, String jobId, Map<Long, Long> durations) {
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

  private BenchReport.Production production(FleetSimulator sim, long nanos, FleetSpec spec) {
    double seconds = Math.max(1e-9, nanos / 1e9);
    long samples = sim.acked() * cfg.series();
    return new BenchReport.Production(
        sim.acked(), samples, sim.bytes(), seconds, samples / seconds, spec.samplesPerSecond());
  }

  private BenchReport report(
      FleetSpec spec,
      long ticks,
      String load,
      URI restBase,
      BenchReport.Production production,
      Watch w,
      long committed,
      BenchReport.Checkpoints checkpoints,
      long minutes,
      BenchReport.Alerts alerts) {
    int series = cfg.series();
    long endNanos = w.drainedNanos != 0 ? w.drainedNanos : lastPointNanos(w);
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
            steadyRate(w.points, w.expectedSnapshots) * series);

    BenchReport.Lag lag = null;
    if (cfg.mode().live()) {
      lag = lag(w, spec);
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
    List<BenchReport.VertexLoad> loads = new ArrayList<>();
    for (FlinkRest.Vertex v : w.vertices) {
      double[] acc = w.loads.get(v.id());
      if (acc != null && acc[3] > 0) {
        loads.add(
            new BenchReport.VertexLoad(
                v.name(),
                v.parallelism(),
                acc[0] / acc[3] / 10,
                acc[1] / acc[3] / 10,
                acc[2] / acc[3] / 10));
      }
    }
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
            topic,
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
    String verdict =
        alerts != null
            ? alertVerdict(complete, exact, w, lag, alerts)
            : verdict(complete, exact, w, consumption, lag, checkpoints);
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
        loads,
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
    String topics = "; topics " + rulesTopic + " (compacted), " + alertsTopic;
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

  private String alertVerdict(
      boolean complete, boolean exact, Watch w, BenchReport.Lag lag, BenchReport.Alerts a) {
    if (!complete) {
      return "INCOMPLETE: " + (w.failure != null ? w.failure : "rows missing");
    }
    AlertLatencyBook.Result r = a.book();
    StringBuilder b =
        new StringBuilder(
            String.format(
                java.util.Locale.ROOT,
                "%s; at %,.0f samples/s the job %s; %,d breaches: %s",
                exact ? "counts exact" : "COUNTS DIFFER",
                w.sim.spec().samplesPerSecond(),
                lag.keptUp() ? "kept up" : "FELL BEHIND",
                r.breaches(),
                r.exact()
                    ? "each fired and resolved exactly once per rule"
                    : "ALERTS MISSING OR DUPLICATED"));
    for (AlertLatencyBook.RuleResult rr : r.rules()) {
      b.append(
          String.format(
              java.util.Locale.ROOT,
              "; %s p99 %,d ms%s (goal <= %s): %s",
              rr.rule(),
              rr.latency().p99(),
              rr.forMs() == 0
                  ? ""
                  : String.format(java.util.Locale.ROOT, " = for + %,d ms", rr.overFor().p99()),
              rr.forMs() == 0 ? "1 s" : "for + 1 s",
              rr.pass() ? "PASS" : "FAIL"));
    }
    return b.toString();
  }

  private String verdict(
      boolean complete,
      boolean exact,
      Watch w,
      BenchReport.Consumption c,
      BenchReport.Lag lag,
      BenchReport.Checkpoints k) {
    if (!complete) {
      return "INCOMPLETE: " + (w.failure != null ? w.failure : "rows missing");
    }
    String counts = exact ? "counts exact" : "COUNTS DIFFER";
    String ckpt =
        String.format(
            java.util.Locale.ROOT,
            "checkpoints max %,d ms (target <= %,d): %s",
            k.maxMs(),
            BenchReport.TARGET_CHECKPOINT_MS,
            k.maxMs() <= BenchReport.TARGET_CHECKPOINT_MS ? "met" : "NOT met");
    if (lag != null) {
      return String.format(
          java.util.Locale.ROOT,
          "%s; at %,.0f samples/s the job %s (target %,.0f samples/s: %s); %s",
          counts,
          w.sim.spec().samplesPerSecond(),
          lag.keptUp() ? "kept up" : "FELL BEHIND",
          BenchReport.TARGET_SAMPLES_PER_SECOND,
          lag.keptUp() && w.sim.spec().samplesPerSecond() >= BenchReport.TARGET_SAMPLES_PER_SECOND
              ? "met"
              : "NOT met",
          ckpt);
    }
    double sustained = Math.min(c.samplesPerSecond(), c.steadySamplesPerSecond());
    return String.format(
        java.util.Locale.ROOT,
        "%s; drained at %,.0f samples/s (target >= %,.0f: %s); %s",
        counts,
        sustained,
        BenchReport.TARGET_SAMPLES_PER_SECOND,
        sustained >= BenchReport.TARGET_SAMPLES_PER_SECOND ? "met" : "NOT met",
        ckpt);
  }

  private BenchReport.Lag lag(Watch w, FleetSpec spec) {
    long ps = w.productionStart.get();
    long pe = w.productionEnd.get() == 0 ? Long.MAX_VALUE : w.productionEnd.get();
    List<BenchReport.LagPoint> pts = new ArrayList<>();
    long max = 0;
    long end = 0;
    for (long[] p : w.points) {
      if (p[0] < ps || p[0] > pe) {
        continue;
      }
      long lag = Math.max(0, p[2] - p[1]) * cfg.series();
      pts.add(new BenchReport.LagPoint((p[0] - ps) / 1e9, lag));
      max = Math.max(max, lag);
      end = lag;
    }
    double half = pts.isEmpty() ? 0 : pts.get(pts.size() - 1).t() / 2;
    List<double[]> second = new ArrayList<>();
    for (BenchReport.LagPoint p : pts) {
      if (p.t() >= half) {
        second.add(new double[] {p.t(), p.samples()});
      }
    }
    double growth = slope(second);
    double drain =
        w.drainedNanos == 0 || pe == Long.MAX_VALUE
            ? Double.NaN
            : Math.max(0, (w.drainedNanos - pe) / 1e9);
    double nominal = spec.samplesPerSecond();
    boolean keptUp = w.drainedNanos != 0 && end <= 5 * nominal && growth <= 0.02 * nominal;
    return new BenchReport.Lag(pts, max, end, growth, drain, keptUp);
  }

  /** Snapshots per second between 10 % and 90 % read (least squares), 0 without enough points. */
  static double steadyRate(List<long[]> points, long expected) {
    List<double[]> xy = new ArrayList<>();
    for (long[] p : points) {
      if (p[1] >= expected * 0.1 && p[1] <= expected * 0.9) {
        xy.add(new double[] {p[0] / 1e9, p[1]});
      }
    }
    return xy.size() < 3 ? 0 : slope(xy);
  }

  /** Least-squares slope of y over x; 0 for fewer than two points. */
  static double slope(List<double[]> xy) {
    int n = xy.size();
    if (n < 2) {
      return 0;
    }
    double mx = 0;
    double my = 0;
    for (double[] p : xy) {
      mx += p[0];
      my += p[1];
    }
    mx /= n;
    my /= n;
    double num = 0;
    double den = 0;
    for (double[] p : xy) {
      num += (p[0] - mx) * (p[1] - my);
      den += (p[0] - mx) * (p[0] - mx);
    }
    return den == 0 ? 0 : num / den;
  }

  private static long lastPointNanos(Watch w) {
    return w.points.isEmpty() ? w.firstReadNanos : w.points.get(w.points.size() - 1)[0];
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
