package io.sysmonstm.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunStatisticsTest {

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

    assertThat(RunStatistics.steadyRate(points, 12_000)).isCloseTo(1000, within(0.001));
  }

  @Test
  void slopeOfAFlatSeriesIsZeroAndOfALineItsGradient() {
    assertThat(RunStatistics.slope(List.of(new double[] {0, 5}, new double[] {1, 5}))).isZero();
    assertThat(
            RunStatistics.slope(
                List.of(new double[] {0, 1}, new double[] {1, 3}, new double[] {2, 5})))
        .isCloseTo(2, within(1e-9));
    assertThat(RunStatistics.slope(List.of(new double[] {0, 1}))).isZero();
  }
}
