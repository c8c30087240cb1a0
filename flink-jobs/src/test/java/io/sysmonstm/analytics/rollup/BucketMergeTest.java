package io.sysmonstm.analytics.rollup;

import static io.sysmonstm.analytics.testing.Snapshots.CPU;
import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.facts;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BucketMergeTest {
  static final long HOUR = T0.toEpochMilli();

  static long at(Duration d) {
    return T0.plus(d).toEpochMilli();
  }

  static HostRollup minute(int minute, long seq, SeriesRollup... series) {
    long start = at(Duration.ofMinutes(minute));
    long last = 0;
    for (SeriesRollup s : series) {
      last = Math.max(last, s.lastTs());
    }
    return new HostRollup("web-1", "run-1", seq, facts("web-1"), start, start, last, series);
  }

  static SeriesRollup cpu(
      long count, double sum, double min, double max, double last, long lastTs) {
    return new SeriesRollup(CPU, "{}", count, sum, min, max, last, lastTs);
  }

  @Test
  void aMinuteFiredAgainReplacesItsFirstEmissionSoTheHourDoesNotDoubleCount() {
    HostRollup m0 = minute(0, 1, cpu(2, 0.6, 0.2, 0.4, 0.4, at(Duration.ofSeconds(30))));
    HostRollup m5 = minute(5, 2, cpu(1, 0.5, 0.5, 0.5, 0.5, at(Duration.ofSeconds(310))));
    // minute 0 fired again for a late sample: complete, not a delta
    HostRollup m0Again = minute(0, 1, cpu(3, 1.5, 0.2, 0.9, 0.4, at(Duration.ofSeconds(30))));

    var newest = BucketMerge.newestPerBucket(List.of(m0, m5, m0Again));
    HostRollup hour = BucketMerge.merge(HOUR, newest).orElseThrow();

    assertThat(newest).containsExactly(m0Again, m5);
    assertThat(hour.bucketStartMs()).isEqualTo(HOUR);
    assertThat(hour.series())
        .containsExactly(cpu(4, 2.0, 0.2, 0.9, 0.5, at(Duration.ofSeconds(310))));
    assertThat(hour.seq()).as("seq of the newest minute").isEqualTo(2);
    assertThat(hour.firstSeenMs()).isEqualTo(at(Duration.ZERO));
    assertThat(hour.lastSeenMs()).isEqualTo(at(Duration.ofSeconds(310)));
  }

  @Test
  void nothingToMergeIsNoBucket() {
    assertThat(BucketMerge.merge(HOUR, List.of())).isEmpty();
  }
}
