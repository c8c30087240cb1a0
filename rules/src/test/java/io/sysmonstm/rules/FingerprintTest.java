package io.sysmonstm.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FingerprintTest {
  @Test
  void isStableForever() {
    // computed once with: sha256("cpu-high\0web-1\0system.cpu.utilization{"cpu":"3"}")[:16]
    assertThat(Fingerprint.of("cpu-high", "web-1", "system.cpu.utilization{\"cpu\":\"3\"}"))
        .isEqualTo("5587fd6cd76e1440");
    assertThat(Fingerprint.of("host-down", "web-1", "")).isEqualTo("4a61c43191ed3b52");
  }

  @Test
  void differsWhenAnyPartDiffers() {
    String base = Fingerprint.of("r", "h", "s");

    assertThat(Fingerprint.of("r", "h", "s2")).isNotEqualTo(base);
    assertThat(Fingerprint.of("r", "h2", "s")).isNotEqualTo(base);
    assertThat(Fingerprint.of("r2", "h", "s")).isNotEqualTo(base);
    // the separator keeps the parts apart
    assertThat(Fingerprint.of("ab", "c", "")).isNotEqualTo(Fingerprint.of("a", "bc", ""));
    assertThat(base).matches("[0-9a-f]{16}");
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> Fingerprint.of("r", null, "s"))
        .isInstanceOf(NullPointerException.class);
  }
}
