package io.sysmonstm.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorConfigTest {
  private static CollectorConfig parse(String... args) {
    Settings s = Settings.parse(args, Map.of());
    CollectorConfig cfg = CollectorConfig.from(s);
    s.rejectUnknown();
    return cfg;
  }

  private static ConfigException failure(String... args) {
    try {
      parse(args);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).as("one line").doesNotContain("\n");
      return e;
    }
    throw new AssertionError("accepted " + String.join(" ", args));
  }

  @Test
  void defaultsSuitALocalIngress() {
    CollectorConfig cfg = parse();

    assertThat(cfg.ingress()).isEqualTo("localhost:50051");
    assertThat(cfg.token()).isEmpty();
    assertThat(cfg.tls()).isFalse();
    assertThat(cfg.tlsCa()).isEmpty();
    assertThat(cfg.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(cfg.bufferBatches()).isEqualTo(1000);
    assertThat(cfg.backoffMax()).isEqualTo(Duration.ofSeconds(30));
    assertThat(cfg.hostId()).matches(CollectorConfig.HOST_ID);
  }

  @Test
  void everyFlagIsReadAndTheEnvironmentStandsInForFlags() {
    Settings s =
        Settings.parse(
            new String[] {
              "--ingress",
              "ingress.example.com:6000",
              "--token",
              "abc123",
              "--tls",
              "--host-id",
              "web-1",
              "--interval=1s",
              "--buffer-batches",
              "10",
            },
            Map.of("SYSMONSTM_BACKOFF_MAX", "2m"));
    CollectorConfig cfg = CollectorConfig.from(s);
    s.rejectUnknown();

    assertThat(cfg.ingressHost()).isEqualTo("ingress.example.com");
    assertThat(cfg.ingressPort()).isEqualTo(6000);
    assertThat(cfg.token()).contains("abc123");
    assertThat(cfg.tls()).isTrue();
    assertThat(cfg.hostId()).isEqualTo("web-1");
    assertThat(cfg.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(cfg.bufferBatches()).isEqualTo(10);
    assertThat(cfg.backoffMax()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.describe()).doesNotContain("abc123");
    assertThat(cfg.toString()).doesNotContain("abc123");
  }

  @Test
  void anIntervalOfZeroOrBelowOneSecondIsRefusedNamingTheFlag() {
    assertThat(failure("--interval", "0"))
        .hasMessageStartingWith("invalid setting --interval (SYSMONSTM_INTERVAL)")
        .hasMessageContaining("at least 1s");
    assertThat(failure("--interval", "500ms").setting()).isEqualTo("interval");
    assertThat(failure("--interval", "fast").getMessage()).contains("--interval", "fast");
  }

  @Test
  void anIngressThatIsNotOneHostAndPortIsRefused() {
    assertThat(failure("--ingress", "localhost"))
        .hasMessageStartingWith("invalid setting --ingress (SYSMONSTM_INGRESS)")
        .hasMessageContaining("'localhost' is not host:port");
    assertThat(failure("--ingress", "http://ingress:50051").getMessage())
        .contains("--ingress", "http://ingress");
    assertThat(failure("--ingress", "a:1,b:2").getMessage()).contains("--ingress", "one");
    assertThat(failure("--ingress", "ingress:0").getMessage()).contains("--ingress");
    assertThat(parse("--ingress", "[::1]:50051").ingressHost()).isEqualTo("[::1]");
  }

  @Test
  void anUnknownFlagIsRefusedNamingIt() {
    assertThat(failure("--intervall", "5s"))
        .hasMessageStartingWith("unknown setting --intervall")
        .hasMessageContaining("--interval");
  }

  @Test
  void hostIdsFollowWhatIngressAccepts() {
    assertThat(failure("--host-id", "web 1/a").getMessage()).contains("--host-id", "web 1/a");
    assertThat(failure("--buffer-batches", "0").getMessage()).contains("--buffer-batches");
    assertThat(failure("--backoff-max", "100ms").getMessage()).contains("--backoff-max");

    assertThat(CollectorConfig.sanitizeHostId("Büro PC (2)")).isEqualTo("B-ro-PC--2-");
    assertThat(CollectorConfig.sanitizeHostId("x".repeat(300))).hasSize(253);
    assertThat(CollectorConfig.sanitizeHostId("  ")).isEqualTo("unknown-host");
    assertThat(CollectorConfig.defaultHostId()).matches(CollectorConfig.HOST_ID);
  }

  @Test
  void aPrivateCaMustBeAReadableFileAndImpliesTls(@TempDir Path dir) throws Exception {
    assertThat(failure("--tls-ca", dir.resolve("missing.pem").toString()).getMessage())
        .contains("--tls-ca", "missing.pem");

    Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    CollectorConfig cfg = parse("--tls-ca", ca.toString());
    assertThat(cfg.tls()).isTrue();
    assertThat(cfg.tlsCa()).contains(ca);
  }

  @Test
  void theRecordChecksItsInvariantsToo() {
    assertThatThrownBy(
            () ->
                new CollectorConfig(
                    "localhost",
                    50051,
                    Optional.empty(),
                    false,
                    Optional.empty(),
                    "web-1",
                    Duration.ZERO,
                    10,
                    Duration.ofSeconds(30)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--interval");
  }
}
