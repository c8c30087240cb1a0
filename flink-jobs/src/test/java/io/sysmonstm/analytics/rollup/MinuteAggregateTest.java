package io.sysmonstm.analytics.rollup;

import static io.sysmonstm.analytics.testing.Snapshots.CPU;
import static io.sysmonstm.analytics.testing.Snapshots.MEM;
import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.facts;
import static io.sysmonstm.analytics.testing.Snapshots.sample;
import static io.sysmonstm.analytics.testing.Snapshots.snap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sysmonstm.analytics.sketch.ValueSketch;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MinuteAggregateTest {
  private final MinuteAggregate agg = new MinuteAggregate();
  private final long minute = T0.toEpochMilli();

  @Test
  void keepsCountSumMinMaxAndTheValueWithTheNewestTimestampPerSeries() {
    HostWindow acc = agg.createAccumulator();
    acc =
        agg.add(
            MinuteBatch.of(
                snap("web-1", 1, T0.plusSeconds(10), sample(CPU, 0.2), sample(MEM, 0.5))),
            acc);
    acc = agg.add(MinuteBatch.of(snap("web-1", 3, T0.plusSeconds(40), sample(CPU, 0.6))), acc);
    // arrives last but is older: counted, yet not the last value
    acc =
        agg.add(
            MinuteBatch.of(
                snap(
                    "web-1",
                    2,
                    T0.plusSeconds(20),
                    sample(CPU, 0.1),
                    sample(CPU, Map.of("cpu", "0"), 0.9))),
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
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("sketch", "p50", "p95", "p99")
        .containsExactly(
            rollup(CPU, "{}", 3, 0.2 + 0.6 + 0.1, 0.1, 0.6, 0.6, T0.plusSeconds(40)),
            rollup(CPU, "{\"cpu\":\"0\"}", 1, 0.9, 0.9, 0.9, 0.9, T0.plusSeconds(20)),
            rollup(MEM, "{}", 1, 0.5, 0.5, 0.5, 0.5, T0.plusSeconds(10)));
    SeriesRollup cpu = r.series()[0];
    // values 0.1, 0.2, 0.6: quantile q is the value of rank floor(q * (3 - 1)), within 1 %:
    // the median and p95 are 0.2 (rank 1), p99 too (rank 1.98 -> 1)
    assertThat(cpu.p50()).isCloseTo(0.2, within(0.2 * 0.01));
    assertThat(cpu.p95()).isCloseTo(0.2, within(0.2 * 0.01));
    assertThat(cpu.p99()).isCloseTo(0.2, within(0.2 * 0.01));
    assertThat(cpu.sketch().count()).isEqualTo(3);
    // a single value is its own quantile, exactly (quantiles are clamped to [min, max])
    assertThat(r.series()[1].p50()).isEqualTo(0.9);
    assertThat(r.series()[1].p99()).isEqualTo(0.9);
  }

  static SeriesRollup rollup(
      String metric,
      String attrs,
      long count,
      double sum,
      double min,
      double max,
      double last,
      java.time.Instant lastTs) {
    return new SeriesRollup(
        metric,
        attrs,
        count,
        sum,
        min,
        max,
        last,
        lastTs.toEpochMilli(),
        min,
        min,
        min,
        new ValueSketch());
  }

  @Test
  void theLastValueIsTheNewestAndOnATieTheLargerWhateverTheArrivalOrder() {
    HostWindow a = agg.createAccumulator();
    agg.add(MinuteBatch.of(snap("web-1", 1, T0.plusSeconds(5), sample(CPU, 0.4))), a);
    agg.add(MinuteBatch.of(snap("web-1", 2, T0.plusSeconds(5), sample(CPU, 0.7))), a);
    HostWindow b = agg.createAccumulator();
    agg.add(MinuteBatch.of(snap("web-1", 2, T0.plusSeconds(5), sample(CPU, 0.7))), b);
    agg.add(MinuteBatch.of(snap("web-1", 1, T0.plusSeconds(5), sample(CPU, 0.4))), b);

    assertThat(a.toRollup(minute).series()[0].last()).isEqualTo(0.7);
    assertThat(b.toRollup(minute).series()[0].last()).isEqualTo(0.7);
  }

  @Test
  void mergedAccumulatorsEqualOneAccumulatorOverAllSnapshots() {
    HostWindow a =
        agg.add(
            MinuteBatch.of(snap("web-1", T0.plusSeconds(1), sample(CPU, 0.3))),
            agg.createAccumulator());
    HostWindow b =
        agg.add(
            MinuteBatch.of(snap("web-1", T0.plusSeconds(2), sample(CPU, 0.7))),
            agg.createAccumulator());
    HostWindow all =
        agg.add(
            MinuteBatch.of(snap("web-1", T0.plusSeconds(2), sample(CPU, 0.7))),
            agg.add(
                MinuteBatch.of(snap("web-1", T0.plusSeconds(1), sample(CPU, 0.3))),
                agg.createAccumulator()));

    assertThat(agg.merge(a, b).toRollup(minute)).isEqualTo(all.toRollup(minute));
    assertThat(agg.merge(agg.createAccumulator(), all).toRollup(minute))
        .isEqualTo(all.toRollup(minute));
  }

  @Test
  void rowsCarryTheAverageComputedFromSumAndCount() {
    HostWindow acc = agg.createAccumulator();
    agg.add(MinuteBatch.of(snap("web-1", T0.plusSeconds(1), sample(CPU, 0.2))), acc);
    agg.add(MinuteBatch.of(snap("web-1", T0.plusSeconds(2), sample(CPU, 0.4))), acc);
    java.util.List<RollupRow> rows = new java.util.ArrayList<>();

    new RollupRows()
        .flatMap(
            acc.toRollup(minute),
            new org.apache.flink.api.common.functions.util.ListCollector<>(rows));

    assertThat(rows).hasSize(1);
    RollupRow row = rows.get(0);
    assertThat(row)
        .usingRecursiveComparison()
        .ignoringFields("p50", "p95", "p99", "sketch")
        .isEqualTo(
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
                T0.plusSeconds(2).toEpochMilli(),
                0,
                0,
                0,
                new byte[0]));
    assertThat(row.p50()).isCloseTo(0.2, within(0.2 * 0.01));
    assertThat(row.p99()).as("rank floor(0.99 * 1) = 0").isCloseTo(0.2, within(0.2 * 0.01));
    assertThat(ValueSketch.decode(row.sketch()).count()).isEqualTo(2);
  }

  @Test
  void theAverageStaysWithinMinAndMaxDespiteRounding() {
    HostWindow acc = agg.createAccumulator();
    for (int i = 0; i < 3; i++) {
      agg.add(MinuteBatch.of(snap("web-1", T0.plusSeconds(i), sample(CPU, 0.1))), acc);
    }
    SeriesRollup s = acc.toRollup(minute).series()[0];

    assertThat(s.sum() / s.count()).as("plain division rounds above 0.1").isGreaterThan(0.1);
    assertThat(s.avg()).isEqualTo(0.1);
  }
}
