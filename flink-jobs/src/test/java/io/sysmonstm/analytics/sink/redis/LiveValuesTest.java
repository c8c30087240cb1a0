package io.sysmonstm.analytics.sink.redis;

import static io.sysmonstm.analytics.testing.Snapshots.CPU;
import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.sample;
import static io.sysmonstm.analytics.testing.Snapshots.snap;
import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
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
}
