package io.sysmonstm.collector.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sysmonstm.proto.v1.Sample;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Samples this machine through OSHI: the readings must be sane, whatever the machine. */
class OshiSystemReaderTest {
  @Test
  void samplesTheRealMachineWithinSaneRanges() {
    OshiSystemReader reader = new OshiSystemReader();
    HostInfo host = reader.host();
    assertThat(host.cores()).isPositive();
    assertThat(host.memoryTotalBytes()).isPositive();
    assertThat(host.os()).isNotBlank();

    Sampler sampler = new Sampler(reader);
    sampler.prime();
    // CPU ticks advance in steps of 10 ms: poll until they have moved (no fixed sleep).
    AtomicReference<List<Sample>> samples = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              samples.set(sampler.sample().getSamplesList());
              return samples.get().stream()
                  .anyMatch(s -> s.getMetric().equals("system.cpu.utilization"));
            });

    assertThat(samples.get())
        .filteredOn(s -> s.getMetric().equals("system.cpu.utilization"))
        .hasSizeGreaterThanOrEqualTo(1)
        .allSatisfy(s -> assertThat(s.getValue()).isBetween(0.0, 1.0));
    assertThat(samples.get())
        .filteredOn(s -> s.getMetric().equals("system.memory.utilization"))
        .singleElement()
        .satisfies(s -> assertThat(s.getValue()).isBetween(0.0, 1.0));
    assertThat(samples.get())
        .filteredOn(s -> s.getMetric().equals("system.uptime"))
        .singleElement()
        .satisfies(s -> assertThat(s.getValue()).isPositive());
    assertThat(samples.get()).allSatisfy(s -> assertThat(Double.isFinite(s.getValue())).isTrue());
    assertThat(samples.get())
        .filteredOn(s -> s.getMetric().equals("system.network.io.rate"))
        .allSatisfy(s -> assertThat(s.getAttributesMap().get("device")).isNotEqualTo("lo"));
    System.out.println("Real machine sample: " + Readings.bySeries(samples.get()));
  }
}
