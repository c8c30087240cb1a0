package io.sysmonstm.collector.sampling;

import static io.sysmonstm.collector.sampling.Readings.bySeries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sysmonstm.proto.v1.Sample;
import io.sysmonstm.proto.v1.Snapshot;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SamplerTest {
  private static final long GIB = 1L << 30;

  private static Map<String, Double> between(Readings before, Readings after) {
    return bySeries(Sampler.samples(before.build(), after.build()));
  }

  @Test
  void cpuUtilizationIsTheShareOfBusyTicksForTheMachineAndEachCore() {
    Map<String, Double> v =
        between(
            Readings.at(0).cpu(1000, 800).core(500, 400).core(500, 400),
            Readings.at(5).cpu(1200, 950).core(600, 400).core(600, 450));

    assertThat(v)
        .containsEntry("system.cpu.utilization", 0.25) // 50 busy of 200 ticks
        .containsEntry("system.cpu.utilization{cpu=0}", 1.0) // 100 busy of 100
        .containsEntry("system.cpu.utilization{cpu=1}", 0.5); // 50 busy of 100
  }

  @Test
  void ticksThatDidNotMoveGiveNoCpuSampleRatherThanNaN() {
    Map<String, Double> v =
        between(
            Readings.at(0).cpu(1000, 800).core(500, 400),
            Readings.at(1).cpu(1000, 800).core(500, 400));

    assertThat(v.keySet()).noneMatch(k -> k.startsWith("system.cpu.utilization"));
  }

  @Test
  void ratesAreCounterDifferencesPerSecondOfElapsedTime() {
    Map<String, Double> v =
        between(
            Readings.at(0).network("eth0", 1_000, 0).disk("sda", 0, 4096),
            Readings.at(5).network("eth0", 6_000, 500).disk("sda", 10_000_000, 4096));

    assertThat(v)
        .containsEntry("system.network.io.rate{device=eth0,direction=receive}", 1_000.0)
        .containsEntry("system.network.io.rate{device=eth0,direction=transmit}", 100.0)
        .containsEntry("system.disk.io.rate{device=sda,direction=read}", 2_000_000.0)
        .containsEntry("system.disk.io.rate{device=sda,direction=write}", 0.0);
  }

  @Test
  void aCounterThatWentBackwardsSkipsThatSeriesForOneIntervalOnly() {
    Sampler sampler =
        new Sampler(
            new FakeSystemReader(
                List.of(
                    Readings.at(0).network("eth0", 6_000, 500).build(),
                    // receive counter reset (driver reload); transmit kept counting;
                    // eth1 appeared: nothing to compare with yet
                    Readings.at(5).network("eth0", 100, 1_000).network("eth1", 50, 50).build(),
                    Readings.at(10).network("eth0", 600, 1_500).network("eth1", 550, 50).build())));
    sampler.prime();

    Map<String, Double> afterReset = bySeries(sampler.sample().getSamplesList());
    Map<String, Double> next = bySeries(sampler.sample().getSamplesList());

    assertThat(afterReset)
        .containsOnlyKeys("system.network.io.rate{device=eth0,direction=transmit}")
        .containsEntry("system.network.io.rate{device=eth0,direction=transmit}", 100.0);
    assertThat(next)
        .containsEntry("system.network.io.rate{device=eth0,direction=receive}", 100.0)
        .containsEntry("system.network.io.rate{device=eth1,direction=receive}", 100.0)
        .containsEntry("system.network.io.rate{device=eth1,direction=transmit}", 0.0);
  }

  @Test
  void memoryIsUsedShareOfTotalWithUsageByStateAndSwapAsPaging() {
    Map<String, Double> v =
        bySeries(
            Sampler.samples(
                null,
                Readings.at(0)
                    .memory(16 * GIB, 4 * GIB, OptionalLong.of(2 * GIB), 2 * GIB, GIB / 2)
                    .build()));

    assertThat(v)
        .containsEntry("system.memory.utilization", 0.75)
        .containsEntry("system.memory.usage{state=used}", (double) (12 * GIB))
        .containsEntry("system.memory.usage{state=free}", (double) (4 * GIB))
        .containsEntry("system.memory.usage{state=cached}", (double) (2 * GIB))
        .containsEntry("system.paging.utilization", 0.25);
  }

  @Test
  void noSwapMeansNoPagingSampleAndNoCacheFigureMeansNoCachedState() {
    Map<String, Double> v =
        bySeries(
            Sampler.samples(
                null, Readings.at(0).memory(8 * GIB, 6 * GIB, OptionalLong.empty(), 0, 0).build()));

    assertThat(v)
        .containsOnlyKeys(
            "system.memory.utilization",
            "system.memory.usage{state=used}",
            "system.memory.usage{state=free}")
        .containsEntry("system.memory.utilization", 0.25);
  }

  @Test
  void filesystemUtilizationIsUsedOverUsedPlusUsableLikeDfPerMountAndDevice() {
    Map<String, Double> v =
        bySeries(
            Sampler.samples(
                null,
                Readings.at(0)
                    .fileStore("/", "/dev/sda1", 100_000, 30_000, 25_000)
                    .fileStore("/data", "/dev/sdb1", 200_000, 200_000, 200_000)
                    .fileStore("/empty", "none", 0, 0, 0)
                    .build()));

    assertThat(v).hasSize(2);
    assertThat(v.get("system.filesystem.utilization{device=/dev/sda1,mountpoint=/}"))
        .isCloseTo(70_000.0 / 95_000.0, within(1e-12));
    assertThat(v)
        .containsEntry("system.filesystem.utilization{device=/dev/sdb1,mountpoint=/data}", 0.0);
  }

  @Test
  void unavailableLoadAveragesAreLeftOutAndEveryValueIsFinite() {
    Map<String, Double> v =
        bySeries(
            Sampler.samples(
                null,
                Readings.at(0).load(1.5, Double.NaN, -1.0).processes(312).uptime(86_400).build()));

    assertThat(v)
        .containsOnlyKeys("system.cpu.load_average.1m", "system.process.count", "system.uptime")
        .containsEntry("system.cpu.load_average.1m", 1.5)
        .containsEntry("system.process.count", 312.0)
        .containsEntry("system.uptime", 86_400.0);
  }

  @Test
  void aFullReadingCarriesExactlyTheDesignSeriesWithTheirAttributes() {
    Readings before =
        Readings.at(0).cpu(1000, 800).core(500, 400).network("eth0", 0, 0).disk("nvme0n1", 0, 0);
    Readings after =
        Readings.at(5)
            .cpu(1100, 850)
            .core(550, 420)
            .memory(16 * GIB, 8 * GIB, OptionalLong.of(GIB), 4 * GIB, GIB)
            .fileStore("/", "/dev/nvme0n1p2", 100, 50, 40)
            .network("eth0", 5_000, 2_500)
            .disk("nvme0n1", 1_000, 2_000)
            .load(0.5, 0.25, 0.125)
            .processes(200)
            .uptime(3600);

    List<Sample> samples = Sampler.samples(before.build(), after.build());

    Map<String, Set<Set<String>>> attributeKeys =
        samples.stream()
            .collect(
                Collectors.groupingBy(
                    Sample::getMetric,
                    Collectors.mapping(s -> s.getAttributesMap().keySet(), Collectors.toSet())));
    assertThat(attributeKeys)
        .containsOnly(
            Map.entry("system.cpu.utilization", Set.of(Set.of(), Set.of("cpu"))),
            Map.entry("system.memory.utilization", Set.of(Set.of())),
            Map.entry("system.paging.utilization", Set.of(Set.of())),
            Map.entry("system.memory.usage", Set.of(Set.of("state"))),
            Map.entry("system.filesystem.utilization", Set.of(Set.of("mountpoint", "device"))),
            Map.entry("system.network.io.rate", Set.of(Set.of("device", "direction"))),
            Map.entry("system.disk.io.rate", Set.of(Set.of("device", "direction"))),
            Map.entry("system.cpu.load_average.1m", Set.of(Set.of())),
            Map.entry("system.cpu.load_average.5m", Set.of(Set.of())),
            Map.entry("system.cpu.load_average.15m", Set.of(Set.of())),
            Map.entry("system.process.count", Set.of(Set.of())),
            Map.entry("system.uptime", Set.of(Set.of())));
    assertThat(samples).allSatisfy(s -> assertThat(Double.isFinite(s.getValue())).isTrue());
    assertThat(samples)
        .filteredOn(s -> s.getMetric().endsWith(".utilization"))
        .allSatisfy(s -> assertThat(s.getValue()).isBetween(0.0, 1.0));
  }

  @Test
  void theFirstSnapshotAfterPrimingHasRatesAndTheTimeOfItsReading() {
    Sampler sampler =
        new Sampler(
            new FakeSystemReader(
                List.of(
                    Readings.at(0).cpu(100, 50).network("eth0", 0, 0).build(),
                    Readings.at(2).cpu(200, 100).network("eth0", 2_000, 0).build())));
    sampler.prime();

    Snapshot snapshot = sampler.sample();

    assertThat(snapshot.getTimestampMs()).isEqualTo(Readings.T0_MILLIS + 2_000);
    assertThat(bySeries(snapshot.getSamplesList()))
        .containsEntry("system.cpu.utilization", 0.5)
        .containsEntry("system.network.io.rate{device=eth0,direction=receive}", 1_000.0);
  }

  @Test
  void withoutAPreviousReadingOnlyInstantValuesAreSampled() {
    Sampler sampler =
        new Sampler(
            new FakeSystemReader(
                List.of(
                    Readings.at(0)
                        .cpu(100, 50)
                        .network("eth0", 10, 10)
                        .memory(4 * GIB, GIB, OptionalLong.empty(), 0, 0)
                        .build())));

    Map<String, Double> v = bySeries(sampler.sample().getSamplesList());

    assertThat(v)
        .containsOnlyKeys(
            "system.memory.utilization",
            "system.memory.usage{state=used}",
            "system.memory.usage{state=free}");
  }
}
