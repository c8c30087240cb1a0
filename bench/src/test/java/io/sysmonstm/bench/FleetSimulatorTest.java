package io.sysmonstm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.source.SnapshotMapper;
import io.sysmonstm.bench.fleet.BreachPlan;
import io.sysmonstm.bench.fleet.FleetSpec;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetSimulatorTest {
  static final Instant T0 = Instant.parse("2025-11-23T06:00:00Z");

  static FleetSpec spec(int hosts, int series, long seed) {
    return new FleetSpec(hosts, series, Duration.ofSeconds(1), T0, seed, "t1");
  }

  @Test
  void theSameSeedGivesTheSameRecordsAndAnotherSeedOtherValues() throws Exception {
    FleetSimulator a = new FleetSimulator(spec(3, 20, 7));
    FleetSimulator b = new FleetSimulator(spec(3, 20, 7));
    FleetSimulator c = new FleetSimulator(spec(3, 20, 8));

    assertThat(a.batch(2, 41).toByteArray()).isEqualTo(b.batch(2, 41).toByteArray());
    assertThat(values(a.batch(2, 41))).isNotEqualTo(values(c.batch(2, 41)));
  }

  @Test
  void aHostSendsTheCoreSeriesThenOneCpuSeriesPerCoreUntilTheCountIsReached() {
    MetricBatch batch = new FleetSimulator(spec(1, 20, 1)).batch(0, 0);

    List<Sample> samples = batch.getSnapshots(0).getSamplesList();
    assertThat(samples).hasSize(20);
    assertThat(samples.get(0).getMetric()).isEqualTo("system.cpu.utilization");
    assertThat(samples.get(0).getAttributesMap()).isEmpty();
    assertThat(samples.subList(16, 20))
        .extracting(s -> s.getAttributesMap().get("cpu"))
        .containsExactly("0", "1", "2", "3");
    assertThat(batch.getFacts().getCores()).isEqualTo(4);
    Set<String> keys = new HashSet<>();
    samples.forEach(s -> keys.add(s.getMetric() + s.getAttributesMap()));
    assertThat(keys).as("every series is distinct").hasSize(20);
  }

  @Test
  void theJobMapsEverySampleOfASimulatedBatchAndUtilizationsAreRatios() {
    FleetSimulator sim = new FleetSimulator(spec(5, 20, 3));
    for (int h = 0; h < 5; h++) {
      for (long k = 0; k < 100; k += 17) {
        SnapshotMapper.Mapped mapped = SnapshotMapper.map(sim.batch(h, k));
        assertThat(mapped.droppedSamples()).isZero();
        HostSnapshot s = mapped.snapshots().get(0);
        assertThat(s.hostId()).isEqualTo(sim.hostId(h)).startsWith("sim-t1-");
        assertThat(s.seq()).isEqualTo(k + 1);
        assertThat(s.samples()).hasSize(20);
        for (var sample : s.samples()) {
          if (sample.metric().endsWith(".utilization")) {
            assertThat(sample.value()).isBetween(0.0, 1.0);
          }
        }
      }
    }
  }

  @Test
  void everyHostHasExactlyOneSnapshotPerIntervalSoEachMinuteHoldsSixty() {
    FleetSimulator sim = new FleetSimulator(spec(50, 1, 9));
    long minute = T0.toEpochMilli() / 60_000;
    for (int h = 0; h < 50; h++) {
      long inFirstMinute = 0;
      for (long k = 0; k < 120; k++) {
        long ts = sim.timestampMs(h, k);
        assertThat(ts).isGreaterThanOrEqualTo(T0.toEpochMilli() + k * 1000);
        assertThat(ts).isLessThan(T0.toEpochMilli() + (k + 1) * 1000);
        if (ts / 60_000 == minute) {
          inFirstMinute++;
        }
      }
      assertThat(inFirstMinute).isEqualTo(60);
    }
  }

  @Test
  void withABreachPlanTheLastSeriesBreachesWhenThePlanSays() {
    BreachPlan plan = new BreachPlan(20, 4, 5, 10, 10, 60);
    FleetSimulator sim = new FleetSimulator(spec(20, 20, 5), plan);
    int breaching = 0;
    for (int h = 0; h < 20; h++) {
      for (long k = 0; k < 60; k++) {
        List<Sample> samples = sim.batch(h, k).getSnapshots(0).getSamplesList();
        assertThat(samples).hasSize(20);
        Sample last = samples.get(19);
        assertThat(last.getMetric()).isEqualTo("bench.breach");
        assertThat(last.getAttributesMap()).isEmpty();
        assertThat(last.getValue())
            .isEqualTo(plan.breaching(h, k) ? FleetSimulator.BREACHING : FleetSimulator.CALM);
        breaching += plan.breaching(h, k) ? 1 : 0;
      }
    }
    assertThat(breaching).isPositive();
    assertThat(
            new FleetSimulator(spec(20, 20, 5))
                .batch(0, 10)
                .getSnapshots(0)
                .getSamples(19)
                .getMetric())
        .as("no breach series without a plan")
        .isEqualTo("system.cpu.utilization");
  }

  @Test
  void liveSendsEachHostInTheSliceOfItsPhaseSoNeverBeforeItsTimestamp() {
    FleetSimulator sim = new FleetSimulator(spec(500, 1, 11));
    int slices = sim.slices();
    int[][] bySlice = sim.hostsBySlice(slices);

    assertThat(slices).isEqualTo(20);
    Set<Integer> seen = new HashSet<>();
    for (int s = 0; s < slices; s++) {
      for (int h : bySlice[s]) {
        assertThat(seen.add(h)).as("host %d in one slice only", h).isTrue();
        // sent at the end of slice s: after its phase, within one slice (50 ms) of it
        long sentAt = 1000L * (s + 1) / slices;
        assertThat(sim.phaseMs(h)).isLessThan(sentAt).isGreaterThanOrEqualTo(sentAt - 50);
      }
    }
    assertThat(seen).hasSize(500);
  }

  private static List<Double> values(MetricBatch b) {
    return b.getSnapshots(0).getSamplesList().stream().map(Sample::getValue).toList();
  }
}
