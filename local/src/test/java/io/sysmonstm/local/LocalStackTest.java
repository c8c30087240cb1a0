package io.sysmonstm.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.Settings;
import io.sysmonstm.config.StartupException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStackTest {

  @Test
  void defaultsAreTheDesignPorts() {
    LocalConfig cfg = LocalConfig.from(Settings.parse(new String[0], Map.of()));
    assertThat(cfg.relayPort()).isEqualTo(8080);
    assertThat(cfg.flinkUiPort()).isEqualTo(8081);
    assertThat(cfg.ingressPort()).isEqualTo(50051);
    assertThat(cfg.kafkaPort()).isEqualTo(9092);
    assertThat(cfg.redisPort()).isEqualTo(6379);
    assertThat(cfg.postgresPort()).isEqualTo(5432);
    assertThat(cfg.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(cfg.collector()).isTrue();
  }

  @Test
  void externalServersAreValidated() {
    assertThatThrownBy(
            () ->
                LocalConfig.from(
                    Settings.parse(new String[] {"--jdbc-url", "localhost:5432"}, Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--jdbc-url (SYSMONSTM_JDBC_URL)");
  }

  @Test
  void aTakenPortIsOneLineNamingTheSettingThatMovesIt() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(0));
      int port = taken.getLocalPort();
      LocalConfig cfg =
          LocalConfig.from(
              Settings.parse(new String[] {"--relay-port", String.valueOf(port)}, Map.of()));
      assertThatThrownBy(() -> LocalStack.start(cfg))
          .isInstanceOf(StartupException.class)
          .hasMessageContaining(
              "port " + port + " is in use (set --relay-port / SYSMONSTM_RELAY_PORT to move it)")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }
}
