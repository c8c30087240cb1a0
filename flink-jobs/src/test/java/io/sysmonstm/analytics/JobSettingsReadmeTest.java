package io.sysmonstm.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.config.ConfigurationTable;
import org.junit.jupiter.api.Test;

/** The README's table of this service is {@link JobConfig#SETTINGS}, row for row. */
class JobSettingsReadmeTest {
  @Test
  void theReadmeTableSaysWhatTheDescriptorsSay() {
    assertThat(
            ConfigurationTable.differences(
                ConfigurationTable.repositoryFile("README.md"), "Flink job", JobConfig.SETTINGS))
        .as(
            "README.md 'Flink job' against JobConfig.SETTINGS; the table to paste:%n%s",
            ConfigurationTable.markdown(JobConfig.SETTINGS))
        .isEmpty();
  }

  @Test
  void aCommandLineIsCheckedWithoutStartingTheService() {
    assertThat(JobConfig.SETTINGS.check("--dedup-ttl", "3h").dedupTtl()).hasHours(3);
  }
}
