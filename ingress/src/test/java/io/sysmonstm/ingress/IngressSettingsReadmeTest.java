package io.sysmonstm.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.config.ConfigurationTable;
import org.junit.jupiter.api.Test;

/** README.md's table under "Ingress" is {@link IngressConfig#SETTINGS}, row for row. */
class IngressSettingsReadmeTest {
  @Test
  void theReadmeTableSaysWhatTheDescriptorsSay() {
    assertThat(ConfigurationTable.disagreement("README.md", "Ingress", IngressConfig.SETTINGS))
        .isEmpty();
  }

  @Test
  void aCommandLineIsCheckedWithoutStartingTheService() {
    assertThat(IngressConfig.SETTINGS.check("--max-samples", "100").maxSamples()).isEqualTo(100);
  }
}
