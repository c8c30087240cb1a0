package io.sysmonstm.collector;

import static io.sysmonstm.collector.sampling.Readings.bySeries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sysmonstm.collector.sampling.FakeSystemReader;
import io.sysmonstm.collector.sampling.Readings;
import io.sysmonstm.collector.stream.FakeIngress;
import io.sysmonstm.config.ConfigException;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.retry.Backoff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorTest {
  private static final Backoff FAST =
      new Backoff(Duration.ofMillis(1), Duration.ofMillis(5), () -> 1.0);

  private static CollectorConfig config(int port, String token, Duration interval) {
    return new CollectorConfig(
        "localhost",
        port,
        Optional.ofNullable(token),
        false,
        Optional.empty(),
        "web-1",
        interval,
        100,
        Duration.ofSeconds(1));
  }

  @Test
  void eachSampleBecomesOneBatchWithHostFactsRunIdAndIncreasingSeq() throws Exception {
    FakeSystemReader reader =
        new FakeSystemReader(
            List.of(
                Readings.at(0).cpu(1000, 900).build(),
                Readings.at(5)
                    .cpu(1100, 950)
                    .memory(8L << 30, 2L << 30, OptionalLong.empty(), 0, 0)
                    .build(),
                Readings.at(10).cpu(1300, 1000).build()));
    try (FakeIngress ingress = FakeIngress.requiringToken("tok");
        Collector collector =
            new Collector(
                config(50051, "tok", Duration.ofSeconds(5)),
                ingress.channel(),
                reader,
                FAST,
                false)) {

      collector.sampleNow();
      collector.sampleNow();

      await().until(() -> collector.ackedSeq() == 2 && collector.bufferedBatches() == 0);
      List<MetricBatch> batches = ingress.received();
      assertThat(batches).extracting(MetricBatch::getSeq).containsExactly(1L, 2L);
      assertThat(batches).extracting(MetricBatch::getHostId).containsOnly("web-1");
      assertThat(batches).extracting(MetricBatch::getRunId).containsOnly(collector.runId());
      assertThat(UUID.fromString(collector.runId())).isNotNull();
      MetricBatch first = batches.get(0);
      assertThat(first.getFacts().getHostname()).isEqualTo("web-1.example");
      assertThat(first.getFacts().getOs()).isEqualTo("Debian GNU/Linux 12");
      assertThat(first.getFacts().getCores()).isEqualTo(4);
      assertThat(first.getFacts().getMemoryTotalBytes()).isEqualTo(16L << 30);
      assertThat(first.getFacts().getCollectorVersion()).isEqualTo(Collector.VERSION).isNotBlank();
      assertThat(first.getSnapshotsList())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.getTimestampMs()).isEqualTo(Readings.T0_MILLIS + 5_000);
                assertThat(bySeries(s.getSamplesList()))
                    .containsEntry("system.cpu.utilization", 0.5)
                    .containsEntry("system.memory.utilization", 0.75);
              });
      assertThat(bySeries(batches.get(1).getSnapshots(0).getSamplesList()))
          .containsEntry("system.cpu.utilization", 0.75);
      assertThat(ingress.authorizations()).contains("Bearer tok");
    }
  }

  @Test
  void startSamplesThisMachineAndStreamsOverTcpThenClosesWithinSeconds() throws Exception {
    try (FakeIngress ingress = FakeIngress.onTcpPort("tok")) {
      long started = System.nanoTime();
      Collector collector = Collector.start(config(ingress.port(), "tok", Duration.ofSeconds(1)));
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("start returns at once")
          .isLessThan(Duration.ofSeconds(2));

      await().atMost(Duration.ofSeconds(15)).until(() -> collector.ackedSeq() >= 1);
      assertThat(collector.connected()).isTrue();
      MetricBatch batch = ingress.received().get(0);
      assertThat(batch.getFacts().getCores()).isPositive();
      assertThat(batch.getSnapshots(0).getSamplesList())
          .anySatisfy(s -> assertThat(s.getMetric()).isEqualTo("system.memory.utilization"));

      long closing = System.nanoTime();
      collector.close();
      assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void startReturnsAndCloseStopsWhenIngressIsNotThere() throws Exception {
    int port;
    try (FakeIngress gone = FakeIngress.onTcpPort(null)) {
      port = gone.port();
    }
    long started = System.nanoTime();
    Collector collector = Collector.start(config(port, null, Duration.ofSeconds(1)));
    collector.close();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
    assertThat(collector.connected()).isFalse();
  }

  @Test
  void aCaFileThatIsNotPemIsAConfigErrorNamingTheFlag(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
    CollectorConfig cfg =
        new CollectorConfig(
            "localhost",
            50051,
            Optional.empty(),
            true,
            Optional.of(ca),
            "web-1",
            Duration.ofSeconds(5),
            10,
            Duration.ofSeconds(30));

    assertThatThrownBy(() -> Collector.start(cfg).close())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--tls-ca");
  }
}
