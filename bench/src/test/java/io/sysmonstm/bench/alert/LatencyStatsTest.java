package io.sysmonstm.bench.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

  @Test
  void percentilesAreNearestRankOverTheSortedValues() {
    long[] shuffled = LongStream.rangeClosed(1, 100).map(i -> (i * 37) % 100 + 1).toArray();

    LatencyStats s = LatencyStats.of(shuffled);

    assertThat(s).isEqualTo(new LatencyStats(100, 1, 50, 95, 99, 100));
  }

  @Test
  void withFewValuesTheHighPercentilesAreTheLargestValue() {
    LatencyStats s =
        LatencyStats.of(new long[] {400, 100, 300, 200, 900, 500, 600, 800, 700, 1000});

    assertThat(s.p50()).isEqualTo(500);
    assertThat(s.p95()).isEqualTo(1000);
    assertThat(s.p99()).isEqualTo(1000);
    assertThat(LatencyStats.of(new long[] {42})).isEqualTo(new LatencyStats(1, 42, 42, 42, 42, 42));
  }

  @Test
  void theInputIsLeftAloneAndNoValuesGiveAnEmptyDistribution() {
    long[] values = {3, 1, 2};
    LatencyStats.of(values);

    assertThat(values).containsExactly(3, 1, 2);
    assertThat(LatencyStats.of(new long[0])).isEqualTo(LatencyStats.EMPTY);
    assertThat(LatencyStats.EMPTY.count()).isZero();
  }

  @Test
  void minusShiftsEveryFigureButTheCount() {
    LatencyStats s = new LatencyStats(3, 10_100, 10_200, 10_300, 10_400, 10_500);

    assertThat(s.minus(10_000)).isEqualTo(new LatencyStats(3, 100, 200, 300, 400, 500));
    assertThat(LatencyStats.EMPTY.minus(10_000)).isEqualTo(LatencyStats.EMPTY);
  }
}
