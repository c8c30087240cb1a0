package io.sysmonstm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void flagWinsOverEnvironmentWhichWinsOverDefault() {
    Settings s =
        Settings.parse(
            new String[] {"--interval", "2s"},
            Map.of("SYSMONSTM_INTERVAL", "9s", "SYSMONSTM_PORT", "7000"));
    assertThat(s.duration("interval", Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(s.port("port", 50051)).isEqualTo(7000);
    assertThat(s.string("name", "x")).isEqualTo("x");
  }

  @Test
  void equalsFormAndBareBooleanFlag() {
    Settings s = Settings.parse(new String[] {"--host-id=web-1", "--tls"}, Map.of());
    assertThat(s.string("host-id", "")).isEqualTo("web-1");
    assertThat(s.bool("tls", false)).isTrue();
  }

  @Test
  void zeroIntervalIsRejectedNamingTheSetting() {
    Settings s = Settings.parse(new String[] {"--interval", "0"}, Map.of());
    assertThatThrownBy(() -> s.duration("interval", Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("invalid setting --interval (SYSMONSTM_INTERVAL): must be at least 1s, got 0");
  }

  @Test
  void malformedUrlsAreRejected() {
    Settings s =
        Settings.parse(
            new String[] {"--redis-url", "localhost:6379", "--jdbc-url", "postgres://x/y"},
            Map.of());
    assertThatThrownBy(() -> s.uri("redis-url", "redis://localhost:6379", Set.of("redis")))
        .hasMessageContaining("--redis-url")
        .hasMessageContaining("redis://host:port");
    assertThatThrownBy(() -> s.jdbcUrl("jdbc-url", "jdbc:postgresql://localhost:5432/sysmonstm"))
        .hasMessageContaining("--jdbc-url");
  }

  @Test
  void badHostPortAndNumbers() {
    Settings s =
        Settings.parse(
            new String[] {"--kafka", "localhost", "--port", "70000", "--n", "abc"}, Map.of());
    assertThatThrownBy(() -> s.hostPorts("kafka", "localhost:9092"))
        .hasMessageContaining("'localhost' is not host:port");
    assertThatThrownBy(() -> s.port("port", 1)).hasMessageContaining("between 0 and 65535");
    assertThatThrownBy(() -> s.integer("n", 1, 0, 9)).hasMessageContaining("not a whole number");
  }

  @Test
  void unknownFlagIsAnError() {
    Settings s = Settings.parse(new String[] {"--intervall", "5s"}, Map.of());
    s.duration("interval", Duration.ofSeconds(5), Duration.ofSeconds(1));
    assertThatThrownBy(s::rejectUnknown)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("unknown setting --intervall");
  }

  @Test
  void describeMasksSecretsAndUrlPasswords() {
    Settings s =
        Settings.parse(
            new String[] {"--token", "hunter2", "--redis-url", "redis://u:pw@h:1"}, Map.of());
    s.secret("token");
    s.uri("redis-url", "redis://localhost:6379", Set.of("redis"));
    assertThat(s.describe()).doesNotContain("hunter2").doesNotContain("pw@").contains("token=***");
  }

  @Test
  void durationsInPrometheusStyle() {
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThatThrownBy(() -> Durations.parse("5 min")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Durations.parse("m5")).isInstanceOf(IllegalArgumentException.class);
  }
}
