package io.sysmonstm.analytics.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.analytics.snapshot.HostFacts;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.Snapshot;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricBatchDeserializerTest {
  private final MetricBatchDeserializer deserializer = new MetricBatchDeserializer();
  private final List<HostSnapshot> out = new ArrayList<>();
  private final Collector<HostSnapshot> collector =
      new Collector<>() {
        @Override
        public void collect(HostSnapshot record) {
          out.add(record);
        }

        @Override
        public void close() {}
      };

  @BeforeEach
  void open() {
    deserializer.open(
        new DeserializationSchema.InitializationContext() {
          @Override
          public MetricGroup getMetricGroup() {
            return new UnregisteredMetricsGroup();
          }

          @Override
          public UserCodeClassLoader getUserCodeClassLoader() {
            return null;
          }
        });
  }

  static MetricBatch.Builder batch() {
    return MetricBatch.newBuilder()
        .setHostId("web-1")
        .setRunId("7a1c")
        .setSeq(42)
        .setFacts(
            io.sysmonstm.proto.v1.HostFacts.newBuilder()
                .setHostname("web-1.example")
                .setOs("Debian GNU/Linux 12")
                .setCores(8)
                .setMemoryTotalBytes(16_777_216_000L)
                .setCollectorVersion("0.1.0"));
  }

  static io.sysmonstm.proto.v1.Sample.Builder sample(String metric, double value) {
    return io.sysmonstm.proto.v1.Sample.newBuilder().setMetric(metric).setValue(value);
  }

  private void deserialize(byte[] value) {
    deserializer.deserialize(
        new ConsumerRecord<>("sysmonstm.samples", 0, 7L, null, value), collector);
  }

  @Test
  void emitsOneSnapshotPerSnapshotWithBatchIdentityAndCanonicalAttrs() {
    MetricBatch b =
        batch()
            .addSnapshots(
                Snapshot.newBuilder()
                    .setTimestampMs(1_000)
                    .addSamples(sample("system.cpu.utilization", 0.25))
                    .addSamples(
                        sample("system.network.io.rate", 1024)
                            .putAttributes("direction", "receive")
                            .putAttributes("device", "eth0")))
            .addSnapshots(
                Snapshot.newBuilder()
                    .setTimestampMs(2_000)
                    .addSamples(sample("system.cpu.utilization", 0.5)))
            .build();

    deserialize(b.toByteArray());

    HostFacts facts =
        new HostFacts("web-1.example", "Debian GNU/Linux 12", 8, 16_777_216_000L, "0.1.0");
    assertThat(out)
        .containsExactly(
            new HostSnapshot(
                "web-1",
                "7a1c",
                42,
                1_000,
                facts,
                new Sample[] {
                  new Sample("system.cpu.utilization", "{}", 0.25),
                  new Sample(
                      "system.network.io.rate",
                      "{\"device\":\"eth0\",\"direction\":\"receive\"}",
                      1024)
                }),
            new HostSnapshot(
                "web-1",
                "7a1c",
                42,
                2_000,
                facts,
                new Sample[] {new Sample("system.cpu.utilization", "{}", 0.5)}));
    assertThat(deserializer.malformedCount()).isZero();
  }

  @Test
  void garbageIsCountedAndSkippedWithoutFailing() {
    deserialize(new byte[] {(byte) 0xff, 0x01, 0x02, 0x03});
    deserialize(null);
    deserialize(
        batch()
            .setHostId("")
            .addSnapshots(Snapshot.newBuilder().setTimestampMs(1_000))
            .build()
            .toByteArray());
    deserialize(
        batch()
            .addSnapshots(Snapshot.newBuilder().addSamples(sample("system.uptime", 1)))
            .build()
            .toByteArray());

    assertThat(out).isEmpty();
    assertThat(deserializer.malformedCount()).isEqualTo(4);
  }

  @Test
  void nonFiniteSamplesAreDroppedAndCountedTheRestIsKept() {
    deserialize(
        batch()
            .addSnapshots(
                Snapshot.newBuilder()
                    .setTimestampMs(1_000)
                    .addSamples(sample("system.cpu.utilization", Double.NaN))
                    .addSamples(sample("system.memory.utilization", 0.5)))
            .build()
            .toByteArray());

    assertThat(out).hasSize(1);
    assertThat(out.get(0).samples())
        .containsExactly(new Sample("system.memory.utilization", "{}", 0.5));
    assertThat(deserializer.invalidSampleCount()).isEqualTo(1);
    assertThat(deserializer.malformedCount()).isZero();
  }

  @Test
  void aBatchWithoutFactsGetsUnknownFacts() {
    deserialize(
        MetricBatch.newBuilder()
            .setHostId("db-1")
            .setRunId("r")
            .setSeq(1)
            .addSnapshots(Snapshot.newBuilder().setTimestampMs(5))
            .build()
            .toByteArray());

    assertThat(out).singleElement().extracting(HostSnapshot::facts).isEqualTo(HostFacts.UNKNOWN);
  }
}
