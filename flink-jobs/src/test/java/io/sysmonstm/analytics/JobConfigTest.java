package io.sysmonstm.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class JobConfigTest {

  static JobConfig parse(Map<String, String> env, String... args) {
    Settings s = Settings.parse(args, env);
    JobConfig cfg = JobConfig.from(s);
    s.rejectUnknown();
    return cfg;
  }

  @Test
  void defaultsFitALocalStack() {
    JobConfig cfg = parse(Map.of());

    assertThat(cfg.kafkaBootstrap()).isEqualTo("localhost:9092");
    assertThat(cfg.samplesTopic()).isEqualTo("sysmonstm.samples");
    assertThat(cfg.groupId()).isEqualTo("sysmonstm-analytics");
    assertThat(cfg.startingOffsets()).isEqualTo(JobConfig.StartingOffsets.COMMITTED);
    assertThat(cfg.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/sysmonstm");
    assertThat(cfg.jdbcUser()).isEqualTo("sysmonstm");
    assertThat(cfg.jdbcPassword()).isEqualTo("sysmonstm");
    assertThat(cfg.redisUrl()).isEqualTo(URI.create("redis://localhost:6379"));
    assertThat(cfg.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(cfg.checkpointDir()).isEmpty();
    assertThat(cfg.stateBackend()).isEqualTo(JobConfig.StateBackend.ROCKSDB);
    assertThat(cfg.outOfOrderness()).isEqualTo(Duration.ofSeconds(5));
    assertThat(cfg.idleness()).isEqualTo(Duration.ofSeconds(30));
    assertThat(cfg.allowedLateness()).isEqualTo(Duration.ofHours(1));
    assertThat(cfg.liveTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(cfg.dedupTtl()).isEqualTo(Duration.ofHours(2));
    assertThat(cfg.parallelism()).isEqualTo(OptionalInt.empty());
    assertThat(cfg.migrate()).isTrue();
  }

  @Test
  void flagsAndEnvironmentOverrideDefaults() {
    JobConfig cfg =
        parse(
            Map.of("SYSMONSTM_JDBC_PASSWORD", "s3cret"),
            "--kafka-bootstrap=k1:9092,k2:9092",
            "--starting-offsets",
            "earliest",
            "--state-backend",
            "hashmap",
            "--checkpoint-dir",
            "/var/lib/sysmonstm/checkpoints",
            "--allowed-lateness",
            "10m",
            "--parallelism",
            "4",
            "--migrate",
            "false");

    assertThat(cfg.kafkaBootstrap()).isEqualTo("k1:9092,k2:9092");
    assertThat(cfg.startingOffsets()).isEqualTo(JobConfig.StartingOffsets.EARLIEST);
    assertThat(cfg.stateBackend()).isEqualTo(JobConfig.StateBackend.HASHMAP);
    assertThat(cfg.checkpointDir()).isEqualTo(Optional.of("file:///var/lib/sysmonstm/checkpoints"));
    assertThat(cfg.allowedLateness()).isEqualTo(Duration.ofMinutes(10));
    assertThat(cfg.parallelism()).isEqualTo(OptionalInt.of(4));
    assertThat(cfg.migrate()).isFalse();
    assertThat(cfg.jdbcPassword()).isEqualTo("s3cret");
    assertThat(cfg.toString()).doesNotContain("s3cret");
  }

  @Test
  void invalidValuesNameTheFlag() {
    assertThatThrownBy(() -> parse(Map.of(), "--starting-offsets", "newest"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--starting-offsets")
        .hasMessageContaining("committed, earliest, latest");
    assertThatThrownBy(() -> parse(Map.of(), "--state-backend", "memory"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--state-backend");
    assertThatThrownBy(() -> parse(Map.of(), "--parallelism", "0"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--parallelism");
    assertThatThrownBy(() -> parse(Map.of(), "--redis-url", "http://x:1"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--redis-url");
    assertThatThrownBy(() -> parse(Map.of(), "--checkpoint-dir", "relative/dir"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--checkpoint-dir");
    assertThatThrownBy(() -> parse(Map.of(), "--idleness", "0"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--idleness");
    assertThatThrownBy(() -> parse(Map.of(), "--dedup-ttl", "1h"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid setting --dedup-ttl (SYSMONSTM_DEDUP_TTL): 1h must be longer than"
                + " --allowed-lateness 1h, or a"
                + " resent batch could be counted twice");
    assertThat(parse(Map.of(), "--dedup-ttl", "20m", "--allowed-lateness", "10m").dedupTtl())
        .isEqualTo(Duration.ofMinutes(20));
    assertThatThrownBy(() -> parse(Map.of(), "--chekpoint-interval", "5s"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown setting --chekpoint-interval");
  }
}
