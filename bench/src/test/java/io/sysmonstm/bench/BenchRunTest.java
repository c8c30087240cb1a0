package io.sysmonstm.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void theSteadyRateIsTheSlopeBetweenTenAndNinetyPercentRead() {
    List<long[]> points = new ArrayList<>();
    // a slow start, then 1,000 snapshots/s, then a slow tail
    points.add(new long[] {0, 0, 0});
    points.add(new long[] {1_000_000_000L, 50, 0});
    for (int i = 2; i <= 12; i++) {
      points.add(new long[] {i * 1_000_000_000L, 50 + (i - 1) * 1000L, 0});
    }
    points.add(new long[] {20_000_000_000L, 12_000, 0});

    assertThat(BenchRun.steadyRate(points, 12_000)).isCloseTo(1000, within(0.001));
  }

  @Test
  void slopeOfAFlatSeriesIsZeroAndOfALineItsGradient() {
    assertThat(BenchRun.slope(List.of(new double[] {0, 5}, new double[] {1, 5}))).isZero();
    assertThat(
            BenchRun.slope(List.of(new double[] {0, 1}, new double[] {1, 3}, new double[] {2, 5})))
        .isCloseTo(2, within(1e-9));
    assertThat(BenchRun.slope(List.of(new double[] {0, 1}))).isZero();
  }
}
