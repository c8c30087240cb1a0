package io.sysmonstm.analytics;

import static io.sysmonstm.analytics.testing.ExpectedRollups.HOUR_MS;
import static io.sysmonstm.analytics.testing.ExpectedRollups.MINUTE_MS;
import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sysmonstm.analytics.rollup.RollupRow;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.testing.ExpectedRollups;
import io.sysmonstm.analytics.testing.ExpectedRollups.Key;
import io.sysmonstm.analytics.testing.Fleet;
import io.sysmonstm.analytics.testing.Fleet.Batch;
import io.sysmonstm.analytics.testing.Probe;
import io.sysmonstm.analytics.testing.RollupTables;
import io.sysmonstm.analytics.testing.TestFlink;
import io.sysmonstm.analytics.testing.TestJob;
import io.sysmonstm.embedded.KafkaExtension;
import io.sysmonstm.embedded.PostgresExtension;
import io.sysmonstm.embedded.RedisExtension;
import io.sysmonstm.sql.Migrations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once rollups end to end: the production job (RocksDB, incremental checkpoints, Kafka
 * source, JDBC and Redis sinks) on a mini-cluster against a real Kafka broker, PostgreSQL and
 * Redis, with tasks failed on purpose, resent batches, a back-fill of late data, savepoints and a
 * replay. Every row is compared with an independent computation from the input.
 */
class ExactlyOnceIT {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension(Migrations::apply);

  @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.perClass();

  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = TestFlink.cluster(2, METRICS);

  static final Duration INTERVAL = Duration.ofSeconds(20);
  static final Duration WAIT = Duration.ofSeconds(120);

  static Admin admin;

  @TempDir Path checkpoints;
  @TempDir Path savepoints;

  @BeforeAll
  static void startServers() throws Exception {
    admin = KAFKA.admin();
  }

  static String database(String name) {
    return POSTGRES.newDatabase(name);
  }

  JobConfig config(String topic, String group, String jdbcUrl, String... more) {
    List<String> args =
        TestJob.args(KAFKA.bootstrapServers(), topic, group, jdbcUrl, REDIS.url(), checkpoints);
    args.addAll(
        List.of(
            "--checkpoint-interval",
            "300ms",
            // longer than any test: Flink 2.2 drops the MAX_WATERMARK of a drain when a
            // source is idle at that moment (FLINK-40499), and the final windows never fire
            "--idleness",
            "5m",
            // rollups only here; alert transitions through failures: AlertsExactlyOnceIT
            "--alerts",
            "false"));
    args.addAll(List.of(more));
    return TestJob.config(args);
  }

  final List<JobClient> started = new ArrayList<>();

  @AfterEach
  void cancelJobsLeftRunning() throws Exception {
    for (JobClient job : started) {
      if (!job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
        job.cancel().get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Starts the production job with {@code afterSource}, restored from {@code savepoint}. */
  JobClient start(
      JobConfig cfg,
      UnaryOperator<DataStream<HostSnapshot>> afterSource,
      Optional<String> savepoint)
      throws Exception {
    Configuration conf = TestFlink.restarting(10, Duration.ofMillis(50));
    savepoint.ifPresent(p -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, p));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    AnalyticsJob.configure(env, cfg);
    env.configure(conf);
    AnalyticsJob.productionBuilder(cfg).afterSource(afterSource).build().build(env);
    JobClient job = env.executeAsync(AnalyticsJob.NAME);
    started.add(job);
    return job;
  }

  /** Stops the job with a savepoint; {@code drain} first fires every window (end of input). */
  String stop(JobClient job, boolean drain) throws Exception {
    String path =
        job.stopWithSavepoint(drain, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    job.getJobExecutionResult().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return path;
  }

  /** Waits until the probe saw {@code batches} and a checkpoint taken after that completed. */
  static void awaitSeenAndCheckpointed(Probe probe, List<Batch> batches) {
    List<String> ids = batches.stream().map(Batch::id).toList();
    await().atMost(WAIT).until(() -> probe.sawAll(ids));
    long seen = probe.lastCompletedCheckpoint();
    await().atMost(WAIT).until(() -> probe.lastCompletedCheckpoint() >= seen + 2);
  }

  /** Sum of counter {@code name} over every task of the job, restarted attempts included. */
  static long counter(JobClient job, String name) {
    String jobId = job.getJobID().toString();
    return METRICS.getMetricsByGroup().entrySet().stream()
        .filter(g -> jobId.equals(g.getKey().getAllVariables().get("<job_id>")))
        .flatMap(g -> g.getValue().entrySet().stream())
        .filter(m -> m.getKey().equals(name) && m.getValue() instanceof Counter)
        .mapToLong(m -> ((Counter) m.getValue()).getCount())
        .sum();
  }

  static List<HostSnapshot> snapshots(List<Batch> batches) {
    return batches.stream().flatMap(b -> b.snapshots().stream()).toList();
  }

  static Instant at(Duration d) {
    return T0.plus(d);
  }

  @Test
  void rollupsAreExactThroughFailuresResendsABackfillAndAReplayFromASavepoint() throws Exception {
    // 20 hosts x 10 series x 250 snapshots (20 s apart, 5 per batch: 50 batches per host, seq
    // 1..50) = 50,000 samples over 83 minutes. Hosts 0-3 miss batches 31-36 (T0+50m..T0+60m):
    // they are back-filled at the end, when the watermark is past T0+66m.
    int hosts = 20;
    int rounds = 50;
    String topic = "exactly-once-" + UUID.randomUUID();
    KAFKA.createTopic(topic, 2);
    String jdbcUrl = database("exactly_once");
    Batch[][] batch = new Batch[hosts][rounds];
    for (int h = 0; h < hosts; h++) {
      for (int r = 0; r < rounds; r++) {
        batch[h][r] = Fleet.batch(Fleet.host(h), r + 1, T0, 5, INTERVAL, 10);
      }
    }
    int[] chunkStarts = {0, 10, 25, 40, rounds};
    List<List<Batch>> chunks = new ArrayList<>();
    List<Batch> resent = new ArrayList<>();
    for (int c = 0; c + 1 < chunkStarts.length; c++) {
      List<Batch> chunk = new ArrayList<>();
      for (int r = chunkStarts[c]; r < chunkStarts[c + 1]; r++) {
        for (int h = 0; h < hosts; h++) {
          if (!(h < 4 && r >= 30 && r <= 35)) {
            chunk.add(batch[h][r]);
          }
        }
        // a collector that lost an ack resends a batch three rounds later
        for (int h = 0; h < hosts; h++) {
          int old = r - 3;
          if (old >= 0 && (h * 7 + old) % 9 == 0 && !(h < 4 && old >= 30 && old <= 35)) {
            chunk.add(batch[h][old]);
            resent.add(batch[h][old]);
          }
        }
      }
      chunks.add(chunk);
    }
    List<Batch> backfill = new ArrayList<>();
    for (int h = 0; h < 4; h++) {
      for (int r = 30; r <= 35; r++) {
        backfill.add(batch[h][r]);
      }
    }
    backfill.add(batch[0][30]);
    backfill.add(batch[3][35]);
    List<Batch> produced = new ArrayList<>();
    chunks.forEach(produced::addAll);
    produced.addAll(backfill);
    List<HostSnapshot> distinct = ExpectedRollups.distinct(snapshots(produced));
    assertThat(distinct.stream().mapToLong(s -> s.samples().length).sum()).isEqualTo(50_000);

    // failures at the first batch of host-05 in rounds 10, 25 and 40
    Probe probe = new Probe(List.of(batch[5][10].id(), batch[5][25].id(), batch[5][40].id()));
    JobConfig cfg = config(topic, "first-" + topic, jdbcUrl);
    JobClient job = start(cfg, probe::apply, Optional.empty());

    Fleet.produce(KAFKA.bootstrapServers(), topic, chunks.get(0));
    awaitSeenAndCheckpointed(probe, chunks.get(0));
    Fleet.produce(KAFKA.bootstrapServers(), topic, chunks.get(1));
    await().atMost(WAIT).until(() -> probe.failures() == 1);
    awaitSeenAndCheckpointed(probe, chunks.get(1));
    String earlierSavepoint =
        job.triggerSavepoint(savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Fleet.produce(KAFKA.bootstrapServers(), topic, chunks.get(2));
    await().atMost(WAIT).until(() -> probe.failures() == 2);
    awaitSeenAndCheckpointed(probe, chunks.get(2));
    Fleet.produce(KAFKA.bootstrapServers(), topic, chunks.get(3));
    await().atMost(WAIT).until(() -> probe.failures() == 3);
    awaitSeenAndCheckpointed(probe, chunks.get(3));

    // before the back-fill: the watermark is past T0+66m and the first hour has fired
    long afterBackfilled = at(Duration.ofMinutes(66)).toEpochMilli();
    String host0 = Fleet.host(0);
    await()
        .atMost(WAIT)
        .until(
            () ->
                RollupTables.count(
                            jdbcUrl,
                            "SELECT count(*) FROM rollup_1m WHERE bucket >= to_timestamp("
                                + afterBackfilled / 1000
                                + ")")
                        > 0
                    && RollupTables.count(
                            jdbcUrl,
                            "SELECT count(*) FROM rollup_1h WHERE host_id = '"
                                + host0
                                + "' AND bucket = to_timestamp("
                                + T0.getEpochSecond()
                                + ")")
                        > 0);
    long hourCountBefore =
        RollupTables.count(
            jdbcUrl,
            "SELECT sum(count) FROM rollup_1h WHERE host_id = '"
                + host0
                + "' AND bucket = to_timestamp("
                + T0.getEpochSecond()
                + ")");
    Fleet.produce(KAFKA.bootstrapServers(), topic, backfill);
    Fleet.awaitConsumed(admin, cfg.groupId(), topic, WAIT);
    stop(job, true);

    Map<Key, RollupRow> minutes = RollupTables.dump(jdbcUrl, "rollup_1m");
    Map<Key, RollupRow> hours = RollupTables.dump(jdbcUrl, "rollup_1h");
    assertThat(probe.failures()).as("tasks failed on purpose").isEqualTo(3);
    ExpectedRollups.assertTableMatches(minutes, ExpectedRollups.of(distinct, MINUTE_MS));
    ExpectedRollups.assertTableMatches(hours, ExpectedRollups.of(distinct, HOUR_MS));
    assertThat(
            RollupTables.count(
                jdbcUrl,
                "SELECT sum(count) FROM rollup_1h WHERE host_id = '"
                    + host0
                    + "' AND bucket = to_timestamp("
                    + T0.getEpochSecond()
                    + ")"))
        .as("the back-fill updated the hour that had fired")
        .isEqualTo(hourCountBefore + 6 * 5 * 10);
    assertThat(RollupTables.count(jdbcUrl, "SELECT count(*) FROM samples")).isEqualTo(50_000);
    assertThat(RollupTables.count(jdbcUrl, "SELECT count(*) FROM late_samples"))
        .as("no late drops within the lateness")
        .isZero();
    assertThat(counter(job, "lateSnapshots")).isZero();
    assertThat(counter(job, "duplicateSnapshots"))
        .as("resent snapshots dropped (replays after a failure count again)")
        .isGreaterThanOrEqualTo(snapshots(resent).size() + 10L);

    // replay: restore the savepoint taken after the first failure and read the rest again
    Probe replay = new Probe(List.of());
    JobClient again =
        start(
            config(topic, "replay-" + topic, jdbcUrl),
            replay::apply,
            Optional.of(earlierSavepoint));
    Fleet.awaitConsumed(admin, "replay-" + topic, topic, WAIT);
    stop(again, true);

    assertThat(replay.records())
        .as("restored from the savepoint: only what came after it is read again")
        .isPositive()
        .isLessThan(snapshots(produced).size() - snapshots(chunks.get(0)).size());
    assertThat(RollupTables.dump(jdbcUrl, "rollup_1m")).isEqualTo(minutes);
    assertThat(RollupTables.dump(jdbcUrl, "rollup_1h")).isEqualTo(hours);
  }

  /** A stateless stage added in the second version of the job. */
  static final class Relabel implements MapFunction<HostSnapshot, HostSnapshot> {
    private static final long serialVersionUID = 1L;

    @Override
    public HostSnapshot map(HostSnapshot s) {
      return s;
    }
  }

  @Test
  void aSavepointRestoresIntoACompatiblyChangedJobAndSamplesBeyondTheLatenessAreKept()
      throws Exception {
    // 4 hosts x 3 series x 60 snapshots 20 s apart, 3 per batch: batches 1-10 before the
    // upgrade, 11-20 after it, with batches 9 and 10 resent after the upgrade
    String topic = "upgrade-" + UUID.randomUUID();
    KAFKA.createTopic(topic, 2);
    String jdbcUrl = database("upgrade");
    List<Batch> before = new ArrayList<>();
    List<Batch> after = new ArrayList<>();
    for (int seq = 1; seq <= 20; seq++) {
      for (int h = 0; h < 4; h++) {
        (seq <= 10 ? before : after).add(Fleet.batch(Fleet.host(h), seq, T0, 3, INTERVAL, 3));
      }
    }
    for (int h = 0; h < 4; h++) {
      after.add(0, Fleet.batch(Fleet.host(h), 10, T0, 3, INTERVAL, 3));
      after.add(0, Fleet.batch(Fleet.host(h), 9, T0, 3, INTERVAL, 3));
    }
    JobConfig cfg = config(topic, "upgrade-" + topic, jdbcUrl, "--allowed-lateness", "2m");

    Probe v1 = new Probe(List.of());
    JobClient job = start(cfg, v1::apply, Optional.empty());
    Fleet.produce(KAFKA.bootstrapServers(), topic, before);
    Fleet.awaitConsumed(admin, cfg.groupId(), topic, WAIT);
    String savepoint = stop(job, false);

    Fleet.produce(KAFKA.bootstrapServers(), topic, after);
    Probe v2 = new Probe(List.of());
    JobClient upgraded =
        start(
            cfg,
            s -> v2.apply(s).map(new Relabel()).name("relabel").uid("relabel"),
            Optional.of(savepoint));
    Fleet.awaitConsumed(admin, cfg.groupId(), topic, WAIT);

    // a snapshot 14 minutes late (allowed lateness 2m), once the watermark is past T0+15m
    long past = T0.plus(Duration.ofMinutes(15)).getEpochSecond();
    await()
        .atMost(WAIT)
        .until(
            () ->
                RollupTables.count(
                        jdbcUrl,
                        "SELECT count(*) FROM rollup_1m WHERE bucket >= to_timestamp(" + past + ")")
                    > 0);
    Batch tooLate =
        Fleet.batch(Fleet.host(0), 21, T0.minus(Duration.ofSeconds(1140)), 3, INTERVAL, 3);
    assertThat(tooLate.snapshots().get(0).timestampMs())
        .isEqualTo(T0.plusSeconds(60).toEpochMilli());
    Fleet.produce(KAFKA.bootstrapServers(), topic, List.of(tooLate));
    await()
        .atMost(WAIT)
        .until(() -> RollupTables.count(jdbcUrl, "SELECT count(*) FROM late_samples") == 9);
    stop(upgraded, true);

    List<Batch> all = new ArrayList<>(before);
    all.addAll(after);
    List<HostSnapshot> distinct = ExpectedRollups.distinct(snapshots(all));
    ExpectedRollups.assertTableMatches(
        RollupTables.dump(jdbcUrl, "rollup_1m"), ExpectedRollups.of(distinct, MINUTE_MS));
    ExpectedRollups.assertTableMatches(
        RollupTables.dump(jdbcUrl, "rollup_1h"), ExpectedRollups.of(distinct, HOUR_MS));
    assertThat(v2.records())
        .as("the upgraded job resumed where the savepoint was taken")
        .isEqualTo(snapshots(after).size() + tooLate.snapshots().size());
    assertThat(counter(upgraded, "duplicateSnapshots"))
        .as("resends of batches from before the upgrade are recognised from restored state")
        .isEqualTo(4 * 2 * 3);
    assertThat(counter(upgraded, "lateSnapshots")).isEqualTo(3);
    List<String> late =
        RollupTables.query(
            jdbcUrl,
            "SELECT host_id || ' ' || metric || ' ' || extract(epoch FROM ts)::bigint"
                + " FROM late_samples ORDER BY 1");
    assertThat(late)
        .hasSize(9)
        .allSatisfy(l -> assertThat(l).startsWith(Fleet.host(0) + " "))
        .anySatisfy(l -> assertThat(l).endsWith(" " + (T0.getEpochSecond() + 60)));
  }
}
