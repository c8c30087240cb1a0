package io.sysmonstm.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.Settings;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayConfigTest {

  private static RelayConfig parse(String... args) {
    return RelayConfig.from(Settings.parse(args, Map.of()));
  }

  @Test
  void defaultsSuitLocalhost() {
    RelayConfig c = parse();
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.bind()).isEqualTo("0.0.0.0");
    assertThat(c.redisUrl()).hasToString("redis://localhost:6379");
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/sysmonstm");
    assertThat(c.jdbcUser()).isEqualTo("sysmonstm");
    assertThat(c.jdbcPassword()).isEqualTo("sysmonstm");
    assertThat(c.migrate()).isTrue();
    assertThat(c.staleAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.kafkaBootstrap()).isEqualTo("localhost:9092");
    assertThat(c.rulesTopic()).isEqualTo("sysmonstm.rules");
    assertThat(c.adminToken()).isEmpty();
  }

  @Test
  void ruleSettingsAreReadAndTheTokenIsNeverShown() {
    Settings s =
        Settings.parse(
            new String[] {"--kafka-bootstrap", "k1:9092,k2:9093", "--rules-topic=rules.v2"},
            Map.of("SYSMONSTM_ADMIN_TOKEN", "t0ps3cret"));
    RelayConfig c = RelayConfig.from(s);
    s.rejectUnknown();
    assertThat(c.kafkaBootstrap()).isEqualTo("k1:9092,k2:9093");
    assertThat(c.rulesTopic()).isEqualTo("rules.v2");
    assertThat(c.adminToken()).contains("t0ps3cret");
    assertThat(s.describe()).doesNotContain("t0ps3cret").contains("admin-token=***");
    assertThat(c.toString()).doesNotContain("t0ps3cret").doesNotContain("jdbcPassword=sysmonstm");

    assertThatThrownBy(() -> parse("--kafka-bootstrap", "k1"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--kafka-bootstrap");
    assertThatThrownBy(() -> parse("--rules-topic", "rules topic"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--rules-topic");
  }

  @Test
  void flagsAndEnvironmentAreRead() {
    Settings s =
        Settings.parse(
            new String[] {"--port", "0", "--stale-after=1m", "--migrate", "false"},
            Map.of("SYSMONSTM_REDIS_URL", "redis://cache:6380", "SYSMONSTM_JDBC_PASSWORD", "pw"));
    RelayConfig c = RelayConfig.from(s);
    s.rejectUnknown();
    assertThat(c.port()).isZero();
    assertThat(c.staleAfter()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.migrate()).isFalse();
    assertThat(c.redisUrl().getPort()).isEqualTo(6380);
    assertThat(c.jdbcPassword()).isEqualTo("pw");
    assertThat(s.describe()).doesNotContain("pw,").contains("jdbc-password=***");
  }

  @Test
  void jdbcUrlBecomesVertxConnectOptions() {
    PgConnectOptions o =
        parse("--jdbc-url", "jdbc:postgresql://db.example:6543/metrics?sslmode=require")
            .pgConnectOptions();
    assertThat(o.getHost()).isEqualTo("db.example");
    assertThat(o.getPort()).isEqualTo(6543);
    assertThat(o.getDatabase()).isEqualTo("metrics");
    assertThat(o.getUser()).isEqualTo("sysmonstm");
    assertThat(o.getSslMode()).isEqualTo(SslMode.REQUIRE);

    assertThat(parse("--jdbc-url", "jdbc:postgresql://db/m").pgConnectOptions().getPort())
        .isEqualTo(5432);
  }

  @Test
  void malformedUrlsNameTheirSetting() {
    assertThatThrownBy(() -> parse("--redis-url", "localhost:6379"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--redis-url")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> parse("--jdbc-url", "postgresql://localhost/x"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--jdbc-url");
    assertThatThrownBy(() -> parse("--jdbc-url", "jdbc:postgresql://localhost/x?sslmode=bogus"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--jdbc-url")
        .hasMessageContaining("sslmode");
    assertThatThrownBy(() -> parse("--port", "70000"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--port");
    assertThatThrownBy(() -> parse("--stale-after", "soon"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--stale-after");
  }

  @Test
  void passwordsStayOutOfLoggedUrls() {
    RelayConfig c =
        parse(
            "--redis-url",
            "redis://user:hunter2@cache:6379/0",
            "--jdbc-url",
            "jdbc:postgresql://db:5432/m?password=hunter2");
    assertThat(c.redisUrlForLog()).doesNotContain("hunter2").contains("cache:6379");
    assertThat(c.jdbcUrlForLog()).doesNotContain("hunter2").contains("db:5432");
  }
}
