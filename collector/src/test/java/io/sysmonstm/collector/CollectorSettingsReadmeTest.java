package io.sysmonstm.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.config.ConfigurationTable;
import org.junit.jupiter.api.Test;

/** README.md's table under "Collector" is {@link CollectorConfig#SETTINGS}, row for row. */
class CollectorSettingsReadmeTest {
  @Test
  void theReadmeTableSaysWhatTheDescriptorsSay() {
    assertThat(ConfigurationTable.disagreement("README.md", "Collector", CollectorConfig.SETTINGS))
        .isEmpty();
  }

  @Test
  void aCommandLineIsCheckedWithoutStartingTheService() {
    assertThat(CollectorConfig.SETTINGS.check("--interval", "2s").interval()).hasSeconds(2);
  }
}
