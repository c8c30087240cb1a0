package io.sysmonstm.local;

import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the one-JVM stack. Every server is embedded unless its URL is given, in which case
 * the stack uses the external one (a real Kafka, PostgreSQL or Redis elsewhere).
 *
 * @param relayPort dashboard and REST API
 * @param flinkUiPort Flink web UI / REST of the mini-cluster
 * @param ingressPort gRPC ingress
 * @param kafkaPort embedded Kafka broker (ignored with {@code kafkaBootstrap})
 * @param redisPort embedded Redis (ignored with {@code redisUrl})
 * @param postgresPort embedded PostgreSQL (ignored with {@code jdbcUrl})
 * @param kafkaBootstrap external Kafka, if given
 * @param redisUrl external Redis, if given
 * @param jdbcUrl external PostgreSQL/TimescaleDB, if given
 * @param jdbcUser database user
 * @param jdbcPassword database password
 * @param interval collector sampling interval
 * @param collector whether to run a collector for this machine
 * @param dataDir where embedded servers keep data across runs; empty for temporary directories
 * @param parallelism Flink job parallelism (and task slots)
 * @param checkpointInterval Flink checkpoint interval
 */
public record LocalConfig(
    int relayPort,
    int flinkUiPort,
    int ingressPort,
    int kafkaPort,
    int redisPort,
    int postgresPort,
    Optional<String> kafkaBootstrap,
    Optional<String> redisUrl,
    Optional<String> jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    Duration interval,
    boolean collector,
    Optional<Path> dataDir,
    int parallelism,
    Duration checkpointInterval) {

  /** Database, user, password of the embedded PostgreSQL (docs/design.md, Ports and defaults). */
  public static final String DB = "sysmonstm";

  public LocalConfig {
    if (parallelism < 1) {
      throw new ConfigException("parallelism", "parallelism must be at least 1");
    }
  }

  public static LocalConfig from(Settings s) {
    Optional<String> kafka = s.optional("kafka-bootstrap");
    kafka.ifPresent(v -> s.hostPorts("kafka-bootstrap", v));
    Optional<String> redis = s.optional("redis-url");
    redis.ifPresent(v -> s.uri("redis-url", v, Set.of("redis", "rediss")));
    Optional<String> jdbc = s.optional("jdbc-url");
    jdbc.ifPresent(v -> s.jdbcUrl("jdbc-url", v));
    return new LocalConfig(
        s.port("relay-port", 8080),
        s.port("flink-ui-port", 8081),
        s.port("ingress-port", 50051),
        s.port("kafka-port", 9092),
        s.port("redis-port", 6379),
        s.port("postgres-port", 5432),
        kafka,
        redis,
        jdbc,
        s.string("jdbc-user", DB),
        s.secret("jdbc-password").orElse(DB),
        s.duration("interval", Duration.ofSeconds(5), Duration.ofSeconds(1)),
        s.bool("collector", true),
        s.optional("data-dir").map(Path::of),
        s.integer("parallelism", 2, 1, 64),
        s.duration("checkpoint-interval", Duration.ofSeconds(10), Duration.ofMillis(100)));
  }
}
