package io.sysmonstm.bench.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourceMeterTest {

  @Test
  void threadNamesFoldSubtaskIndicesAndPoolNumbers() {
    assertThat(ResourceMeter.group("rollup-1m -> rollup-1m-rows (2/2)#0"))
        .isEqualTo("rollup-Nm -> rollup-Nm-rows");
    assertThat(ResourceMeter.group("data-plane-kafka-request-handler-3"))
        .isEqualTo("data-plane-kafka-request-handler-N");
  }

  @Test
  void busyWorkInThisJvmShowsAsCpuAndHeap() {
    ResourceMeter meter = ResourceMeter.start();
    long deadline = System.nanoTime() + 200_000_000L;
    double x = 0;
    while (System.nanoTime() < deadline) {
      x += Math.sqrt(x + 1);
    }
    ResourceMeter.Usage u = meter.usage();

    assertThat(x).isPositive();
    assertThat(u.jvmCores()).isPositive();
    assertThat(u.wallSeconds()).isGreaterThanOrEqualTo(0.2);
    assertThat(u.heapMaxUsedBytes()).isPositive();
    assertThat(u.topThreads()).isNotEmpty();
  }
}
