package io.sysmonstm.local;

import io.sysmonstm.config.ServiceSettings;
import io.sysmonstm.config.Setting;
import io.sysmonstm.config.Settings;
import io.sysmonstm.relay.RelayConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the one-JVM stack. Every server is embedded unless its URL is given, in which case
 * the stack uses the external one (a real Kafka, PostgreSQL or Redis elsewhere). Each setting is
 * described once, in {@link #SETTINGS} ({@code --help}, the README's table).
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
 * @param staleAfter the relay's {@code --stale-after}: a host whose newest snapshot is older is
 *     {@code stale}
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
    Duration checkpointInterval,
    Duration staleAfter) {

  /** Database, user, password of the embedded PostgreSQL (docs/design.md, Ports and defaults). */
  public static final String DB = "sysmonstm";

  public static final Setting<Integer> RELAY_PORT =
      Setting.port("relay-port").defaultValue(8080).doc("dashboard, REST API and `/ws`");
  public static final Setting<Integer> FLINK_UI_PORT =
      Setting.port("flink-ui-port")
          .defaultValue(8081)
          .doc("Flink web UI and REST API of the mini-cluster");
  public static final Setting<Integer> INGRESS_PORT =
      Setting.port("ingress-port").defaultValue(50051).doc("gRPC ingress");
  public static final Setting<Integer> KAFKA_PORT =
      Setting.port("kafka-port")
          .defaultValue(9092)
          .doc("embedded Kafka broker (ignored with `--kafka-bootstrap`)");
  public static final Setting<Integer> REDIS_PORT =
      Setting.port("redis-port")
          .defaultValue(6379)
          .doc("embedded Redis (ignored with `--redis-url`)");
  public static final Setting<Integer> POSTGRES_PORT =
      Setting.port("postgres-port")
          .defaultValue(5432)
          .doc("embedded PostgreSQL (ignored with `--jdbc-url`)");
  public static final Setting<String> KAFKA_BOOTSTRAP =
      Setting.hostPorts("kafka-bootstrap")
          .shownDefault("(embedded)")
          .doc("use this Kafka instead of the embedded broker");
  public static final Setting<URI> REDIS_URL =
      Setting.uri("redis-url", "redis", "rediss")
          .shownDefault("(embedded)")
          .doc("use this Redis, e.g. `redis://host:6379`");
  public static final Setting<String> JDBC_URL =
      Setting.jdbcUrl("jdbc-url")
          .shownDefault("(embedded)")
          .doc("use this PostgreSQL / TimescaleDB, e.g. `jdbc:postgresql://host:5432/sysmonstm`");
  public static final Setting<String> JDBC_USER =
      Setting.string("jdbc-user").defaultValue(DB).doc("database user");
  public static final Setting<String> JDBC_PASSWORD =
      Setting.string("jdbc-password").secret().defaultValue(DB).doc("database password");
  public static final Setting<Duration> INTERVAL =
      Setting.duration("interval")
          .defaultValue(Duration.ofSeconds(5))
          .atLeast(Duration.ofSeconds(1))
          .doc("sampling interval of this machine's collector");
  public static final Setting<Boolean> COLLECTOR =
      Setting.bool("collector").defaultValue(true).doc("run a collector for this machine");
  public static final Setting<Path> DATA_DIR =
      Setting.path("data-dir")
          .shownDefault("(temporary)")
          .doc("keep Kafka, PostgreSQL and checkpoints here across runs");
  public static final Setting<Integer> PARALLELISM =
      Setting.integer("parallelism")
          .defaultValue(2)
          .between(1, 64)
          .doc("job parallelism (and task slots of the mini-cluster)");
  public static final Setting<Duration> CHECKPOINT_INTERVAL =
      Setting.duration("checkpoint-interval")
          .defaultValue(Duration.ofSeconds(10))
          .atLeast(Duration.ofMillis(100))
          .doc("Flink checkpoint interval");

  /** The relay's own setting: the stack passes it on. */
  public static final Setting<Duration> STALE_AFTER = RelayConfig.STALE_AFTER;

  /** Every setting of the local stack, in the order of {@code --help} and the README. */
  public static final ServiceSettings<LocalConfig> SETTINGS =
      ServiceSettings.of(
          "sysmonstm-local",
          "java -jar local/target/sysmonstm-local.jar",
          LocalConfig::from,
          RELAY_PORT,
          FLINK_UI_PORT,
          INGRESS_PORT,
          KAFKA_PORT,
          REDIS_PORT,
          POSTGRES_PORT,
          KAFKA_BOOTSTRAP,
          REDIS_URL,
          JDBC_URL,
          JDBC_USER,
          JDBC_PASSWORD,
          INTERVAL,
          COLLECTOR,
          DATA_DIR,
          PARALLELISM,
          CHECKPOINT_INTERVAL,
          STALE_AFTER);

  public LocalConfig {
    RELAY_PORT.check(relayPort);
    FLINK_UI_PORT.check(flinkUiPort);
    INGRESS_PORT.check(ingressPort);
    KAFKA_PORT.check(kafkaPort);
    REDIS_PORT.check(redisPort);
    POSTGRES_PORT.check(postgresPort);
    PARALLELISM.check(parallelism);
    STALE_AFTER.check(staleAfter);
  }

  /** Reads every setting of the stack from {@code s}; calls nothing else. */
  public static LocalConfig from(Settings s) {
    return new LocalConfig(
        RELAY_PORT.get(s),
        FLINK_UI_PORT.get(s),
        INGRESS_PORT.get(s),
        KAFKA_PORT.get(s),
        REDIS_PORT.get(s),
        POSTGRES_PORT.get(s),
        KAFKA_BOOTSTRAP.optional(s),
        REDIS_URL.optional(s).map(URI::toString),
        JDBC_URL.optional(s),
        JDBC_USER.get(s),
        JDBC_PASSWORD.get(s),
        INTERVAL.get(s),
        COLLECTOR.get(s),
        DATA_DIR.optional(s),
        PARALLELISM.get(s),
        CHECKPOINT_INTERVAL.get(s),
        STALE_AFTER.get(s));
  }
}
