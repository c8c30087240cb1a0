package io.sysmonstm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
  private static final Setting<Duration> INTERVAL =
      Setting.duration("interval")
          .defaultValue(Duration.ofSeconds(5))
          .atLeast(Duration.ofSeconds(1))
          .doc("sampling interval");
  private static final Setting<Integer> PORT = Setting.port("port").defaultValue(50051).doc("port");
  private static final Setting<String> NAME = Setting.string("name").defaultValue("x").doc("name");
  private static final Setting<String> HOST_ID =
      Setting.string("host-id").defaultValue("").doc("id");
  private static final Setting<Boolean> TLS = Setting.bool("tls").defaultValue(false).doc("TLS");
  private static final Setting<URI> REDIS_URL =
      Setting.uri("redis-url", "redis")
          .defaultValue(URI.create("redis://localhost:6379"))
          .doc("Redis");
  private static final Setting<String> JDBC_URL =
      Setting.jdbcUrl("jdbc-url")
          .defaultValue("jdbc:postgresql://localhost:5432/sysmonstm")
          .doc("database");
  private static final Setting<String> TOKEN = Setting.string("token").secret().doc("token");

  @Test
  void flagWinsOverEnvironmentWhichWinsOverDefault() {
    Settings s =
        Settings.parse(
            new String[] {"--interval", "2s"},
            Map.of("SYSMONSTM_INTERVAL", "9s", "SYSMONSTM_PORT", "7000"));
    assertThat(INTERVAL.get(s)).isEqualTo(Duration.ofSeconds(2));
    assertThat(PORT.get(s)).isEqualTo(7000);
    assertThat(NAME.get(s)).isEqualTo("x");
  }

  @Test
  void equalsFormAndBareBooleanFlag() {
    Settings s = Settings.parse(new String[] {"--host-id=web-1", "--tls"}, Map.of());
    assertThat(HOST_ID.get(s)).isEqualTo("web-1");
    assertThat(TLS.get(s)).isTrue();
  }

  @Test
  void zeroIntervalIsRejectedNamingTheSetting() {
    Settings s = Settings.parse(new String[] {"--interval", "0"}, Map.of());
    assertThatThrownBy(() -> INTERVAL.get(s))
        .isInstanceOf(ConfigException.class)
        .hasMessage("invalid setting --interval (SYSMONSTM_INTERVAL): must be at least 1s, got 0");
  }

  @Test
  void aValueBuiltInCodeMeetsTheSameChecksAndTheSameLine() {
    assertThatThrownBy(() -> INTERVAL.check(Duration.ZERO))
        .isInstanceOf(ConfigException.class)
        .hasMessage("invalid setting --interval (SYSMONSTM_INTERVAL): must be at least 1s, got 0s");
    assertThat(INTERVAL.check(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void malformedUrlsAreRejected() {
    Settings s =
        Settings.parse(
            new String[] {"--redis-url", "localhost:6379", "--jdbc-url", "postgres://x/y"},
            Map.of());
    assertThatThrownBy(() -> REDIS_URL.get(s))
        .hasMessageContaining("--redis-url")
        .hasMessageContaining("redis://host:port");
    assertThatThrownBy(() -> JDBC_URL.get(s)).hasMessageContaining("--jdbc-url");
  }

  @Test
  void badHostPortAndNumbers() {
    Settings s =
        Settings.parse(
            new String[] {"--kafka", "localhost", "--port", "70000", "--n", "abc"}, Map.of());
    assertThatThrownBy(() -> Setting.hostPorts("kafka").defaultValue("localhost:9092").get(s))
        .hasMessageContaining("'localhost' is not host:port");
    assertThatThrownBy(() -> Setting.port("port").defaultValue(1).get(s))
        .hasMessageContaining("between 0 and 65535");
    assertThatThrownBy(() -> Setting.integer("n").defaultValue(1).between(0, 9).get(s))
        .hasMessageContaining("not a whole number");
  }

  @Test
  void unknownFlagIsAnError() {
    Settings s = Settings.parse(new String[] {"--intervall", "5s"}, Map.of());
    INTERVAL.get(s);
    assertThatThrownBy(s::rejectUnknown)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("unknown setting --intervall")
        .hasMessageEndingWith("known settings: --interval");
  }

  @Test
  void describeMasksSecretsAndUrlPasswords() {
    Settings s =
        Settings.parse(
            new String[] {"--token", "hunter2", "--redis-url", "redis://u:pw@h:1"}, Map.of());
    TOKEN.optional(s);
    REDIS_URL.get(s);
    assertThat(s.describe()).doesNotContain("hunter2").doesNotContain("pw@").contains("token=***");
  }

  @Test
  void aRequiredSettingThatIsMissingSaysSo() {
    Settings s = Settings.parse(new String[0], Map.of());
    assertThatThrownBy(() -> Setting.string("topic").doc("topic").get(s))
        .isInstanceOf(ConfigException.class)
        .hasMessage("invalid setting --topic (SYSMONSTM_TOPIC): required, not set");
  }

  @Test
  void choicesAreWrittenInLowerCaseWithDashes() {
    Setting<Thread.State> state =
        Setting.choice("state", Thread.State.class).defaultValue(Thread.State.NEW).doc("state");
    assertThat(state.get(Settings.parse(new String[] {"--state", "timed-waiting"}, Map.of())))
        .isEqualTo(Thread.State.TIMED_WAITING);
    assertThat(state.shownDefault()).isEqualTo("`new`");
    assertThatThrownBy(() -> state.get(Settings.parse(new String[] {"--state=x"}, Map.of())))
        .hasMessage(
            "invalid setting --state (SYSMONSTM_STATE): 'x' is not one of new, runnable, blocked,"
                + " waiting, timed-waiting, terminated");
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
