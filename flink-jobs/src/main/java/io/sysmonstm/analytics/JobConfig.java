package io.sysmonstm.analytics;

import io.sysmonstm.config.Durations;
import io.sysmonstm.config.ServiceSettings;
import io.sysmonstm.config.Setting;
import io.sysmonstm.config.Settings;
import io.sysmonstm.live.RedisKeys;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Configuration of the job {@code sysmonstm-analytics}, read once from flags and environment
 * variables ({@code --kafka-bootstrap} or {@code SYSMONSTM_KAFKA_BOOTSTRAP}, ...); each setting is
 * described once, in {@link #SETTINGS} ({@code --help}, the README's table).
 *
 * @param kafkaBootstrap Kafka bootstrap servers, {@code host:port[,host:port]}
 * @param samplesTopic topic of {@code MetricBatch} records
 * @param groupId consumer group; offsets are committed to it on checkpoints
 * @param startingOffsets where to start reading when the job starts without a checkpoint
 * @param jdbcUrl PostgreSQL / TimescaleDB
 * @param jdbcUser database user
 * @param jdbcPassword database password
 * @param redisUrl Redis for live values, {@code redis://host:port}
 * @param checkpointInterval how often to checkpoint (exactly-once)
 * @param checkpointDir where checkpoints go ({@code file:///…}, {@code s3://…}); empty keeps them
 *     in the JobManager's memory
 * @param stateBackend {@code rocksdb} (incremental checkpoints) or {@code hashmap}
 * @param outOfOrderness how far behind the newest snapshot the watermark trails
 * @param idleness after how long a quiet partition stops holding the watermark back
 * @param allowedLateness how long after a window closed late snapshots still update it
 * @param liveTtl expiry of a host's live values in Redis after its last snapshot
 * @param dedupTtl how long the job remembers the batches of a collector run after its last new
 *     snapshot, to drop resent ones; must exceed the allowed lateness and the longest back-fill
 * @param parallelism job parallelism; empty takes the cluster's default
 * @param migrate whether {@code main} applies the database migrations before submitting
 * @param alerts whether the job evaluates alert rules
 * @param rulesFile the rules the job starts with (a JSON array); empty takes the built-in defaults
 * @param rulesTopic compacted topic of rule changes (key rule id, value JSON, tombstone deletes)
 * @param alertsTopic topic the alert transitions go to
 * @param alertmanagerUrl Alertmanager to notify ({@code http://host:9093}); empty: none
 * @param alertRetroAfter a transition raised by a sample older than this is retro (history only)
 * @param pipelineLag how far the watermark may trail the clock (or Kafka stall) before the pipeline
 *     counts as lagging and host-down alerts wait
 */
public record JobConfig(
    String kafkaBootstrap,
    String samplesTopic,
    String groupId,
    StartingOffsets startingOffsets,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    URI redisUrl,
    Duration checkpointInterval,
    Optional<String> checkpointDir,
    StateBackend stateBackend,
    Duration outOfOrderness,
    Duration idleness,
    Duration allowedLateness,
    Duration liveTtl,
    Duration dedupTtl,
    OptionalInt parallelism,
    boolean migrate,
    boolean alerts,
    Optional<Path> rulesFile,
    String rulesTopic,
    String alertsTopic,
    Optional<URI> alertmanagerUrl,
    Duration alertRetroAfter,
    Duration pipelineLag) {

  /** Where the Kafka source starts without a checkpoint. */
  public enum StartingOffsets {
    /** The group's committed offsets, earliest where there are none. */
    COMMITTED,
    EARLIEST,
    LATEST
  }

  /** Flink state backend. */
  public enum StateBackend {
    ROCKSDB,
    HASHMAP;

    /** The value of Flink's {@code state.backend.type}. */
    public String flinkName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final Setting<String> KAFKA_BOOTSTRAP =
      Setting.hostPorts("kafka-bootstrap")
          .defaultValue("localhost:9092")
          .doc("Kafka bootstrap servers");
  public static final Setting<String> SAMPLES_TOPIC =
      nonBlank("samples-topic")
          .defaultValue("sysmonstm.samples")
          .doc("topic of `MetricBatch` records");
  public static final Setting<String> GROUP_ID =
      nonBlank("group-id")
          .defaultValue("sysmonstm-analytics")
          .doc("consumer group (offsets committed on checkpoints)");
  public static final Setting<StartingOffsets> STARTING_OFFSETS =
      Setting.choice("starting-offsets", StartingOffsets.class)
          .defaultValue(StartingOffsets.COMMITTED)
          .doc(
              "`committed` (earliest where none), `earliest`, `latest`; only without a checkpoint");
  public static final Setting<String> JDBC_URL =
      Setting.jdbcUrl("jdbc-url")
          .defaultValue("jdbc:postgresql://localhost:5432/sysmonstm")
          .doc("PostgreSQL / TimescaleDB");
  public static final Setting<String> JDBC_USER =
      nonBlank("jdbc-user").defaultValue("sysmonstm").doc("database user");
  public static final Setting<String> JDBC_PASSWORD =
      Setting.string("jdbc-password")
          .secret()
          .defaultValue("sysmonstm")
          .doc("database password (secret, never logged)");
  public static final Setting<URI> REDIS_URL =
      Setting.uri("redis-url", "redis", "rediss")
          .defaultValue(URI.create("redis://localhost:6379"))
          .doc("Redis for live values (`rediss://` for TLS)");
  public static final Setting<Duration> CHECKPOINT_INTERVAL =
      Setting.duration("checkpoint-interval")
          .defaultValue(Duration.ofSeconds(10))
          .atLeast(Duration.ofMillis(100))
          .doc("exactly-once checkpoints");
  public static final Setting<String> CHECKPOINT_DIR =
      Setting.of("checkpoint-dir", JobConfig::checkpointUri, d -> d, true)
          .shownDefault("(none: JobManager memory)")
          .doc("`file:///…`, `s3://…` (a plain absolute path is a file); retained on cancel");
  public static final Setting<StateBackend> STATE_BACKEND =
      Setting.choice("state-backend", StateBackend.class)
          .defaultValue(StateBackend.ROCKSDB)
          .doc("`rocksdb` (incremental checkpoints) or `hashmap`");
  public static final Setting<Duration> OUT_OF_ORDERNESS =
      Setting.duration("out-of-orderness")
          .defaultValue(Duration.ofSeconds(5))
          .atLeast(Duration.ZERO)
          .doc("watermark delay behind the newest snapshot");
  public static final Setting<Duration> IDLENESS =
      Setting.duration("idleness")
          .defaultValue(Duration.ofSeconds(30))
          .atLeast(Duration.ofMillis(100))
          .doc("a quiet partition stops holding the watermark back");
  public static final Setting<Duration> ALLOWED_LATENESS =
      Setting.duration("allowed-lateness")
          .defaultValue(Duration.ofHours(1))
          .atLeast(Duration.ZERO)
          .doc("late snapshots still update their minute and hour");
  public static final Setting<Duration> LIVE_TTL =
      Setting.duration("live-ttl")
          .defaultValue(RedisKeys.DEFAULT_LIVE_TTL)
          .atLeast(Duration.ofSeconds(1))
          .doc(
              "a host's live keys in Redis expire this long after its last snapshot (renewed every"
                  + " tenth of it, at most every minute, so up to that much later)");
  public static final Setting<Duration> DEDUP_TTL =
      Setting.duration("dedup-ttl")
          .defaultValue(Duration.ofHours(2))
          .atLeast(Duration.ofSeconds(1))
          .doc(
              "how long the job remembers a collector run's batches after its last new snapshot,"
                  + " to drop resent ones; longer than `--allowed-lateness` and the longest"
                  + " back-fill");
  public static final Setting<Integer> PARALLELISM =
      Setting.integer("parallelism")
          .between(1, 32768)
          .shownDefault("cluster default")
          .doc("job parallelism");
  public static final Setting<Boolean> MIGRATE =
      Setting.bool("migrate")
          .defaultValue(true)
          .doc("apply the Flyway migrations before submitting");
  public static final Setting<Boolean> ALERTS =
      Setting.bool("alerts").defaultValue(true).doc("evaluate alert rules");
  public static final Setting<Path> RULES_FILE =
      Setting.path("rules-file")
          .check(p -> Files.isReadable(p), shown -> shown + " is not a readable file")
          .shownDefault("(built-in defaults)")
          .doc("JSON array of the rules the job starts with");
  public static final Setting<String> RULES_TOPIC =
      nonBlank("rules-topic")
          .defaultValue("sysmonstm.rules")
          .doc(
              "compacted topic of rule changes (key rule id, tombstone deletes); create it with"
                  + " `cleanup.policy=compact`");
  public static final Setting<String> ALERTS_TOPIC =
      nonBlank("alerts-topic")
          .defaultValue("sysmonstm.alerts")
          .doc("topic of alert transitions (exactly once)");
  public static final Setting<URI> ALERTMANAGER_URL =
      Setting.uri("alertmanager-url", "http", "https")
          .doc("Alertmanager to notify, e.g. `http://alertmanager:9093`");
  public static final Setting<Duration> ALERT_RETRO_AFTER =
      Setting.duration("alert-retro-after")
          .defaultValue(Duration.ofMinutes(2))
          .atLeast(Duration.ofSeconds(1))
          .doc("a transition raised by a sample older than this is retro: history only");
  public static final Setting<Duration> PIPELINE_LAG =
      Setting.duration("pipeline-lag")
          .defaultValue(Duration.ofSeconds(30))
          .atLeast(Duration.ofSeconds(1))
          .doc(
              "watermark lag (while samples flow) beyond which the pipeline counts as lagging and"
                  + " host-down alerts wait");

  /** Every setting of the job, in the order of {@code --help} and the README. */
  public static final ServiceSettings<JobConfig> SETTINGS =
      ServiceSettings.of(
          "analytics",
          "flink run sysmonstm-flink-jobs-<version>-all.jar",
          JobConfig::from,
          KAFKA_BOOTSTRAP,
          SAMPLES_TOPIC,
          GROUP_ID,
          STARTING_OFFSETS,
          JDBC_URL,
          JDBC_USER,
          JDBC_PASSWORD,
          REDIS_URL,
          CHECKPOINT_INTERVAL,
          CHECKPOINT_DIR,
          STATE_BACKEND,
          OUT_OF_ORDERNESS,
          IDLENESS,
          ALLOWED_LATENESS,
          LIVE_TTL,
          DEDUP_TTL,
          PARALLELISM,
          MIGRATE,
          ALERTS,
          RULES_FILE,
          RULES_TOPIC,
          ALERTS_TOPIC,
          ALERTMANAGER_URL,
          ALERT_RETRO_AFTER,
          PIPELINE_LAG);

  public JobConfig {
    Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
    SAMPLES_TOPIC.check(samplesTopic);
    GROUP_ID.check(groupId);
    Objects.requireNonNull(startingOffsets, "startingOffsets");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    JDBC_USER.check(jdbcUser);
    Objects.requireNonNull(jdbcPassword, "jdbcPassword");
    REDIS_URL.check(redisUrl);
    Objects.requireNonNull(checkpointDir, "checkpointDir");
    Objects.requireNonNull(stateBackend, "stateBackend");
    Objects.requireNonNull(parallelism, "parallelism");
    parallelism.ifPresent(PARALLELISM::check);
    CHECKPOINT_INTERVAL.check(checkpointInterval);
    OUT_OF_ORDERNESS.check(outOfOrderness);
    IDLENESS.check(idleness);
    ALLOWED_LATENESS.check(allowedLateness);
    LIVE_TTL.check(liveTtl);
    DEDUP_TTL.check(dedupTtl);
    Objects.requireNonNull(rulesFile, "rulesFile");
    RULES_TOPIC.check(rulesTopic);
    ALERTS_TOPIC.check(alertsTopic);
    Objects.requireNonNull(alertmanagerUrl, "alertmanagerUrl");
    ALERT_RETRO_AFTER.check(alertRetroAfter);
    PIPELINE_LAG.check(pipelineLag);
    if (dedupTtl.compareTo(allowedLateness) <= 0) {
      throw DEDUP_TTL.invalid(
          Durations.format(dedupTtl)
              + " must be longer than --allowed-lateness "
              + Durations.format(allowedLateness)
              + ", or a resent batch could be counted twice");
    }
  }

  /** Reads every flag of the job from {@code s}; calls nothing else. */
  public static JobConfig from(Settings s) {
    return new JobConfig(
        KAFKA_BOOTSTRAP.get(s),
        SAMPLES_TOPIC.get(s),
        GROUP_ID.get(s),
        STARTING_OFFSETS.get(s),
        JDBC_URL.get(s),
        JDBC_USER.get(s),
        JDBC_PASSWORD.get(s),
        REDIS_URL.get(s),
        CHECKPOINT_INTERVAL.get(s),
        CHECKPOINT_DIR.optional(s),
        STATE_BACKEND.get(s),
        OUT_OF_ORDERNESS.get(s),
        IDLENESS.get(s),
        ALLOWED_LATENESS.get(s),
        LIVE_TTL.get(s),
        DEDUP_TTL.get(s),
        PARALLELISM.optional(s).stream().mapToInt(Integer::intValue).findFirst(),
        MIGRATE.get(s),
        ALERTS.get(s),
        RULES_FILE.optional(s),
        RULES_TOPIC.get(s),
        ALERTS_TOPIC.get(s),
        ALERTMANAGER_URL.optional(s),
        ALERT_RETRO_AFTER.get(s),
        PIPELINE_LAG.get(s));
  }

  private static Setting<String> nonBlank(String name) {
    return Setting.string(name).check(v -> !v.isBlank(), shown -> "must not be empty");
  }

  /** A checkpoint directory as a URI; a plain absolute path becomes a {@code file://} URI. */
  private static String checkpointUri(String v) {
    if (v.startsWith("/")) {
      return Path.of(v).toUri().toString();
    }
    try {
      URI u = new URI(v);
      if (u.getScheme() == null) {
        throw new URISyntaxException(v, "no scheme");
      }
      return v;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "'"
              + v
              + "' is not a URI like file:///var/lib/sysmonstm/checkpoints or s3://bucket/path");
    }
  }

  @Override
  public String toString() {
    return "JobConfig[kafkaBootstrap="
        + kafkaBootstrap
        + ", samplesTopic="
        + samplesTopic
        + ", groupId="
        + groupId
        + ", startingOffsets="
        + startingOffsets
        + ", jdbcUrl="
        + jdbcUrl
        + ", jdbcUser="
        + jdbcUser
        + ", jdbcPassword=***, redisUrl="
        + redisUrl
        + ", checkpointInterval="
        + checkpointInterval
        + ", checkpointDir="
        + checkpointDir
        + ", stateBackend="
        + stateBackend
        + ", outOfOrderness="
        + outOfOrderness
        + ", idleness="
        + idleness
        + ", allowedLateness="
        + allowedLateness
        + ", liveTtl="
        + liveTtl
        + ", dedupTtl="
        + dedupTtl
        + ", parallelism="
        + parallelism
        + ", migrate="
        + migrate
        + "]";
  }
}
