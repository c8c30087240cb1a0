package io.sysmonstm.analytics.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesKeyTest {

  @Test
  void canonicalAttrsSortKeysWhateverTheInsertionOrder() {
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("direction", "receive");
    attrs.put("device", "eth0");

    assertThat(SeriesKey.canonicalAttrs(attrs))
        .isEqualTo("{\"device\":\"eth0\",\"direction\":\"receive\"}");
  }

  @Test
  void noAttributesAreAnEmptyObject() {
    assertThat(SeriesKey.canonicalAttrs(Map.of())).isEqualTo("{}");
  }

  @Test
  void valuesAreEscapedAsJson() {
    assertThat(SeriesKey.canonicalAttrs(Map.of("mountpoint", "C:\\ \"x\"")))
        .isEqualTo("{\"mountpoint\":\"C:\\\\ \\\"x\\\"\"}");
  }

  @Test
  void seriesKeyIsTheMetricAloneWithoutAttributes() {
    assertThat(SeriesKey.of("system.cpu.utilization", Map.of()))
        .isEqualTo("system.cpu.utilization");
  }

  @Test
  void seriesKeyAppendsCanonicalAttrs() {
    assertThat(SeriesKey.of("system.cpu.utilization", Map.of("cpu", "3")))
        .isEqualTo("system.cpu.utilization{\"cpu\":\"3\"}");
    assertThat(
            SeriesKey.of(
                "system.network.io.rate", Map.of("direction", "receive", "device", "eth0")))
        .isEqualTo("system.network.io.rate{\"device\":\"eth0\",\"direction\":\"receive\"}");
  }

  @Test
  void seriesKeySplitsAtTheFirstBrace() {
    String key = "system.filesystem.utilization{\"device\":\"sda1\",\"mountpoint\":\"/{x}\"}";

    assertThat(SeriesKey.metric(key)).isEqualTo("system.filesystem.utilization");
    assertThat(SeriesKey.attrs(key)).isEqualTo("{\"device\":\"sda1\",\"mountpoint\":\"/{x}\"}");
    assertThat(SeriesKey.parseAttrs(SeriesKey.attrs(key)))
        .containsExactly(Map.entry("device", "sda1"), Map.entry("mountpoint", "/{x}"));
    assertThat(SeriesKey.attrs("system.uptime")).isEqualTo("{}");
  }

  @Test
  void parseRejectsWhatIsNotAnObjectOfStrings() {
    assertThatThrownBy(() -> SeriesKey.parseAttrs("[1]"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
