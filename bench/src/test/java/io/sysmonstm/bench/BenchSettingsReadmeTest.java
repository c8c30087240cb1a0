package io.sysmonstm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.config.ConfigurationTable;
import org.junit.jupiter.api.Test;

/** bench/README.md's table under "Settings" is {@link BenchConfig#SETTINGS}, row for row. */
class BenchSettingsReadmeTest {
  @Test
  void theReadmeTableSaysWhatTheDescriptorsSay() {
    assertThat(ConfigurationTable.disagreement("bench/README.md", "Settings", BenchConfig.SETTINGS))
        .isEmpty();
  }

  @Test
  void aCommandLineIsCheckedWithoutStartingTheService() {
    assertThat(BenchConfig.SETTINGS.check("--hosts", "500", "--mode", "live").hosts())
        .isEqualTo(500);
  }
}
