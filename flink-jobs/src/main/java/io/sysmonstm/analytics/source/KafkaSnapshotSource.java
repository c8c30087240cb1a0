package io.sysmonstm.analytics.source;

import io.sysmonstm.analytics.JobConfig;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The Kafka source of the samples topic. */
public final class KafkaSnapshotSource {

  private KafkaSnapshotSource() {}

  /** The unbounded source the job runs with. */
  public static KafkaSource<HostSnapshot> create(JobConfig cfg) {
    return builder(cfg).build();
  }

  /**
   * A source builder set up from {@code cfg}; tests make it bounded with {@code
   * setBounded(OffsetsInitializer.latest())}.
   */
  public static KafkaSourceBuilder<HostSnapshot> builder(JobConfig cfg) {
    return KafkaSource.<HostSnapshot>builder()
        .setBootstrapServers(cfg.kafkaBootstrap())
        .setTopics(cfg.samplesTopic())
        .setGroupId(cfg.groupId())
        .setClientIdPrefix(cfg.groupId())
        .setStartingOffsets(startingOffsets(cfg.startingOffsets()))
        .setDeserializer(new MetricBatchDeserializer())
        .setProperty("partition.discovery.interval.ms", "60000")
        .setProperty("commit.offsets.on.checkpoint", "true");
  }

  static OffsetsInitializer startingOffsets(JobConfig.StartingOffsets s) {
    return switch (s) {
      case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
      case EARLIEST -> OffsetsInitializer.earliest();
      case LATEST -> OffsetsInitializer.latest();
    };
  }
}
