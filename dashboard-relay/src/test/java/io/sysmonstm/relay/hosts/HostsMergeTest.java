package io.sysmonstm.relay.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostsMergeTest {
  private static final long NOW = 1_750_000_000_000L;
  private static final Duration STALE = Duration.ofSeconds(30);

  @Test
  void liveHashesAreUpOrStaleAndHistoryOnlyHostsAreDown() {
    Map<String, Map<String, String>> hashes =
        Map.of(
            "web-1",
            Map.of(
                "host_id", "web-1",
                "hostname", "web-1.example",
                "os", "Linux 6.1",
                "cores", "8",
                "memory_total_bytes", "16777216000",
                "last_seen", String.valueOf(NOW - 2_000),
                "system.cpu.utilization", "0.25",
                "system.network.io.rate{\"device\":\"eth0\",\"direction\":\"receive\"}", "1024.5",
                "system.bogus", "not-a-number"),
            "web-2",
            Map.of("hostname", "web-2", "last_seen", String.valueOf(NOW - 31_000)));
    Map<String, HostRow> rows =
        Map.of(
            "db-1",
                new HostRow("db-1", "db-1.example", "FreeBSD", 4, 8_000_000_000L, NOW - 600_000),
            "web-2", new HostRow("web-2", "web-2", "Linux 5.15", 2, 4_000_000_000L, NOW - 40_000));
    List<HostSummary> hosts =
        HostsMerge.merge(
            Map.of("web-1", NOW - 2_000, "web-2", NOW - 31_000, "gone", NOW - 900_000),
            hashes,
            rows,
            NOW,
            STALE);

    assertThat(hosts)
        .extracting(HostSummary::hostId)
        .containsExactly("db-1", "gone", "web-1", "web-2");
    HostSummary db = hosts.get(0);
    assertThat(db.health()).isEqualTo(Health.DOWN);
    assertThat(db.hostname()).isEqualTo("db-1.example");
    assertThat(db.lastSeenMs()).isEqualTo(NOW - 600_000);
    assertThat(db.values()).isEmpty();

    HostSummary gone = hosts.get(1);
    assertThat(gone.health()).isEqualTo(Health.DOWN);
    assertThat(gone.lastSeenMs()).isEqualTo(NOW - 900_000);

    HostSummary web1 = hosts.get(2);
    assertThat(web1.health()).isEqualTo(Health.UP);
    assertThat(web1.cores()).isEqualTo(8);
    assertThat(web1.memoryTotalBytes()).isEqualTo(16_777_216_000L);
    assertThat(web1.values())
        .containsOnlyKeys(
            "system.cpu.utilization",
            "system.network.io.rate{\"device\":\"eth0\",\"direction\":\"receive\"}")
        .containsEntry("system.cpu.utilization", 0.25);

    HostSummary web2 = hosts.get(3);
    assertThat(web2.health()).isEqualTo(Health.STALE);
    // facts missing from the hash come from the table
    assertThat(web2.os()).isEqualTo("Linux 5.15");
    assertThat(web2.cores()).isEqualTo(2);
  }

  @Test
  void jsonItemCarriesEpochAndIsoLastSeen() {
    HostSummary h =
        new HostSummary(
            "a", "a", "", 1, 2, 1_735_689_600_000L, Health.UP, new java.util.TreeMap<>());
    assertThat(h.toJson().getString("last_seen_iso")).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(h.toJson().getLong("last_seen")).isEqualTo(1_735_689_600_000L);
    assertThat(h.toJson().getString("health")).isEqualTo("up");
  }
}
