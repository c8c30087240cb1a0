package io.sysmonstm.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.config.ConfigurationTable;
import org.junit.jupiter.api.Test;

/** The README's table of this service is {@link RelayConfig#SETTINGS}, row for row. */
class RelaySettingsReadmeTest {
  @Test
  void theReadmeTableSaysWhatTheDescriptorsSay() {
    assertThat(
            ConfigurationTable.differences(
                ConfigurationTable.repositoryFile("README.md"),
                "Dashboard relay",
                RelayConfig.SETTINGS))
        .as(
            "README.md 'Dashboard relay' against RelayConfig.SETTINGS; the table to paste:%n%s",
            ConfigurationTable.markdown(RelayConfig.SETTINGS))
        .isEmpty();
  }

  @Test
  void aCommandLineIsCheckedWithoutStartingTheService() {
    assertThat(RelayConfig.SETTINGS.check("--port", "0").port()).isZero();
  }
}
