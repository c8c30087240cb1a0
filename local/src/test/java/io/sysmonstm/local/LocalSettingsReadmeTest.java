package io.sysmonstm.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.config.ConfigurationTable;
import org.junit.jupiter.api.Test;

/** README.md's table under "Local stack" is {@link LocalConfig#SETTINGS}, row for row. */
class LocalSettingsReadmeTest {
  @Test
  void theReadmeTableSaysWhatTheDescriptorsSay() {
    assertThat(ConfigurationTable.disagreement("README.md", "Local stack", LocalConfig.SETTINGS))
        .isEmpty();
  }

  @Test
  void aCommandLineIsCheckedWithoutStartingTheService() {
    assertThat(LocalConfig.SETTINGS.check("--parallelism", "3").parallelism()).isEqualTo(3);
  }
}
