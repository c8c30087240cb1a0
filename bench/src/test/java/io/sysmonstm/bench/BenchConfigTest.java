package io.sysmonstm.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchConfigTest {

  static BenchConfig parse(String... args) {
    Settings s = Settings.parse(args, Map.of());
    BenchConfig cfg = BenchConfig.from(s);
    s.rejectUnknown();
    return cfg;
  }

  @Test
  void defaultsAreTheIssueTargetAgainstEmbeddedServers() {
    BenchConfig cfg = parse();

    assertThat(cfg.hosts()).isEqualTo(10_000);
    assertThat(cfg.series()).isEqualTo(20);
    assertThat(cfg.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(cfg.duration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(cfg.warmupDrain()).isEqualTo(Duration.ofMinutes(1));
    assertThat(cfg.mode()).isEqualTo(BenchConfig.Mode.PRELOAD);
    assertThat(cfg.parallelism()).isEqualTo(2);
    assertThat(cfg.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(cfg.stateBackend()).isEqualTo("rocksdb");
    assertThat(cfg.partitions()).isEqualTo(4);
    assertThat(cfg.kafkaBootstrap()).isEmpty();
    assertThat(cfg.jdbcUrl()).isEmpty();
    assertThat(cfg.redisUrl()).isEmpty();
    assertThat(cfg.discard()).isEmpty();
  }

  @Test
  void flagsSetTheRun() {
    BenchConfig cfg =
        parse(
            "--hosts",
            "1000",
            "--mode",
            "live",
            "--state-backend",
            "hashmap",
            "--discard",
            "samples,live",
            "--start",
            "2025-11-23T06:00:00Z",
            "--kafka-bootstrap",
            "localhost:9092",
            "--tag",
            "abc");

    assertThat(cfg.hosts()).isEqualTo(1000);
    assertThat(cfg.mode()).isEqualTo(BenchConfig.Mode.LIVE);
    assertThat(cfg.stateBackend()).isEqualTo("hashmap");
    assertThat(cfg.discard()).isEqualTo(Set.of(BenchConfig.Sink.SAMPLES, BenchConfig.Sink.LIVE));
    assertThat(cfg.startInstant(Instant.now())).isEqualTo(Instant.parse("2025-11-23T06:00:00Z"));
    assertThat(cfg.kafkaBootstrap()).contains("localhost:9092");
    assertThat(cfg.tagOrRandom()).isEqualTo("abc");
  }

  @Test
  void theWarmupRunDrainsItsOwnFleetOfTheSameShapeAndReportsNowhere() {
    BenchConfig cfg =
        parse(
            "--hosts",
            "1000",
            "--series",
            "8",
            "--mode",
            "live",
            "--duration",
            "3m",
            "--warmup-drain",
            "2m",
            "--tag",
            "abc",
            "--start",
            "2025-11-23T06:00:00Z",
            "--report",
            "/tmp/r.json",
            "--alerts",
            "false",
            "--state-backend",
            "hashmap");

    BenchConfig w = cfg.warmupRun();

    assertThat(w.mode()).isEqualTo(BenchConfig.Mode.PRELOAD);
    assertThat(w.duration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(w.warmupDrain()).as("a warm-up warms up nothing itself").isZero();
    assertThat(w.tag()).as("its own random tag: its rows apart from the run's").isEmpty();
    assertThat(w.start()).isEmpty();
    assertThat(w.report()).isEmpty();
    assertThat(w.hosts()).isEqualTo(1000);
    assertThat(w.series()).isEqualTo(8);
    assertThat(w.alerts()).isFalse();
    assertThat(w.stateBackend()).isEqualTo("hashmap");
    assertThat(w.interval()).isEqualTo(cfg.interval());
    assertThat(w.parallelism()).isEqualTo(cfg.parallelism());
    assertThat(w.partitions()).isEqualTo(cfg.partitions());
  }

  @Test
  void anAlertLatencyRunWarmsUpWithAPreloadDrainUnderTheBuiltInRules() {
    BenchConfig w = parse("--mode", "alert-latency", "--hosts", "500").warmupRun();

    assertThat(w.mode()).isEqualTo(BenchConfig.Mode.PRELOAD);
    assertThat(w.alerts()).isTrue();
    assertThat(w.duration()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void warmupDrainIsZeroOrWholeMinutes() {
    assertThat(parse("--warmup-drain", "0").warmupDrain()).isZero();
    assertThatThrownBy(() -> parse("--warmup-drain", "0").warmupRun())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> parse("--warmup-drain", "90s"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid setting --warmup-drain (SYSMONSTM_WARMUP_DRAIN): must be 0 or a whole number"
                + " of minutes (1m, 2m, …), got 1m30s");
  }

  @Test
  void withoutStartTheDataBeginsTwoHoursAgoOnAWholeMinute() {
    Instant now = Instant.parse("2025-11-23T08:17:42.5Z");
    assertThat(parse().startInstant(now)).isEqualTo(Instant.parse("2025-11-23T06:17:00Z"));
  }

  @Test
  void alertLatencyModeBreachesOneHostInTenForThirtySecondsWithATenSecondSustainedRule() {
    BenchConfig cfg = parse("--mode", "alert-latency", "--hosts", "1000");

    assertThat(cfg.mode()).isEqualTo(BenchConfig.Mode.ALERT_LATENCY);
    assertThat(cfg.mode().live()).isTrue();
    assertThat(cfg.mode().flag()).isEqualTo("alert-latency");
    assertThat(cfg.alerts()).isTrue();
    assertThat(cfg.duration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(cfg.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(cfg.breaches())
        .isEqualTo(
            new BenchConfig.Breaches(
                10,
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                Duration.ofSeconds(10)));
    assertThat(parse("--mode", "alert-latency", "--duration", "70s").duration())
        .as("any duration that holds a breach")
        .isEqualTo(Duration.ofSeconds(70));
    assertThat(parse("--alerts", "false").alerts()).isFalse();
  }

  @Test
  void alertLatencyNeedsAlertsTheWallClockAndRoomForABreach() {
    assertThatThrownBy(() -> parse("--mode", "alert-latency", "--alerts", "false"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--alerts");
    assertThatThrownBy(() -> parse("--mode", "alert-latency", "--start", "2025-11-23T06:00:00Z"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--start");
    assertThatThrownBy(
            () ->
                parse(
                    "--mode",
                    "alert-latency",
                    "--breach-duration",
                    "11s",
                    "--sustained-for",
                    "10s"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--breach-duration");
    assertThatThrownBy(() -> parse("--mode", "alert-latency", "--duration", "60s"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--duration");
    assertThatThrownBy(() -> parse("--mode", "live", "--duration", "45s"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("whole number of minutes");
  }

  @Test
  void invalidSettingsNameTheFlag() {
    assertThatThrownBy(() -> parse("--duration", "90s"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--duration")
        .hasMessageContaining("whole number of minutes");
    assertThatThrownBy(() -> parse("--mode", "fast"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--mode");
    assertThatThrownBy(() -> parse("--discard", "rollup-1m"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--discard");
    assertThatThrownBy(() -> parse("--interval", "30s"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--interval");
    assertThatThrownBy(() -> parse("--hostz", "3"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--hostz");
  }
}
