package io.sysmonstm.relay;

import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.JdbcUrl;
import io.sysmonstm.config.ServiceSettings;
import io.sysmonstm.config.Setting;
import io.sysmonstm.config.Settings;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything the dashboard relay reads from flags and environment variables; each setting is
 * described once, in {@link #SETTINGS} ({@code --help}, the README's table).
 *
 * @param port HTTP port of the page, the REST API and the WebSocket ({@code --port}, 0 = any free
 *     port)
 * @param bind address to listen on ({@code --bind})
 * @param redisUrl Redis with the live hashes and the pub/sub channels ({@code --redis-url})
 * @param jdbcUrl PostgreSQL / TimescaleDB with the history tables ({@code --jdbc-url})
 * @param jdbcUser database user ({@code --jdbc-user})
 * @param jdbcPassword database password ({@code --jdbc-password}, a secret)
 * @param migrate apply the Flyway migrations at start ({@code --migrate})
 * @param staleAfter a host whose newest snapshot is older than this is shown as stale ({@code
 *     --stale-after})
 * @param kafkaBootstrap Kafka bootstrap servers, {@code host:port[,host:port…]}, that rule changes
 *     are published to ({@code --kafka-bootstrap})
 * @param rulesTopic the compacted topic the job reads rules from ({@code --rules-topic})
 * @param adminToken the bearer token rule changes need ({@code --admin-token}, a secret); empty =
 *     rule changes are open to anyone who reaches the relay
 */
public record RelayConfig(
    int port,
    String bind,
    URI redisUrl,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    boolean migrate,
    Duration staleAfter,
    String kafkaBootstrap,
    String rulesTopic,
    Optional<String> adminToken) {

  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_BIND = "0.0.0.0";
  public static final String DEFAULT_REDIS_URL = "redis://localhost:6379";
  public static final String DEFAULT_JDBC_URL = "jdbc:postgresql://localhost:5432/sysmonstm";
  public static final String DEFAULT_JDBC_USER = "sysmonstm";
  public static final String DEFAULT_JDBC_PASSWORD = "sysmonstm";
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(30);
  public static final String DEFAULT_KAFKA_BOOTSTRAP = "localhost:9092";
  public static final String DEFAULT_RULES_TOPIC = "sysmonstm.rules";

  /** Kafka's rule for topic names. */
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  public static final Setting<Integer> PORT =
      Setting.port("port")
          .defaultValue(DEFAULT_PORT)
          .doc("HTTP port of the page, API and `/ws` (0 = any free port)");
  public static final Setting<String> BIND =
      Setting.string("bind")
          .defaultValue(DEFAULT_BIND)
          .check(b -> !b.isBlank(), shown -> "empty address")
          .doc("address to listen on");
  public static final Setting<URI> REDIS_URL =
      Setting.uri("redis-url", "redis", "rediss")
          .defaultValue(URI.create(DEFAULT_REDIS_URL))
          .doc("Redis with the live hashes and channels (`rediss://` for TLS)");
  public static final Setting<String> JDBC_URL =
      Setting.jdbcUrl("jdbc-url")
          .defaultValue(DEFAULT_JDBC_URL)
          .doc("history database (`?sslmode=` is honoured)");
  public static final Setting<String> JDBC_USER =
      Setting.string("jdbc-user").defaultValue(DEFAULT_JDBC_USER).doc("database user");
  public static final Setting<String> JDBC_PASSWORD =
      Setting.string("jdbc-password")
          .secret()
          .defaultValue(DEFAULT_JDBC_PASSWORD)
          .doc("database password (never logged)");
  public static final Setting<Boolean> MIGRATE =
      Setting.bool("migrate")
          .defaultValue(true)
          .doc("apply the Flyway migrations at start, so a fresh database works");
  public static final Setting<Duration> STALE_AFTER =
      Setting.duration("stale-after")
          .defaultValue(DEFAULT_STALE_AFTER)
          .atLeast(Duration.ofSeconds(1))
          .doc("a host whose newest snapshot is older than this is `stale`");
  public static final Setting<String> KAFKA_BOOTSTRAP =
      Setting.hostPorts("kafka-bootstrap")
          .defaultValue(DEFAULT_KAFKA_BOOTSTRAP)
          .doc("Kafka the rule changes are published to");
  public static final Setting<String> RULES_TOPIC =
      Setting.string("rules-topic")
          .defaultValue(DEFAULT_RULES_TOPIC)
          .check(
              t -> TOPIC.matcher(t).matches() && !t.equals(".") && !t.equals(".."),
              shown -> "'" + shown + "' is not a Kafka topic name (letters, digits, '.', '_', '-')")
          .doc("the compacted topic the job reads rules from");
  public static final Setting<String> ADMIN_TOKEN =
      Setting.string("admin-token")
          .secret()
          .doc("bearer token that rule changes need (secret, never logged)");

  /** Every relay setting, in the order of {@code --help} and the README. */
  public static final ServiceSettings<RelayConfig> SETTINGS =
      ServiceSettings.of(
          "dashboard-relay",
          "java -jar sysmonstm-dashboard-relay-<version>-all.jar",
          RelayConfig::from,
          PORT,
          BIND,
          REDIS_URL,
          JDBC_URL,
          JDBC_USER,
          JDBC_PASSWORD,
          MIGRATE,
          STALE_AFTER,
          KAFKA_BOOTSTRAP,
          RULES_TOPIC,
          ADMIN_TOKEN);

  public RelayConfig {
    PORT.check(port);
    BIND.check(bind);
    REDIS_URL.check(redisUrl);
    JDBC_URL.check(jdbcUrl);
    Objects.requireNonNull(jdbcUser, "jdbcUser");
    Objects.requireNonNull(jdbcPassword, "jdbcPassword");
    STALE_AFTER.check(staleAfter);
    KAFKA_BOOTSTRAP.check(kafkaBootstrap);
    RULES_TOPIC.check(rulesTopic);
    Objects.requireNonNull(adminToken, "adminToken");
    if (adminToken.isPresent() && adminToken.get().isBlank()) {
      adminToken = Optional.empty();
    }
    pgConnectOptions(jdbcUrl, jdbcUser, jdbcPassword); // fails here, at start, on a bad URL
  }

  /** Reads every relay flag; validates each one (a {@link ConfigException} names the flag). */
  public static RelayConfig from(Settings s) {
    return new RelayConfig(
        PORT.get(s),
        BIND.get(s),
        REDIS_URL.get(s),
        JDBC_URL.get(s),
        JDBC_USER.get(s),
        JDBC_PASSWORD.get(s),
        MIGRATE.get(s),
        STALE_AFTER.get(s),
        KAFKA_BOOTSTRAP.get(s),
        RULES_TOPIC.get(s),
        ADMIN_TOKEN.optional(s));
  }

  /** Secrets masked: a record's default text would print the password and the token. */
  @Override
  public String toString() {
    return "RelayConfig[port="
        + port
        + ", bind="
        + bind
        + ", redisUrl="
        + redisUrlForLog()
        + ", jdbcUrl="
        + jdbcUrlForLog()
        + ", jdbcUser="
        + jdbcUser
        + ", jdbcPassword=***, migrate="
        + migrate
        + ", staleAfter="
        + staleAfter
        + ", kafkaBootstrap="
        + kafkaBootstrap
        + ", rulesTopic="
        + rulesTopic
        + ", adminToken="
        + (adminToken.isPresent() ? "***" : "(none)")
        + "]";
  }

  /** The JDBC URL as Vert.x PostgreSQL client options (host, port, database, sslmode). */
  public PgConnectOptions pgConnectOptions() {
    return pgConnectOptions(jdbcUrl, jdbcUser, jdbcPassword);
  }

  /** The JDBC URL with any {@code password=} parameter masked, for messages and logs. */
  public String jdbcUrlForLog() {
    return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  /** The Redis URL without its password, for messages and logs. */
  public String redisUrlForLog() {
    return redisUrl.toString().replaceAll("(://[^/@]*):[^/@]*@", "$1:***@");
  }

  private static PgConnectOptions pgConnectOptions(String jdbcUrl, String user, String password) {
    JdbcUrl u = JdbcUrl.parse(JDBC_URL.check(jdbcUrl)).orElseThrow();
    PgConnectOptions o =
        new PgConnectOptions()
            .setHost(u.host())
            .setPort(u.port())
            .setDatabase(u.database())
            .setUser(user)
            .setPassword(password);
    String sslmode = u.params().get("sslmode");
    if (sslmode != null) {
      try {
        o.setSslMode(SslMode.of(sslmode));
      } catch (IllegalArgumentException e) {
        throw JDBC_URL.invalid(
            "sslmode '"
                + sslmode
                + "' is not one of disable, allow, prefer, require, verify-ca, verify-full");
      }
    }
    return o;
  }
}
