package io.sysmonstm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.config.ConfigurationTable;
import org.junit.jupiter.api.Test;

/** The tables of bench/README.md's "Settings" are {@link BenchConfig#SETTINGS}, row for row. */
class BenchSettingsReadmeTest {
  @Test
  void theReadmeTablesSayWhatTheDescriptorsSay() {
    assertThat(
            ConfigurationTable.differences(
                ConfigurationTable.repositoryFile("bench/README.md"),
                "Settings",
                BenchConfig.SETTINGS))
        .as(
            "bench/README.md '## Settings' against BenchConfig.SETTINGS; the tables to paste:%n%s",
            ConfigurationTable.markdown(BenchConfig.SETTINGS))
        .isEmpty();
  }

  @Test
  void aCommandLineIsCheckedWithoutStartingTheBenchmark() {
    assertThat(BenchConfig.SETTINGS.check("--hosts", "500", "--mode", "live").hosts())
        .isEqualTo(500);
  }
}
