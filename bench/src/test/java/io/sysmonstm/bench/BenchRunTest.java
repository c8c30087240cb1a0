package io.sysmonstm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BenchRunTest {

  @Test
  void theDataRunsPastTheDurationByTheOutOfOrdernessSoTheLastMinuteCloses() {
    // 2 minutes at 1 s: 120 snapshots, then until event time 125 s (watermark 120 s) and one more
    assertThat(BenchRun.ticks(Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .isEqualTo(126);
    // the newest snapshot (tick 125, phase < 1 s) keeps the watermark below the next minute's end
    long lastTickStart = 125_000;
    assertThat(lastTickStart + 999 - 5_000).isLessThan(180_000).isGreaterThanOrEqualTo(120_000);
    assertThat(BenchRun.ticks(Duration.ofMinutes(3), Duration.ofSeconds(5), Duration.ofMillis(400)))
        .isEqualTo(464);
  }

  @Test
  void rollupsAreCountedForTheWholeMinutesInsideTheData() {
    Instant onMinute = Instant.parse("2025-11-23T06:00:00Z");
    Instant within = Instant.parse("2025-11-23T06:00:17Z");

    assertThat(BenchRun.ceilMinute(onMinute)).isEqualTo(onMinute);
    assertThat(BenchRun.floorMinute(onMinute)).isEqualTo(onMinute);
    assertThat(BenchRun.ceilMinute(within)).isEqualTo(Instant.parse("2025-11-23T06:01:00Z"));
    assertThat(BenchRun.floorMinute(within)).isEqualTo(onMinute);
  }
}
