package io.sysmonstm.relay;

import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.JdbcUrl;
import io.sysmonstm.config.Settings;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the dashboard relay reads from flags and environment variables.
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

  /** Plain and TLS Redis; the first one is named in error messages. */
  private static final Set<String> REDIS_SCHEMES =
      Collections.unmodifiableSet(new LinkedHashSet<>(List.of("redis", "rediss")));

  public RelayConfig {
    if (port < 0 || port > 65535) {
      throw new ConfigException("port", "invalid setting --port: must be 0..65535, got " + port);
    }
    Objects.requireNonNull(bind, "bind");
    if (bind.isBlank()) {
      throw new ConfigException("bind", "invalid setting --bind: empty address");
    }
    Objects.requireNonNull(redisUrl, "redisUrl");
    if (!REDIS_SCHEMES.contains(redisUrl.getScheme()) || redisUrl.getHost() == null) {
      throw new ConfigException(
          "redis-url",
          "invalid setting --redis-url: '" + redisUrl + "' is not a URL like redis://host:port");
    }
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(jdbcUser, "jdbcUser");
    Objects.requireNonNull(jdbcPassword, "jdbcPassword");
    Objects.requireNonNull(staleAfter, "staleAfter");
    if (staleAfter.isNegative() || staleAfter.isZero()) {
      throw new ConfigException("stale-after", "invalid setting --stale-after: must be positive");
    }
    Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
    if (kafkaBootstrap.isBlank()) {
      throw new ConfigException(
          "kafka-bootstrap", "invalid setting --kafka-bootstrap: empty, expected host:port");
    }
    Objects.requireNonNull(rulesTopic, "rulesTopic");
    if (!TOPIC.matcher(rulesTopic).matches() || rulesTopic.equals(".") || rulesTopic.equals("..")) {
      throw new ConfigException(
          "rules-topic",
          "invalid setting --rules-topic: '"
              + rulesTopic
              + "' is not a Kafka topic name (letters, digits, '.', '_', '-')");
    }
    Objects.requireNonNull(adminToken, "adminToken");
    if (adminToken.isPresent() && adminToken.get().isBlank()) {
      adminToken = Optional.empty();
    }
    pgConnectOptions(jdbcUrl, jdbcUser, jdbcPassword); // fails here, at start, on a bad URL
  }

  /** Reads every relay flag; validates each one (a {@link ConfigException} names the flag). */
  public static RelayConfig from(Settings s) {
    return new RelayConfig(
        s.port("port", DEFAULT_PORT),
        s.string("bind", DEFAULT_BIND),
        s.uri("redis-url", DEFAULT_REDIS_URL, REDIS_SCHEMES),
        s.jdbcUrl("jdbc-url", DEFAULT_JDBC_URL),
        s.string("jdbc-user", DEFAULT_JDBC_USER),
        s.secret("jdbc-password").orElse(DEFAULT_JDBC_PASSWORD),
        s.bool("migrate", true),
        s.duration("stale-after", DEFAULT_STALE_AFTER, Duration.ofSeconds(1)),
        s.hostPorts("kafka-bootstrap", DEFAULT_KAFKA_BOOTSTRAP),
        s.string("rules-topic", DEFAULT_RULES_TOPIC),
        s.secret("admin-token"));
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
    JdbcUrl u =
        JdbcUrl.parse(jdbcUrl)
            .orElseThrow(
                () ->
                    new ConfigException(
                        "jdbc-url",
                        "invalid setting --jdbc-url: '"
                            + jdbcUrl
                            + "' is not a URL like jdbc:postgresql://host:5432/database"));
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
        throw new ConfigException(
            "jdbc-url",
            "invalid setting --jdbc-url: sslmode '"
                + sslmode
                + "' is not one of disable, allow, prefer, require, verify-ca, verify-full");
      }
    }
    return o;
  }
}
