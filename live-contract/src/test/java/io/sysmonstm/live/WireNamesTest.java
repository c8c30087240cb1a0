package io.sysmonstm.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The names on the wire, spelled out: a job and a relay of different versions, and data already in
 * Redis, only agree while these stay the same. Changing one is a change of the contract, to be made
 * on purpose (and in docs/design.md), not by a rename.
 */
class WireNamesTest {

  @Test
  void keysAndChannelsAreTheDeployedOnes() {
    assertThat(RedisKeys.HOSTS).isEqualTo("sysmonstm:hosts");
    assertThat(RedisKeys.hostKey("web-1")).isEqualTo("sysmonstm:host:web-1");
    assertThat(RedisKeys.recentKey("web-1")).isEqualTo("sysmonstm:recent:web-1");
    assertThat(RedisKeys.ALERTS_ACTIVE).isEqualTo("sysmonstm:alerts:active");
    assertThat(RedisKeys.LIVE_CHANNEL).isEqualTo("sysmonstm:live");
    assertThat(RedisKeys.ALERTS_CHANNEL).isEqualTo("sysmonstm:alerts");
    assertThat(RedisKeys.RECENT_WINDOW).isEqualTo(Duration.ofMinutes(5));
    assertThat(RedisKeys.DEFAULT_LIVE_TTL).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void recentEntryIdsAreTheEventTimeWithSequenceZero() {
    assertThat(RedisKeys.recentEntryId(1_764_000_000_123L)).isEqualTo("1764000000123-0");
    assertThat(RedisKeys.recentEntryTimeMs("1764000000123-0")).isEqualTo(1_764_000_000_123L);
    assertThat(RedisKeys.recentEntryTimeMs("1764000000123-7")).isEqualTo(1_764_000_000_123L);
  }

  @Test
  void hostFieldsAreTheDeployedOnes() {
    assertThat(Messages.TYPE).isEqualTo("type");
    assertThat(Messages.HOST).isEqualTo("host");
    assertThat(HostFields.FACTS)
        .containsExactly("host_id", "hostname", "os", "cores", "memory_total_bytes", "last_seen");
    assertThat(HostFields.VALUES).isEqualTo("values");
    assertThat(HostFields.isFact("last_seen")).isTrue();
    assertThat(HostFields.isFact("system.cpu.utilization")).isFalse();
  }

  @Test
  void alertFieldsAreTheDeployedOnes() {
    assertThat(Messages.ALERT).isEqualTo("alert");
    assertThat(AlertFields.ALL)
        .containsExactly(
            "fingerprint",
            "rule_id",
            "host_id",
            "series",
            "severity",
            "state",
            "value",
            "threshold",
            "starts_at",
            "ends_at",
            "summary",
            "retro",
            "labels");
    assertThat(AlertFields.FIRING).isEqualTo("firing");
    assertThat(AlertFields.RESOLVED).isEqualTo("resolved");
  }

  @Test
  void aSeriesKeyIsTheMetricThenItsAttributesWhenItHasAny() {
    assertThat(SeriesKeys.of("system.uptime", SeriesKeys.NO_ATTRS)).isEqualTo("system.uptime");
    String key = SeriesKeys.of("system.cpu.utilization", "{\"cpu\":\"3\"}");
    assertThat(key).isEqualTo("system.cpu.utilization{\"cpu\":\"3\"}");
    assertThat(SeriesKeys.metric(key)).isEqualTo("system.cpu.utilization");
    assertThat(SeriesKeys.attrs(key)).isEqualTo("{\"cpu\":\"3\"}");
    assertThat(SeriesKeys.attrs("system.uptime")).isEqualTo("{}");
  }
}
