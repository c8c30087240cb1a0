package io.sysmonstm.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.config.ConfigurationTable;
import org.junit.jupiter.api.Test;

/** README.md's table under "Flink job" is {@link JobConfig#SETTINGS}, row for row. */
class JobSettingsReadmeTest {
  @Test
  void theReadmeTableSaysWhatTheDescriptorsSay() {
    assertThat(ConfigurationTable.disagreement("README.md", "Flink job", JobConfig.SETTINGS))
        .isEmpty();
  }

  @Test
  void aCommandLineIsCheckedWithoutStartingTheService() {
    assertThat(JobConfig.SETTINGS.check("--dedup-ttl", "3h").dedupTtl()).hasHours(3);
  }
}
