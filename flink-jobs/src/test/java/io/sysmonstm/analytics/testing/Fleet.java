package io.sysmonstm.analytics.testing;

import static org.awaitility.Awaitility.await;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.source.SnapshotMapper;
import io.sysmonstm.proto.v1.HostFacts;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.Sample;
import io.sysmonstm.proto.v1.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A simulated fleet of collectors: batches as they go to Kafka, and Kafka helpers. */
public final class Fleet {
  /** Series every simulated host reports, in order; a host reports the first {@code n}. */
  static final String[][] SERIES = {
    {"system.cpu.utilization"},
    {"system.cpu.utilization", "cpu", "0"},
    {"system.cpu.utilization", "cpu", "1"},
    {"system.cpu.utilization", "cpu", "2"},
    {"system.cpu.utilization", "cpu", "3"},
    {"system.memory.utilization"},
    {"system.network.io.rate", "device", "eth0"},
    {"system.disk.io.rate", "device", "sda"},
    {"system.cpu.load_average.1m"},
    {"system.process.count"},
  };

  /** One batch as a collector sends it, and the snapshots the job reads from it. */
  public record Batch(MetricBatch proto, List<HostSnapshot> snapshots) {
    public String id() {
      return Probe.batchId(proto.getHostId(), proto.getRunId(), proto.getSeq());
    }

    public long samples() {
      return snapshots.stream().mapToLong(s -> s.samples().length).sum();
    }
  }

  private Fleet() {}

  public static String host(int i) {
    return String.format("host-%02d", i);
  }

  /**
   * Batch {@code seq} (from 1) of {@code host}: {@code snapshots} snapshots {@code interval} apart,
   * the first at {@code start + (seq - 1) * snapshots * interval}, each with {@code series} values
   * (zeros, ratios, rates and counts), the same for the same arguments.
   */
  public static Batch batch(
      String host, long seq, Instant start, int snapshots, Duration interval, int series) {
    Random random = new Random(host.hashCode() * 31L + seq);
    MetricBatch.Builder b =
        MetricBatch.newBuilder()
            .setHostId(host)
            .setRunId("run-" + host)
            .setSeq(seq)
            .setFacts(
                HostFacts.newBuilder()
                    .setHostname(host + ".example")
                    .setOs("Debian GNU/Linux 12")
                    .setCores(4)
                    .setMemoryTotalBytes(8_000_000_000L)
                    .setCollectorVersion("0.1.0"));
    for (int i = 0; i < snapshots; i++) {
      Instant at = start.plus(interval.multipliedBy((seq - 1) * snapshots + i));
      Snapshot.Builder s = Snapshot.newBuilder().setTimestampMs(at.toEpochMilli());
      for (int k = 0; k < series; k++) {
        String[] def = SERIES[k];
        Sample.Builder sample = Sample.newBuilder().setMetric(def[0]).setValue(value(k, random));
        for (int a = 1; a + 1 < def.length; a += 2) {
          sample.putAttributes(def[a], def[a + 1]);
        }
        s.addSamples(sample);
      }
      b.addSnapshots(s);
    }
    MetricBatch proto = b.build();
    return new Batch(proto, SnapshotMapper.map(proto).snapshots());
  }

  private static double value(int series, Random random) {
    return switch (series) {
      case 6, 7 -> random.nextInt(10) == 0 ? 0 : Math.floor(random.nextDouble() * 1e8);
      case 8 -> random.nextDouble() * 8;
      case 9 -> 100 + random.nextInt(300);
      default -> random.nextInt(20) == 0 ? 0 : Math.round(random.nextDouble() * 1e4) / 1e4;
    };
  }

  /** Writes {@code batches} to {@code topic}, keyed by host, in order. */
  public static void produce(String bootstrap, String topic, List<Batch> batches) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (Batch b : batches) {
        sent.add(
            producer.send(
                new ProducerRecord<>(topic, b.proto().getHostId(), b.proto().toByteArray())));
      }
      for (var f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Waits until consumer group {@code group} has committed (on a completed checkpoint) every record
   * of {@code topic}: the job has read everything and checkpointed past it.
   */
  public static void awaitConsumed(Admin admin, String group, String topic, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Set<TopicPartition> partitions =
                  admin
                      .describeTopics(List.of(topic))
                      .allTopicNames()
                      .get()
                      .get(topic)
                      .partitions()
                      .stream()
                      .map(info -> new TopicPartition(topic, info.partition()))
                      .collect(Collectors.toSet());
              Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                  admin
                      .listOffsets(
                          partitions.stream()
                              .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                      .all()
                      .get();
              Map<TopicPartition, OffsetAndMetadata> committed =
                  admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
              return partitions.stream()
                  .allMatch(
                      tp ->
                          committed.get(tp) != null
                              && committed.get(tp).offset() >= ends.get(tp).offset());
            });
  }
}
