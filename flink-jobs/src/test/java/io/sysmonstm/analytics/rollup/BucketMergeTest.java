package io.sysmonstm.analytics.rollup;

import static io.sysmonstm.analytics.testing.Snapshots.CPU;
import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.sample;
import static io.sysmonstm.analytics.testing.Snapshots.snap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sysmonstm.analytics.sketch.ValueSketch;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BucketMergeTest {
  static final long HOUR = T0.toEpochMilli();
  final MinuteAggregate agg = new MinuteAggregate();

  static long at(Duration d) {
    return T0.plus(d).toEpochMilli();
  }

  /** A host's minute {@code minute} with one CPU value per second offset. */
  HostRollup minute(int minute, long seq, double... values) {
    HostWindow acc = agg.createAccumulator();
    for (int i = 0; i < values.length; i++) {
      agg.add(
          MinuteBatch.of(
              snap("web-1", seq, T0.plusSeconds(minute * 60L + i * 10L), sample(CPU, values[i]))),
          acc);
    }
    return acc.toRollup(at(Duration.ofMinutes(minute)));
  }

  @Test
  void aMinuteFiredAgainReplacesItsFirstEmissionSoTheHourDoesNotDoubleCount() {
    HostRollup m0 = minute(0, 1, 0.2, 0.4);
    HostRollup m5 = minute(5, 2, 0.5);
    // minute 0 fired again for a late sample: complete, not a delta
    HostRollup m0Again = minute(0, 1, 0.2, 0.4, 0.9);

    var newest = BucketMerge.newestPerBucket(List.of(m0, m5, m0Again));
    HostRollup hour = BucketMerge.merge(HOUR, newest).orElseThrow();

    assertThat(newest).containsExactly(m0Again, m5);
    assertThat(hour.bucketStartMs()).isEqualTo(HOUR);
    SeriesRollup cpu = hour.series()[0];
    assertThat(hour.series()).hasSize(1);
    assertThat(cpu.count()).isEqualTo(4);
    assertThat(cpu.sum()).isEqualTo(0.2 + 0.4 + 0.9 + 0.5);
    assertThat(cpu.min()).isEqualTo(0.2);
    assertThat(cpu.max()).isEqualTo(0.9);
    assertThat(cpu.last()).isEqualTo(0.5);
    assertThat(cpu.lastTs()).isEqualTo(at(Duration.ofMinutes(5)));
    assertThat(hour.seq()).as("seq of the newest minute").isEqualTo(2);
    assertThat(hour.firstSeenMs()).isEqualTo(at(Duration.ZERO));
    assertThat(hour.lastSeenMs()).isEqualTo(at(Duration.ofMinutes(5)));
  }

  @Test
  void theHourSketchIsTheMergeOfTheMinuteSketchesNotAnAverageOfQuantiles() {
    HostRollup m0 = minute(0, 1, 1, 1, 1, 1, 1);
    HostRollup m1 = minute(1, 2, 100);
    ValueSketch all = new ValueSketch();
    for (double v : new double[] {1, 1, 1, 1, 1, 100}) {
      all.add(v);
    }

    SeriesRollup hour = BucketMerge.merge(HOUR, List.of(m1, m0)).orElseThrow().series()[0];

    assertThat(hour.sketch()).isEqualTo(all);
    // the median of the six values is 1; averaging the minutes' medians would give 50.5
    assertThat(hour.p50()).isCloseTo(1.0, within(0.01));
    // p99 is the value of rank floor(0.99 * 5) = 4: still 1
    assertThat(hour.p99()).isCloseTo(1.0, within(0.01));
  }

  @Test
  void theResultDoesNotDependOnTheOrderOfTheMinutes() {
    HostRollup m0 = minute(0, 1, 0.1, 0.7);
    HostRollup m1 = minute(1, 2, 0.3);
    HostRollup m2 = minute(2, 3, 0.2, 0.6);

    assertThat(BucketMerge.merge(HOUR, List.of(m2, m0, m1)))
        .isEqualTo(BucketMerge.merge(HOUR, List.of(m0, m1, m2)));
  }

  @Test
  void nothingToMergeIsNoBucket() {
    assertThat(BucketMerge.merge(HOUR, List.of())).isEmpty();
  }
}
