package io.sysmonstm.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IngressConfigTest {
  private static IngressConfig parse(Map<String, String> env, String... args) {
    Settings s = Settings.parse(args, env);
    IngressConfig cfg = IngressConfig.from(s);
    s.rejectUnknown();
    return cfg;
  }

  private static IngressConfig parse(String... args) {
    return parse(Map.of(), args);
  }

  @Test
  void defaultsMatchTheDesign() {
    IngressConfig cfg = parse();
    assertThat(cfg.port()).isEqualTo(50051);
    assertThat(cfg.kafkaBootstrap()).isEqualTo("localhost:9092");
    assertThat(cfg.topic()).isEqualTo("sysmonstm.samples");
    assertThat(cfg.topicPartitions()).isEqualTo(6);
    assertThat(cfg.tokens()).isEmpty();
    assertThat(cfg.authEnabled()).isFalse();
    assertThat(cfg.tlsEnabled()).isFalse();
    assertThat(cfg.maxFutureSkew()).isEqualTo(Duration.ofMinutes(5));
    assertThat(cfg.maxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(cfg.maxSamples()).isEqualTo(20_000);
    assertThat(cfg.maxAttributes()).isEqualTo(16);
    assertThat(cfg.maxAttributeLength()).isEqualTo(256);
    assertThat(cfg.kafkaTimeout()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void everyFlagIsRead() {
    IngressConfig cfg =
        parse(
            "--port=0",
            "--kafka-bootstrap",
            "k1:9092,k2:9093",
            "--topic",
            "samples.test",
            "--topic-partitions",
            "3",
            "--tokens",
            " fleet-token , host-token,",
            "--tls-cert",
            "/etc/ingress/cert.pem",
            "--tls-key",
            "/etc/ingress/key.pem",
            "--max-future-skew",
            "30s",
            "--max-age",
            "1d",
            "--max-samples",
            "100",
            "--max-attributes",
            "4",
            "--max-attribute-length",
            "64",
            "--kafka-timeout",
            "3s");
    assertThat(cfg)
        .isEqualTo(
            new IngressConfig(
                0,
                "k1:9092,k2:9093",
                "samples.test",
                3,
                List.of("fleet-token", "host-token"),
                Optional.of(Path.of("/etc/ingress/cert.pem")),
                Optional.of(Path.of("/etc/ingress/key.pem")),
                Duration.ofSeconds(30),
                Duration.ofDays(1),
                100,
                4,
                64,
                Duration.ofSeconds(3)));
    assertThat(cfg.authEnabled()).isTrue();
    assertThat(cfg.tlsEnabled()).isTrue();
    assertThat(cfg.limits().maxAttributeLength()).isEqualTo(64);
  }

  @Test
  void environmentVariablesWorkAndFlagsWin() {
    IngressConfig cfg =
        parse(Map.of("SYSMONSTM_TOKENS", "from-env", "SYSMONSTM_PORT", "7000"), "--port", "7001");
    assertThat(cfg.tokens()).containsExactly("from-env");
    assertThat(cfg.port()).isEqualTo(7001);
  }

  @Test
  void tokensNeverAppearInTextOrTheStartupLine() {
    Settings s = Settings.parse(new String[] {"--tokens", "s3cret-a,s3cret-b"}, Map.of());
    IngressConfig cfg = IngressConfig.from(s);
    assertThat(cfg.toString()).doesNotContain("s3cret").contains("tokens=2 (hidden)");
    assertThat(s.describe()).doesNotContain("s3cret");
  }

  @Test
  void certificateWithoutKeyNamesTheMissingSetting() {
    assertThatThrownBy(() -> parse("--tls-cert", "/etc/cert.pem"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid setting --tls-key (SYSMONSTM_TLS_KEY): TLS needs both --tls-cert and"
                + " --tls-key, or neither");
    assertThatThrownBy(() -> parse("--tls-key", "/etc/key.pem"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid setting --tls-cert (SYSMONSTM_TLS_CERT)");
  }

  @Test
  void tokensThatAreOnlyCommasAreRefused() {
    assertThatThrownBy(() -> parse("--tokens", ","))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid setting --tokens (SYSMONSTM_TOKENS): no token");
  }

  @Test
  void aTokenWithASpaceIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> parse("--tokens", "good,bad token"))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("bad token")
        .hasMessageContaining("--tokens");
  }

  @Test
  void badValuesNameTheirSetting() {
    assertThatThrownBy(() -> parse("--topic", "bad topic"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid setting --topic (SYSMONSTM_TOPIC)");
    assertThatThrownBy(() -> parse("--kafka-bootstrap", "localhost"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--kafka-bootstrap");
    assertThatThrownBy(() -> parse("--kafka-timeout", "500ms"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--kafka-timeout");
    assertThatThrownBy(() -> parse("--max-samples", "0"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--max-samples");
    assertThatThrownBy(() -> parse("--port", "70000"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--port");
  }

  @Test
  void aMistypedFlagIsNotIgnored() {
    assertThatThrownBy(() -> parse("--max-sample", "10"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("unknown setting --max-sample");
  }
}
