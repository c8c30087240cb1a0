package io.sysmonstm.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.config.ConfigurationTable;
import org.junit.jupiter.api.Test;

/** The README's table of this service is {@link IngressConfig#SETTINGS}, row for row. */
class IngressSettingsReadmeTest {
  @Test
  void theReadmeTableSaysWhatTheDescriptorsSay() {
    assertThat(
            ConfigurationTable.differences(
                ConfigurationTable.repositoryFile("README.md"), "Ingress", IngressConfig.SETTINGS))
        .as(
            "README.md 'Ingress' against IngressConfig.SETTINGS; the table to paste:%n%s",
            ConfigurationTable.markdown(IngressConfig.SETTINGS))
        .isEmpty();
  }

  @Test
  void aCommandLineIsCheckedWithoutStartingTheService() {
    assertThat(IngressConfig.SETTINGS.check("--max-samples", "100").maxSamples()).isEqualTo(100);
  }
}
