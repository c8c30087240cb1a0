package io.sysmonstm.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.config.ConfigurationTable;
import org.junit.jupiter.api.Test;

/** The README's collector table is {@link CollectorConfig#SETTINGS}, row for row. */
class CollectorSettingsReadmeTest {
  @Test
  void theReadmeTableSaysWhatTheDescriptorsSay() {
    assertThat(
            ConfigurationTable.differences(
                ConfigurationTable.repositoryFile("README.md"),
                "Collector",
                CollectorConfig.SETTINGS))
        .as(
            "README.md '### Collector' against CollectorConfig.SETTINGS; the table to paste:%n%s",
            ConfigurationTable.markdown(CollectorConfig.SETTINGS))
        .isEmpty();
  }

  @Test
  void fromReadsExactlyTheDeclaredSettings() {
    assertThat(CollectorConfig.SETTINGS.check("--interval", "2s").interval()).hasSeconds(2);
  }
}
