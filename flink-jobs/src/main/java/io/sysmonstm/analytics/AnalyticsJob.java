package io.sysmonstm.analytics;

import io.sysmonstm.analytics.alert.AlertEvent;
import io.sysmonstm.analytics.alert.AlertPipeline;
import io.sysmonstm.analytics.alert.KafkaLagWatch;
import io.sysmonstm.analytics.alert.PipelineHealth;
import io.sysmonstm.analytics.alert.RuleUpdate;
import io.sysmonstm.analytics.alert.RulesSource;
import io.sysmonstm.analytics.dedup.DropResentSnapshots;
import io.sysmonstm.analytics.late.LateSnapshots;
import io.sysmonstm.analytics.live.NewestSnapshotFilter;
import io.sysmonstm.analytics.raw.SampleRow;
import io.sysmonstm.analytics.raw.SnapshotRow;
import io.sysmonstm.analytics.raw.SnapshotRows;
import io.sysmonstm.analytics.raw.SnapshotSamples;
import io.sysmonstm.analytics.rollup.HostRollup;
import io.sysmonstm.analytics.rollup.HostRow;
import io.sysmonstm.analytics.rollup.HostRows;
import io.sysmonstm.analytics.rollup.HostWindow;
import io.sysmonstm.analytics.rollup.HourFromMinutes;
import io.sysmonstm.analytics.rollup.MinuteAggregate;
import io.sysmonstm.analytics.rollup.MinuteBatch;
import io.sysmonstm.analytics.rollup.MinuteBatches;
import io.sysmonstm.analytics.rollup.MinuteCloseTrigger;
import io.sysmonstm.analytics.rollup.RollupRow;
import io.sysmonstm.analytics.rollup.RollupRows;
import io.sysmonstm.analytics.rollup.StampBucket;
import io.sysmonstm.analytics.sink.alert.AlertSinks;
import io.sysmonstm.analytics.sink.alert.AlertmanagerSink;
import io.sysmonstm.analytics.sink.alert.RedisAlertSink;
import io.sysmonstm.analytics.sink.jdbc.JdbcSinks;
import io.sysmonstm.analytics.sink.redis.RedisLiveSink;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.source.EventTime;
import io.sysmonstm.analytics.source.KafkaSnapshotSource;
import io.sysmonstm.analytics.startup.DependencyCheck;
import io.sysmonstm.analytics.typeinfo.SharedInstanceTypeInfo;
import io.sysmonstm.config.Launcher;
import io.sysmonstm.rules.Rule;
import io.sysmonstm.rules.RuleCodec;
import io.sysmonstm.sql.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink job {@code sysmonstm-analytics}. It receives its input and sinks (Kafka, Redis and
 * PostgreSQL in production, bounded input and collecting sinks in tests); {@link #build} wires the
 * topology, {@link #main} only reads configuration, checks the dependencies and submits.
 *
 * <pre>
 * snapshots ─ keyBy host ─ dedup-batches ─┬─ live-newest ─────────────────────────── sink-redis-live
 *                                         ├─ raw-samples ─────────────────────────── sink-samples
 *                                         └─ rollup-1m-batches (per host and minute)
 *                                              ├─ late side output ─ late-snapshots
 *                                              │    ─ late-samples-rows ──────────── sink-late
 *                                              └─ rollup-1m (1 min tumbling, allowed lateness)
 *                                                   ├─ rollup-1m-rows ────────────── sink-rollup-1m
 *                                                   ├─ hosts-rows ────────────────── sink-hosts
 *                                                   └─ keyBy host ─ rollup-1h ─ rollup-1h-rows
 *                                                        ─ sink-rollup-1h
 * rules ─ broadcast ─┐
 *     dedup-batches ─┴─ alerts ({@link AlertPipeline}) ─────────────────────────── sink-alerts-*
 * </pre>
 *
 * <p>The stream is keyed by host once, before {@code dedup-batches}; the live filter and the minute
 * windows reuse that partitioning (no second shuffle). Every operator has a stable uid (the names
 * above), so savepoints restore across compatible changes.
 */
public final class AnalyticsJob {
  public static final String NAME = "sysmonstm-analytics";

  /** Snapshots later than the allowed lateness for their minute window. */
  public static final OutputTag<HostSnapshot> LATE =
      new OutputTag<>("late-snapshots", TypeInformation.of(HostSnapshot.class));

  private static final Logger LOG = LoggerFactory.getLogger(AnalyticsJob.class);
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration HOUR = Duration.ofHours(1);

  /**
   * Snapshots a subtask holds in open minute batches at most (about 300 bytes each with 20 series):
   * when reached, every batch goes to the minute window.
   */
  static final int MAX_BATCHED_SNAPSHOTS = 50_000;

  private static final Duration STARTUP_CHECK_TIMEOUT = Duration.ofSeconds(10);

  private final SnapshotInput input;
  private final Sink<HostSnapshot> liveSink;
  private final Sink<SnapshotRow> samplesSink;
  private final Sink<RollupRow> rollup1mSink;
  private final Sink<RollupRow> rollup1hSink;
  private final Sink<HostRow> hostsSink;
  private final Sink<SampleRow> lateSink;
  private final UnaryOperator<DataStream<HostSnapshot>> afterSource;
  private final Duration outOfOrderness;
  private final Duration idleness;
  private final Duration allowedLateness;
  private final Duration liveTtl;
  private final Duration dedupTtl;
  private final List<Rule> rules;
  private final RulesInput rulesInput;
  private final List<Sink<AlertEvent>> alertSinks;
  private final PipelineHealth pipelineHealth;
  private final Sink<AlertEvent> alertmanager;
  private final Duration alertRetroAfter;
  private final Duration pipelineLag;

  private AnalyticsJob(Builder b) {
    this.input = Objects.requireNonNull(b.input, "input (source) not set");
    this.liveSink = Objects.requireNonNull(b.liveSink, "live sink not set");
    this.samplesSink = Objects.requireNonNull(b.samplesSink, "samples sink not set");
    this.rollup1mSink = Objects.requireNonNull(b.rollup1mSink, "rollup_1m sink not set");
    this.rollup1hSink = Objects.requireNonNull(b.rollup1hSink, "rollup_1h sink not set");
    this.hostsSink = Objects.requireNonNull(b.hostsSink, "hosts sink not set");
    this.lateSink = b.lateSink != null ? b.lateSink : new DiscardingSink<>();
    this.afterSource = b.afterSource;
    this.outOfOrderness = b.cfg.outOfOrderness();
    this.idleness = b.cfg.idleness();
    this.allowedLateness = b.cfg.allowedLateness();
    this.liveTtl = b.cfg.liveTtl();
    this.dedupTtl = b.cfg.dedupTtl();
    this.rules = b.rules;
    this.rulesInput = b.rulesInput;
    this.alertSinks = List.copyOf(b.alertSinks);
    this.pipelineHealth = b.pipelineHealth;
    this.alertmanager = b.alertmanager;
    this.alertRetroAfter = b.cfg.alertRetroAfter();
    this.pipelineLag = b.cfg.pipelineLag();
  }

  /** A builder without input or sinks, timing taken from {@code cfg}. */
  public static Builder builder(JobConfig cfg) {
    return new Builder(cfg);
  }

  /**
   * A builder with the production input and sinks (Kafka, Redis, PostgreSQL) from {@code cfg}; any
   * of them can still be replaced, e.g. a bounded Kafka source in tests.
   */
  public static Builder productionBuilder(JobConfig cfg) {
    Builder b = builder(cfg);
    if (cfg.alerts()) {
      b.alertSink(
              AlertSinks.kafka(cfg.kafkaBootstrap(), cfg.alertsTopic(), cfg.groupId() + "-alerts"))
          .alertSink(AlertSinks.jdbc(cfg))
          .alertSink(new RedisAlertSink(cfg.redisUrl()));
      cfg.alertmanagerUrl().ifPresent(u -> b.alertmanager(new AlertmanagerSink(u)));
    }
    return b.source(KafkaSnapshotSource.create(cfg))
        .liveSink(new RedisLiveSink(cfg.redisUrl(), cfg.liveTtl()))
        .samplesSink(JdbcSinks.samples(cfg))
        .rollup1mSink(JdbcSinks.rollup1m(cfg))
        .rollup1hSink(JdbcSinks.rollup1h(cfg))
        .hostsSink(JdbcSinks.hosts(cfg))
        .lateSink(JdbcSinks.lateSamples(cfg))
        .rules(
            cfg.alerts() ? rulesOf(cfg) : List.of(),
            !cfg.alerts()
                ? null
                : env ->
                    env.fromSource(
                            RulesSource.create(
                                cfg.kafkaBootstrap(), cfg.rulesTopic(), cfg.groupId() + "-rules"),
                            RulesSource.watermarks(),
                            "source-rules")
                        .setParallelism(1)
                        .uid("source-rules"))
        .pipelineHealth(
            new KafkaLagWatch(
                cfg.kafkaBootstrap(),
                cfg.samplesTopic(),
                cfg.groupId(),
                max(cfg.pipelineLag(), cfg.checkpointInterval().multipliedBy(3))));
  }

  /** The rules the job starts with: the rules file, or the built-in defaults. */
  public static List<Rule> rulesOf(JobConfig cfg) {
    if (cfg.rulesFile().isEmpty()) {
      return RuleCodec.defaults();
    }
    try {
      return RuleCodec.parseAll(Files.readString(cfg.rulesFile().get()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read --rules-file " + cfg.rulesFile().get(), e);
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** The job as it runs in production: Kafka in, Redis and PostgreSQL out. */
  public static AnalyticsJob fromConfig(JobConfig cfg) {
    return productionBuilder(cfg).build();
  }

  /**
   * Wires the topology into {@code env}: one method per branch of the diagram above, each named
   * after the operators it adds.
   */
  public void build(StreamExecutionEnvironment env) {
    DataStream<HostSnapshot> read =
        afterSource.apply(input.open(env, EventTime.watermarks(outOfOrderness, idleness)));
    SingleOutputStreamOperator<HostSnapshot> snapshots = dedupBatches(read);
    KeyedStream<HostSnapshot, String> byHost =
        DataStreamUtils.reinterpretAsKeyedStream(snapshots, new SnapshotHost(), Types.STRING);

    liveNewest(byHost);
    rawSamples(snapshots);

    SingleOutputStreamOperator<MinuteBatch> batches = rollup1mBatches(snapshots);
    SingleOutputStreamOperator<HostRollup> minutes = rollup1m(batches);
    lateSnapshots(batches);
    rollup1mRows(minutes);
    hostsRows(minutes);
    rollup1h(minutes);

    if (!rules.isEmpty() || rulesInput != null) {
      alerts(env, byHost);
    }
  }

  /**
   * {@code dedup-batches}: resent batches dropped. The stream is keyed by host once, here; every
   * branch reads the deduplicated stream.
   */
  private SingleOutputStreamOperator<HostSnapshot> dedupBatches(DataStream<HostSnapshot> read) {
    return read.keyBy(new SnapshotHost())
        .process(new DropResentSnapshots(dedupTtl))
        .name("dedup-batches")
        .uid("dedup-batches");
  }

  /** {@code live-newest ─ sink-redis-live}: the newest snapshot per host to Redis at once. */
  private void liveNewest(KeyedStream<HostSnapshot, String> byHost) {
    byHost
        .process(new NewestSnapshotFilter(liveTtl))
        .name("live-newest")
        .uid("live-newest")
        .sinkTo(liveSink)
        .name("sink-redis-live")
        .uid("sink-redis-live");
  }

  /** {@code raw-samples ─ sink-samples}: every sample, one {@code samples_raw} row a snapshot. */
  private void rawSamples(SingleOutputStreamOperator<HostSnapshot> snapshots) {
    snapshots
        .map(new SnapshotRows())
        .name("raw-samples")
        .uid("raw-samples")
        .sinkTo(samplesSink)
        .name("sink-samples")
        .uid("sink-samples");
  }

  /**
   * {@code rollup-1m-batches}: snapshots reach the minute window in batches per host and minute
   * (see {@link MinuteBatches}); the batches decide lateness as the window would and send the late
   * snapshots to the side output {@link #LATE}.
   */
  private SingleOutputStreamOperator<MinuteBatch> rollup1mBatches(
      SingleOutputStreamOperator<HostSnapshot> snapshots) {
    return snapshots
        .transform(
            "rollup-1m-batches",
            // a batch is never changed once built: the chained window shares it
            SharedInstanceTypeInfo.of(MinuteBatch.class),
            new MinuteBatches(MINUTE, allowedLateness, MAX_BATCHED_SNAPSHOTS, LATE))
        .uid("rollup-1m-batches");
  }

  /**
   * {@code rollup-1m}: per host, one accumulator per series, over 1-minute tumbling windows with
   * the allowed lateness; on the partitioning of {@code dedup-batches} (no second shuffle).
   */
  private SingleOutputStreamOperator<HostRollup> rollup1m(
      SingleOutputStreamOperator<MinuteBatch> batches) {
    return DataStreamUtils.reinterpretAsKeyedStream(batches, new BatchHost(), Types.STRING)
        .window(TumblingEventTimeWindows.of(MINUTE))
        .trigger(new MinuteCloseTrigger())
        .allowedLateness(allowedLateness)
        // a host's minute goes to three consumers, two of them chained: they share it
        // instead of each getting a deep copy (HostRollup is immutable)
        .aggregate(
            new MinuteAggregate(),
            new StampBucket(),
            TypeInformation.of(HostWindow.class),
            TypeInformation.of(HostWindow.class),
            SharedInstanceTypeInfo.of(HostRollup.class))
        .name("rollup-1m")
        .uid("rollup-1m");
  }

  /** The late side output: {@code late-snapshots ─ late-samples-rows ─ sink-late}. */
  private void lateSnapshots(SingleOutputStreamOperator<MinuteBatch> batches) {
    batches
        .getSideOutput(LATE)
        .process(new LateSnapshots())
        .name("late-snapshots")
        .uid("late-snapshots")
        .flatMap(new SnapshotSamples())
        .name("late-samples-rows")
        .uid("late-samples-rows")
        .sinkTo(lateSink)
        .name("sink-late")
        .uid("sink-late");
  }

  /** {@code rollup-1m-rows ─ sink-rollup-1m}. */
  private void rollup1mRows(SingleOutputStreamOperator<HostRollup> minutes) {
    minutes
        .flatMap(new RollupRows())
        .name("rollup-1m-rows")
        .uid("rollup-1m-rows")
        .sinkTo(rollup1mSink)
        .name("sink-rollup-1m")
        .uid("sink-rollup-1m");
  }

  /** {@code hosts-rows ─ sink-hosts}. */
  private void hostsRows(SingleOutputStreamOperator<HostRollup> minutes) {
    minutes
        .map(new HostRows())
        .name("hosts-rows")
        .uid("hosts-rows")
        .sinkTo(hostsSink)
        .name("sink-hosts")
        .uid("sink-hosts");
  }

  /**
   * {@code keyBy host ─ rollup-1h ─ rollup-1h-rows ─ sink-rollup-1h}: the hour is built from the
   * minutes.
   */
  private void rollup1h(SingleOutputStreamOperator<HostRollup> minutes) {
    minutes
        .keyBy(new RollupHost())
        .window(TumblingEventTimeWindows.of(HOUR))
        .allowedLateness(allowedLateness)
        .process(new HourFromMinutes())
        .name("rollup-1h")
        .uid("rollup-1h")
        .flatMap(new RollupRows())
        .name("rollup-1h-rows")
        .uid("rollup-1h-rows")
        .sinkTo(rollup1hSink)
        .name("sink-rollup-1h")
        .uid("sink-rollup-1h");
  }

  /**
   * {@code rules ─ broadcast}, then {@code alerts} ({@link AlertPipeline}): rules evaluated per
   * host, transitions to every {@code sink-alerts-*}.
   */
  private void alerts(StreamExecutionEnvironment env, KeyedStream<HostSnapshot, String> byHost) {
    DataStream<RuleUpdate> ruleUpdates =
        rulesInput != null
            ? rulesInput.open(env)
            : env.fromData(List.of(new RuleUpdate("", null)), TypeInformation.of(RuleUpdate.class))
                .uid("source-rules")
                // fromData cannot be empty: one placeholder, filtered out
                .filter(u -> !u.ruleId().isEmpty())
                .uid("no-rule-updates");
    DataStream<AlertEvent> alerts =
        AlertPipeline.build(
            byHost, ruleUpdates, rules, alertRetroAfter, pipelineLag, pipelineHealth);
    for (int i = 0; i < alertSinks.size(); i++) {
      alerts.sinkTo(alertSinks.get(i)).name("sink-alerts-" + i).uid("sink-alerts-" + i);
    }
    if (alertmanager != null) {
      // it keeps every firing alert to re-send it: one writer holds them all
      alerts
          .sinkTo(alertmanager)
          .setParallelism(1)
          .name("sink-alerts-alertmanager")
          .uid("sink-alerts-alertmanager");
    }
  }

  /**
   * Applies the runtime settings of {@code cfg}: exactly-once checkpoints at the configured
   * interval, the state backend (RocksDB with incremental checkpoints, or heap), the checkpoint
   * directory, no Kryo fallback for state types, and the parallelism.
   */
  public static void configure(StreamExecutionEnvironment env, JobConfig cfg) {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, cfg.checkpointInterval());
    conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    conf.set(StateBackendOptions.STATE_BACKEND, cfg.stateBackend().flinkName());
    conf.set(
        CheckpointingOptions.INCREMENTAL_CHECKPOINTS,
        cfg.stateBackend() == JobConfig.StateBackend.ROCKSDB);
    cfg.checkpointDir()
        .ifPresent(
            dir -> {
              conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
              conf.set(
                  CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                  ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            });
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    env.configure(conf);
    cfg.parallelism().ifPresent(env::setParallelism);
  }

  public static void main(String[] args) throws Exception {
    Launcher.run(
        args,
        JobConfig.SETTINGS,
        (cfg, s) -> {
          LOG.info("Starting {} with {}", NAME, s.describe());
          DependencyCheck.all(cfg, STARTUP_CHECK_TIMEOUT);
          if (cfg.migrate()) {
            Migrations.apply(cfg.jdbcUrl(), cfg.jdbcUser(), cfg.jdbcPassword());
          }
          StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
          configure(env, cfg);
          fromConfig(cfg).build(env);
          LOG.info("Submitting {}; it runs until cancelled", NAME);
          env.execute(NAME);
        });
  }

  /** Builds an {@link AnalyticsJob}. */
  public static final class Builder {
    private final JobConfig cfg;
    private SnapshotInput input;
    private Sink<HostSnapshot> liveSink;
    private Sink<SnapshotRow> samplesSink;
    private Sink<RollupRow> rollup1mSink;
    private Sink<RollupRow> rollup1hSink;
    private Sink<HostRow> hostsSink;
    private Sink<SampleRow> lateSink;
    private UnaryOperator<DataStream<HostSnapshot>> afterSource = UnaryOperator.identity();
    private List<Rule> rules = List.of();
    private RulesInput rulesInput;
    private final List<Sink<AlertEvent>> alertSinks = new ArrayList<>();
    private PipelineHealth pipelineHealth = PipelineHealth.none();
    private Sink<AlertEvent> alertmanager;

    private Builder(JobConfig cfg) {
      this.cfg = Objects.requireNonNull(cfg, "cfg");
    }

    /** Reads snapshots from {@code source} (watermarks applied in the source). */
    public Builder source(Source<HostSnapshot, ?, ?> source) {
      return input(SnapshotInput.of(source));
    }

    /**
     * Reads snapshots from an input that builds its own stream (e.g. a source at parallelism 1).
     */
    public Builder input(SnapshotInput input) {
      this.input = Objects.requireNonNull(input, "input");
      return this;
    }

    /** Live values (newest snapshot per host). */
    public Builder liveSink(Sink<HostSnapshot> sink) {
      this.liveSink = sink;
      return this;
    }

    /** Raw samples, one row per snapshot. */
    public Builder samplesSink(Sink<SnapshotRow> sink) {
      this.samplesSink = sink;
      return this;
    }

    /** 1-minute rollup rows. */
    public Builder rollup1mSink(Sink<RollupRow> sink) {
      this.rollup1mSink = sink;
      return this;
    }

    /** 1-hour rollup rows. */
    public Builder rollup1hSink(Sink<RollupRow> sink) {
      this.rollup1hSink = sink;
      return this;
    }

    /** Host rows. */
    public Builder hostsSink(Sink<HostRow> sink) {
      this.hostsSink = sink;
      return this;
    }

    /**
     * Samples of snapshots beyond the allowed lateness (counted in {@code lateSnapshots}; discarded
     * when not set, {@code late_samples} in production).
     */
    public Builder lateSink(Sink<SampleRow> sink) {
      this.lateSink = sink;
      return this;
    }

    /**
     * An extra stage applied to the snapshots right after the source, before resent batches are
     * dropped (e.g. a probe or a failure injector in tests). Give its operators their own uids.
     */
    public Builder afterSource(UnaryOperator<DataStream<HostSnapshot>> stage) {
      this.afterSource = Objects.requireNonNull(stage, "stage");
      return this;
    }

    /**
     * Alert rules: {@code fileRules} in effect from the start, changed by the records of {@code
     * updates} (null: no changes). No rules and no updates leaves the alert branch out.
     */
    public Builder rules(List<Rule> fileRules, RulesInput updates) {
      this.rules = List.copyOf(fileRules);
      this.rulesInput = updates;
      return this;
    }

    /** A sink of alert transitions (several may be added: Kafka, PostgreSQL, Redis, ...). */
    public Builder alertSink(Sink<AlertEvent> sink) {
      this.alertSinks.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    /** Notifications to Alertmanager (written by one subtask). */
    public Builder alertmanager(Sink<AlertEvent> sink) {
      this.alertmanager = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /** Where the evaluation learns that the pipeline lags (Kafka consumer lag in production). */
    public Builder pipelineHealth(PipelineHealth health) {
      this.pipelineHealth = Objects.requireNonNull(health, "health");
      return this;
    }

    public AnalyticsJob build() {
      return new AnalyticsJob(this);
    }
  }

  /** Builds the stream of rule changes in the job's environment. */
  @FunctionalInterface
  public interface RulesInput extends java.io.Serializable {
    DataStream<RuleUpdate> open(StreamExecutionEnvironment env);
  }

  /** Keys snapshots by host. */
  static final class SnapshotHost implements KeySelector<HostSnapshot, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(HostSnapshot s) {
      return s.hostId();
    }
  }

  /** Keys minute batches by host. */
  static final class BatchHost implements KeySelector<MinuteBatch, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(MinuteBatch b) {
      return b.hostId;
    }
  }

  /** Keys host buckets by host. */
  static final class RollupHost implements KeySelector<HostRollup, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(HostRollup r) {
      return r.hostId();
    }
  }
}
