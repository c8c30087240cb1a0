package io.sysmonstm.analytics.sink.redis;

import static io.sysmonstm.analytics.testing.Snapshots.CPU;
import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.sample;
import static io.sysmonstm.analytics.testing.Snapshots.snap;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysmonstm.analytics.snapshot.HostFacts;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveValuesTest {
  final HostSnapshot s = snap("web-1", T0, sample(CPU, 0.12), sample(CPU, Map.of("cpu", "0"), 0.1));

  @Test
  void hashHoldsFactsLastSeenAndOneFieldPerSeriesKey() {
    assertThat(LiveValues.hostKey("web-1")).isEqualTo("sysmonstm:host:web-1");
    assertThat(LiveValues.hashFields(s))
        .containsExactly(
            Map.entry("host_id", "web-1"),
            Map.entry("hostname", "web-1.example"),
            Map.entry("os", "Debian GNU/Linux 12"),
            Map.entry("cores", "8"),
            Map.entry("memory_total_bytes", "16777216000"),
            Map.entry("last_seen", Long.toString(T0.toEpochMilli())),
            Map.entry("system.cpu.utilization", "0.12"),
            Map.entry("system.cpu.utilization{\"cpu\":\"0\"}", "0.1"));
  }

  @Test
  void messageIsTheContractJson() {
    assertThat(LiveValues.message(s))
        .isEqualTo(
            "{\"type\":\"host\",\"host_id\":\"web-1\",\"hostname\":\"web-1.example\","
                + "\"os\":\"Debian GNU/Linux 12\",\"cores\":8,\"memory_total_bytes\":16777216000,"
                + "\"last_seen\":"
                + T0.toEpochMilli()
                + ",\"values\":{\"system.cpu.utilization\":0.12,"
                + "\"system.cpu.utilization{\\\"cpu\\\":\\\"0\\\"}\":0.1}}");
  }

  @Test
  void recentStreamEntryHoldsOnlyTheSeries() {
    assertThat(LiveValues.recentKey("web-1")).isEqualTo("sysmonstm:recent:web-1");
    assertThat(LiveValues.recentFields(s))
        .containsExactly(
            Map.entry("system.cpu.utilization", "0.12"),
            Map.entry("system.cpu.utilization{\"cpu\":\"0\"}", "0.1"));
  }

  @Test
  void messageEscapesAnyTextAndKeepsTheValuesExact() throws Exception {
    String host = "we\"b\\1\n\t\r\u0001\u001f é ☃ </script>";
    HostSnapshot odd =
        new HostSnapshot(
            "id-\"1\"",
            "run",
            1,
            T0.toEpochMilli(),
            new HostFacts(host, "os\u0000x", 2, 3, "v"),
            new Sample[] {
              sample(CPU, Map.of("cpu", "\"0\\"), 1.0E-7),
              sample("m", 123456.789012345),
              sample("n", -0.1 - 0.2)
            });
    JsonNode m = new ObjectMapper().readTree(LiveValues.message(odd));
    assertThat(m.get("host_id").asText()).isEqualTo("id-\"1\"");
    assertThat(m.get("hostname").asText()).isEqualTo(host);
    assertThat(m.get("os").asText()).isEqualTo("os\u0000x");
    JsonNode values = m.get("values");
    assertThat(values.size()).isEqualTo(3);
    assertThat(values.get(odd.samples()[0].seriesKey()).doubleValue()).isEqualTo(1.0E-7);
    assertThat(values.get("m").doubleValue()).isEqualTo(123456.789012345);
    assertThat(values.get("n").doubleValue()).isEqualTo(-0.1 - 0.2);
    // the hash and the stream carry the same text, which parses back to the same double
    assertThat(LiveValues.hashFields(odd).get("n")).isEqualTo(Double.toString(-0.1 - 0.2));
    assertThat(Double.parseDouble(LiveValues.recentFields(odd).get("m")))
        .isEqualTo(123456.789012345);
  }
}
