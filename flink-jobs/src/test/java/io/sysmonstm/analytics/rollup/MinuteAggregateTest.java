package io.sysmonstm.analytics.rollup;

import static io.sysmonstm.analytics.testing.Snapshots.CPU;
import static io.sysmonstm.analytics.testing.Snapshots.MEM;
import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.facts;
import static io.sysmonstm.analytics.testing.Snapshots.sample;
import static io.sysmonstm.analytics.testing.Snapshots.snap;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MinuteAggregateTest {
  private final MinuteAggregate agg = new MinuteAggregate();
  private final long minute = T0.toEpochMilli();

  @Test
  void keepsCountSumMinMaxAndTheValueWithTheNewestTimestampPerSeries() {
    HostWindow acc = agg.createAccumulator();
    acc = agg.add(snap("web-1", 1, T0.plusSeconds(10), sample(CPU, 0.2), sample(MEM, 0.5)), acc);
    acc = agg.add(snap("web-1", 3, T0.plusSeconds(40), sample(CPU, 0.6)), acc);
    // arrives last but is older: counted, yet not the last value
    acc =
        agg.add(
            snap(
                "web-1",
                2,
                T0.plusSeconds(20),
                sample(CPU, 0.1),
                sample(CPU, Map.of("cpu", "0"), 0.9)),
            acc);

    HostRollup r = agg.getResult(acc).toRollup(minute);

    assertThat(r.hostId()).isEqualTo("web-1");
    assertThat(r.bucketStartMs()).isEqualTo(minute);
    assertThat(r.firstSeenMs()).isEqualTo(T0.plusSeconds(10).toEpochMilli());
    assertThat(r.lastSeenMs()).isEqualTo(T0.plusSeconds(40).toEpochMilli());
    assertThat(r.seq()).as("seq of the newest snapshot").isEqualTo(3);
    assertThat(r.runId()).isEqualTo("run-web-1");
    assertThat(r.facts()).isEqualTo(facts("web-1"));
    assertThat(r.series())
        .containsExactly(
            new SeriesRollup(
                CPU, "{}", 3, 0.2 + 0.6 + 0.1, 0.1, 0.6, 0.6, T0.plusSeconds(40).toEpochMilli()),
            new SeriesRollup(
                CPU, "{\"cpu\":\"0\"}", 1, 0.9, 0.9, 0.9, 0.9, T0.plusSeconds(20).toEpochMilli()),
            new SeriesRollup(MEM, "{}", 1, 0.5, 0.5, 0.5, 0.5, T0.plusSeconds(10).toEpochMilli()));
  }

  @Test
  void mergedAccumulatorsEqualOneAccumulatorOverAllSnapshots() {
    HostWindow a =
        agg.add(snap("web-1", T0.plusSeconds(1), sample(CPU, 0.3)), agg.createAccumulator());
    HostWindow b =
        agg.add(snap("web-1", T0.plusSeconds(2), sample(CPU, 0.7)), agg.createAccumulator());
    HostWindow all =
        agg.add(
            snap("web-1", T0.plusSeconds(2), sample(CPU, 0.7)),
            agg.add(snap("web-1", T0.plusSeconds(1), sample(CPU, 0.3)), agg.createAccumulator()));

    assertThat(agg.merge(a, b).toRollup(minute)).isEqualTo(all.toRollup(minute));
    assertThat(agg.merge(agg.createAccumulator(), all).toRollup(minute))
        .isEqualTo(all.toRollup(minute));
  }

  @Test
  void rowsCarryTheAverageComputedFromSumAndCount() {
    HostWindow acc = agg.createAccumulator();
    agg.add(snap("web-1", T0.plusSeconds(1), sample(CPU, 0.2)), acc);
    agg.add(snap("web-1", T0.plusSeconds(2), sample(CPU, 0.4)), acc);
    java.util.List<RollupRow> rows = new java.util.ArrayList<>();

    new RollupRows()
        .flatMap(
            acc.toRollup(minute),
            new org.apache.flink.api.common.functions.util.ListCollector<>(rows));

    assertThat(rows)
        .containsExactly(
            new RollupRow(
                "web-1",
                CPU,
                "{}",
                minute,
                2,
                0.2 + 0.4,
                0.2,
                0.4,
                (0.2 + 0.4) / 2,
                0.4,
                T0.plusSeconds(2).toEpochMilli()));
  }
}
