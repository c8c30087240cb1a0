package io.sysmonstm.analytics;

import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.Durations;
import io.sysmonstm.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Configuration of the job {@code sysmonstm-analytics}, read once from flags and environment
 * variables ({@code --kafka-bootstrap} or {@code SYSMONSTM_KAFKA_BOOTSTRAP}, ...).
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

  public JobConfig {
    Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
    requireNonBlank(samplesTopic, "samples-topic");
    requireNonBlank(groupId, "group-id");
    Objects.requireNonNull(startingOffsets, "startingOffsets");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    requireNonBlank(jdbcUser, "jdbc-user");
    Objects.requireNonNull(jdbcPassword, "jdbcPassword");
    Objects.requireNonNull(redisUrl, "redisUrl");
    Objects.requireNonNull(checkpointDir, "checkpointDir");
    Objects.requireNonNull(stateBackend, "stateBackend");
    Objects.requireNonNull(parallelism, "parallelism");
    requirePositive(checkpointInterval, "checkpoint-interval");
    requireNotNegative(outOfOrderness, "out-of-orderness");
    requirePositive(idleness, "idleness");
    requireNotNegative(allowedLateness, "allowed-lateness");
    requirePositive(liveTtl, "live-ttl");
    if (liveTtl.toSeconds() < 1) {
      throw new ConfigException("live-ttl", "invalid setting --live-ttl: must be at least 1s");
    }
    requirePositive(dedupTtl, "dedup-ttl");
    Objects.requireNonNull(rulesFile, "rulesFile");
    requireNonBlank(rulesTopic, "rules-topic");
    requireNonBlank(alertsTopic, "alerts-topic");
    Objects.requireNonNull(alertmanagerUrl, "alertmanagerUrl");
    requirePositive(alertRetroAfter, "alert-retro-after");
    requirePositive(pipelineLag, "pipeline-lag");
    if (dedupTtl.compareTo(allowedLateness) <= 0) {
      throw new ConfigException(
          "dedup-ttl",
          "invalid setting --dedup-ttl: "
              + Durations.format(dedupTtl)
              + " must be longer than --allowed-lateness "
              + Durations.format(allowedLateness)
              + ", or a resent batch could be counted twice");
    }
  }

  /** Reads every flag of the job from {@code s}; calls nothing else. */
  public static JobConfig from(Settings s) {
    return new JobConfig(
        s.hostPorts("kafka-bootstrap", "localhost:9092"),
        s.string("samples-topic", "sysmonstm.samples"),
        s.string("group-id", "sysmonstm-analytics"),
        choice(s, "starting-offsets", StartingOffsets.COMMITTED, StartingOffsets.class),
        s.jdbcUrl("jdbc-url", "jdbc:postgresql://localhost:5432/sysmonstm"),
        s.string("jdbc-user", "sysmonstm"),
        s.secret("jdbc-password").orElse("sysmonstm"),
        s.uri(
            "redis-url", "redis://localhost:6379", new LinkedHashSet<>(List.of("redis", "rediss"))),
        s.duration("checkpoint-interval", Duration.ofSeconds(10), Duration.ofMillis(100)),
        s.optional("checkpoint-dir").map(JobConfig::checkpointUri),
        choice(s, "state-backend", StateBackend.ROCKSDB, StateBackend.class),
        s.duration("out-of-orderness", Duration.ofSeconds(5), Duration.ZERO),
        s.duration("idleness", Duration.ofSeconds(30), Duration.ofMillis(100)),
        s.duration("allowed-lateness", Duration.ofHours(1), Duration.ZERO),
        s.duration("live-ttl", Duration.ofMinutes(5), Duration.ofSeconds(1)),
        s.duration("dedup-ttl", Duration.ofHours(2), Duration.ofSeconds(1)),
        s.optional("parallelism").stream().mapToInt(JobConfig::parallelism).findFirst(),
        s.bool("migrate", true),
        s.bool("alerts", true),
        s.optional("rules-file").map(f -> rulesFile(f)),
        s.string("rules-topic", "sysmonstm.rules"),
        s.string("alerts-topic", "sysmonstm.alerts"),
        s.optional("alertmanager-url")
            .map(u -> s.uri("alertmanager-url", u, new LinkedHashSet<>(List.of("http", "https")))),
        s.duration("alert-retro-after", Duration.ofMinutes(2), Duration.ofSeconds(1)),
        s.duration("pipeline-lag", Duration.ofSeconds(30), Duration.ofSeconds(1)));
  }

  private static Path rulesFile(String f) {
    Path p = Path.of(f);
    if (!java.nio.file.Files.isReadable(p)) {
      throw new ConfigException(
          "rules-file", "invalid setting --rules-file: " + f + " is not a readable file");
    }
    return p;
  }

  private static <E extends Enum<E>> E choice(Settings s, String name, E def, Class<E> type) {
    String v = s.string(name, def.name().toLowerCase(Locale.ROOT));
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        allowed.append(allowed.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
      }
      throw new ConfigException(
          name, "invalid setting --" + name + ": '" + v + "' is not one of " + allowed);
    }
  }

  private static int parallelism(String v) {
    try {
      int p = Integer.parseInt(v);
      if (p >= 1 && p <= 32768) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(
        "parallelism",
        "invalid setting --parallelism: must be a whole number between 1 and 32768, got " + v);
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
      throw new ConfigException(
          "checkpoint-dir",
          "invalid setting --checkpoint-dir: '"
              + v
              + "' is not a URI like file:///var/lib/sysmonstm/checkpoints or s3://bucket/path");
    }
  }

  private static void requireNonBlank(String v, String name) {
    if (v == null || v.isBlank()) {
      throw new ConfigException(name, "invalid setting --" + name + ": must not be empty");
    }
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new ConfigException(name, "invalid setting --" + name + ": must be positive");
    }
  }

  private static void requireNotNegative(Duration d, String name) {
    if (d == null || d.isNegative()) {
      throw new ConfigException(name, "invalid setting --" + name + ": must not be negative");
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
