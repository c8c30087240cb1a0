package io.sysmonstm.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.config.ConfigurationTable;
import org.junit.jupiter.api.Test;

/** The README's table of this service is {@link LocalConfig#SETTINGS}, row for row. */
class LocalSettingsReadmeTest {
  @Test
  void theReadmeTableSaysWhatTheDescriptorsSay() {
    assertThat(
            ConfigurationTable.differences(
                ConfigurationTable.repositoryFile("README.md"),
                "Local stack",
                LocalConfig.SETTINGS))
        .as(
            "README.md 'Local stack' against LocalConfig.SETTINGS; the table to paste:%n%s",
            ConfigurationTable.markdown(LocalConfig.SETTINGS))
        .isEmpty();
  }

  @Test
  void aCommandLineIsCheckedWithoutStartingTheService() {
    assertThat(LocalConfig.SETTINGS.check("--parallelism", "3").parallelism()).isEqualTo(3);
  }
}
