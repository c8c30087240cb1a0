package io.sysmonstm.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.config.ConfigurationTable;
import org.junit.jupiter.api.Test;

/** README.md's table under "Dashboard relay" is {@link RelayConfig#SETTINGS}, row for row. */
class RelaySettingsReadmeTest {
  @Test
  void theReadmeTableSaysWhatTheDescriptorsSay() {
    assertThat(
            ConfigurationTable.disagreement("README.md", "Dashboard relay", RelayConfig.SETTINGS))
        .isEmpty();
  }

  @Test
  void aCommandLineIsCheckedWithoutStartingTheService() {
    assertThat(RelayConfig.SETTINGS.check("--port", "0").port()).isZero();
  }
}
