package io.sysmonstm.analytics.rollup;

import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.facts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sysmonstm.analytics.sketch.ValueSketch;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import io.sysmonstm.analytics.testing.ExpectedRollups;
import io.sysmonstm.analytics.testing.ExpectedRollups.Bucket;
import io.sysmonstm.analytics.testing.ExpectedRollups.Key;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Properties of the rollup aggregation, for any samples: delivered in any order within the allowed
 * lateness, with resent batches, through the job's dedup, minute windows (fired again for late
 * data) and hour windows built from the minutes.
 */
class RollupPropertiesTest {
  static final long LATENESS = 3_600_000;
  static final long OUT_OF_ORDERNESS = 5_000;

  /**
   * The oldest a batch's oldest snapshot may be when the batch arrives: inside the lateness, with
   * room for the minute the snapshot's window ends in.
   */
  static final long MAX_DELAY = 50 * 60_000;

  static final String[] METRICS = {
    "system.cpu.utilization", "system.network.io.rate", "system.cpu.utilization"
  };
  static final String[] ATTRS = {"{}", "{\"device\":\"eth0\"}", "{\"cpu\":\"1\"}"};

  /** One sampled instant of one host: seconds since its previous one, values of series 0..2. */
  record Instant(int host, int gapSeconds, boolean newBatch, List<Double> values) {}

  /** Values as they occur: zeros, utilizations, rates, and some negative values. */
  static Arbitrary<Double> values() {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(2, Arbitraries.just(0.0)),
            Tuple.of(4, Arbitraries.doubles().between(0, 1).ofScale(6)),
            Tuple.of(3, Arbitraries.doubles().between(1, 1e10).ofScale(3)),
            Tuple.of(1, Arbitraries.doubles().between(-1e4, -1e-3).ofScale(4))));
  }

  @Provide
  Arbitrary<List<Instant>> histories() {
    Arbitrary<Instant> instant =
        Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(1, 400),
                Arbitraries.of(true, false),
                values().list().ofMinSize(1).ofMaxSize(3))
            .as(Instant::new);
    return instant.list().ofMinSize(1).ofMaxSize(80);
  }

  /** The snapshots of a history, grouped into batches per host (seq per batch). */
  static List<List<HostSnapshot>> batches(List<Instant> history) {
    Map<Integer, Long> clock = new HashMap<>();
    Map<Integer, List<HostSnapshot>> open = new HashMap<>();
    Map<Integer, Long> seq = new HashMap<>();
    List<List<HostSnapshot>> out = new ArrayList<>();
    for (Instant i : history) {
      String host = "host-" + i.host();
      long ts =
          clock.merge(
              i.host(),
              T0.toEpochMilli() + i.gapSeconds() * 1000L,
              (a, b) -> a + i.gapSeconds() * 1000L);
      List<HostSnapshot> batch = open.get(i.host());
      if (batch == null || i.newBatch() || batch.size() == 4) {
        batch = new ArrayList<>();
        open.put(i.host(), batch);
        out.add(batch);
        seq.merge(i.host(), 1L, Long::sum);
      }
      Sample[] samples = new Sample[i.values().size()];
      for (int s = 0; s < samples.length; s++) {
        samples[s] = new Sample(METRICS[s], ATTRS[s], i.values().get(s));
      }
      batch.add(new HostSnapshot(host, "run-" + host, seq.get(i.host()), ts, facts(host), samples));
    }
    return out;
  }

  /**
   * What reaches the job: every batch once, some twice (a collector resending after a lost ack),
   * each after its newest snapshot, when its oldest snapshot is at most {@link #MAX_DELAY} old, in
   * the order of arrival; a batch's snapshots stay together (one Kafka record). The delay counts
   * from the oldest snapshot because a batch spans up to 20 minutes: 50 minutes after its newest
   * snapshot, its oldest can be beyond the lateness, and then it is late by right.
   */
  static List<HostSnapshot> delivery(List<List<HostSnapshot>> batches, Random random) {
    record Arrival(long at, double tiebreak, List<HostSnapshot> batch) {}
    List<Arrival> arrivals = new ArrayList<>();
    for (List<HostSnapshot> b : batches) {
      long newest = b.get(b.size() - 1).timestampMs();
      long maxDelay = MAX_DELAY - (newest - b.get(0).timestampMs());
      int copies = random.nextInt(5) == 0 ? 2 : 1;
      for (int c = 0; c < copies; c++) {
        long delay =
            random.nextInt(3) == 0
                ? (long) (random.nextDouble() * maxDelay)
                : Math.min(random.nextInt(10_000), maxDelay);
        arrivals.add(new Arrival(newest + delay, random.nextDouble(), b));
      }
    }
    arrivals.sort(Comparator.comparingLong(Arrival::at).thenComparingDouble(Arrival::tiebreak));
    List<HostSnapshot> out = new ArrayList<>();
    arrivals.forEach(a -> out.addAll(a.batch()));
    return out;
  }

  static WindowModel run(List<HostSnapshot> arrivals, Random random) {
    WindowModel job = new WindowModel(LATENESS, OUT_OF_ORDERNESS);
    for (HostSnapshot s : arrivals) {
      job.deliver(s);
      if (random.nextBoolean()) {
        job.emitWatermark();
      }
    }
    job.finish();
    return job;
  }

  static List<HostSnapshot> all(List<List<HostSnapshot>> batches) {
    return batches.stream().flatMap(List::stream).toList();
  }

  @Property(tries = 300)
  void minuteAndHourRowsEqualAnIndependentComputationFromTheDistinctSamples(
      @ForAll("histories") List<Instant> history, @ForAll Random random) {
    List<List<HostSnapshot>> batches = batches(history);
    List<HostSnapshot> arrivals = delivery(batches, random);

    WindowModel job = run(arrivals, random);

    assertThat(job.late).as("nothing is late within the allowed lateness").isEmpty();
    assertThat(job.duplicates).isEqualTo(arrivals.size() - all(batches).size());
    List<HostSnapshot> distinct = ExpectedRollups.distinct(all(batches));
    ExpectedRollups.assertTableMatches(
        job.rollup1m, ExpectedRollups.of(distinct, WindowModel.MINUTE));
    ExpectedRollups.assertTableMatches(
        job.rollup1h, ExpectedRollups.of(distinct, WindowModel.HOUR));
    long distinctSamples = distinct.stream().mapToLong(s -> s.samples().length).sum();
    assertThat(job.rollup1m.values().stream().mapToLong(RollupRow::count).sum())
        .as("count equals the distinct samples")
        .isEqualTo(distinctSamples);
  }

  @Property(tries = 300)
  void theHourRowIsTheMergeOfItsMinuteRows(
      @ForAll("histories") List<Instant> history, @ForAll Random random) {
    WindowModel job = run(delivery(batches(history), random), random);

    Map<Key, List<RollupRow>> minutesPerHour = new HashMap<>();
    job.rollup1m
        .values()
        .forEach(
            m ->
                minutesPerHour
                    .computeIfAbsent(
                        new Key(
                            m.hostId(),
                            m.metric(),
                            m.attrs(),
                            Math.floorDiv(m.bucketMs(), WindowModel.HOUR) * WindowModel.HOUR),
                        k -> new ArrayList<>())
                    .add(m));
    assertThat(job.rollup1h.keySet()).containsExactlyInAnyOrderElementsOf(minutesPerHour.keySet());
    job.rollup1h.forEach(
        (key, hour) -> {
          List<RollupRow> minutes = minutesPerHour.get(key);
          ValueSketch merged = new ValueSketch();
          minutes.forEach(m -> merged.merge(ValueSketch.decode(m.sketch())));
          RollupRow newest =
              minutes.stream()
                  .max(
                      Comparator.comparingLong(RollupRow::lastTsMs)
                          .thenComparingDouble(RollupRow::last))
                  .orElseThrow();
          assertThat(hour.count()).isEqualTo(minutes.stream().mapToLong(RollupRow::count).sum());
          assertThat(hour.sum())
              .isCloseTo(
                  minutes.stream().mapToDouble(RollupRow::sum).sum(),
                  within(
                      1e-9
                          * Math.max(
                              1, minutes.stream().mapToDouble(m -> Math.abs(m.sum())).sum())));
          assertThat(hour.min())
              .isEqualTo(minutes.stream().mapToDouble(RollupRow::min).min().orElseThrow());
          assertThat(hour.max())
              .isEqualTo(minutes.stream().mapToDouble(RollupRow::max).max().orElseThrow());
          assertThat(hour.last()).isEqualTo(newest.last());
          assertThat(hour.lastTsMs()).isEqualTo(newest.lastTsMs());
          assertThat(hour.sketch()).as("merge of the minute sketches").isEqualTo(merged.encode());
          assertThat(hour.min()).isLessThanOrEqualTo(hour.avg());
          assertThat(hour.avg()).isLessThanOrEqualTo(hour.max());
        });
    job.rollup1m.values().forEach(m -> assertThat(m.avg()).isBetween(m.min(), m.max()));
  }

  @Property(tries = 200)
  void theTablesDoNotDependOnTheArrivalOrder(
      @ForAll("histories") List<Instant> history, @ForAll Random first, @ForAll Random second) {
    List<List<HostSnapshot>> batches = batches(history);

    WindowModel a = run(delivery(batches, first), first);
    WindowModel b = run(delivery(batches, second), second);

    // sums are floating-point additions in arrival order: equal within rounding, the rest exactly
    assertThat(a.rollup1m.keySet()).isEqualTo(b.rollup1m.keySet());
    assertThat(a.rollup1h.keySet()).isEqualTo(b.rollup1h.keySet());
    assertSameRows(a.rollup1m, b.rollup1m);
    assertSameRows(a.rollup1h, b.rollup1h);
  }

  static void assertSameRows(Map<Key, RollupRow> a, Map<Key, RollupRow> b) {
    a.forEach(
        (key, row) -> {
          RollupRow other = b.get(key);
          assertThat(withoutSum(row)).as(key.toString()).isEqualTo(withoutSum(other));
          assertThat(row.sum())
              .as(key + " sum")
              .isCloseTo(other.sum(), within(1e-9 * Math.max(1, Math.abs(row.sum()))));
        });
  }

  static RollupRow withoutSum(RollupRow r) {
    return new RollupRow(
        r.hostId(),
        r.metric(),
        r.attrs(),
        r.bucketMs(),
        r.count(),
        0,
        r.min(),
        r.max(),
        r.min(),
        r.last(),
        r.lastTsMs(),
        r.p50(),
        r.p95(),
        r.p99(),
        r.sketch());
  }

  @Property(tries = 500)
  void sketchQuantilesAreWithinTheRelativeAccuracyOfTheExactOnes(
      @ForAll("valueLists") List<Double> values, @ForAll Random random) {
    Bucket exact = new Bucket();
    ValueSketch whole = new ValueSketch();
    // the same values split at random into parts that are sketched apart and merged
    List<ValueSketch> parts = List.of(new ValueSketch(), new ValueSketch(), new ValueSketch());
    for (int i = 0; i < values.size(); i++) {
      double v = values.get(i);
      exact.values.add(v);
      whole.add(v);
      parts.get(random.nextInt(parts.size())).add(v);
    }
    ValueSketch merged = new ValueSketch();
    parts.forEach(merged::merge);

    assertThat(merged.encode()).isEqualTo(whole.encode());
    double[] qs = {0.50, 0.95, 0.99};
    // the rollups ask for all three at once: the same values as one at a time
    double[] together = whole.quantiles(qs);
    for (int i = 0; i < qs.length; i++) {
      assertThat(together[i]).isEqualTo(whole.quantile(qs[i]));
      ExpectedRollups.assertQuantile(
          "q" + qs[i], whole.quantile(qs[i]), exact.exactQuantile(qs[i]));
    }
  }

  @Provide
  Arbitrary<List<Double>> valueLists() {
    return values().list().ofMinSize(1).ofMaxSize(2000);
  }
}
