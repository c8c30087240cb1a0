package io.sysmonstm.analytics.sink.alert;

import static io.sysmonstm.analytics.sink.alert.Alerts.firing;
import static io.sysmonstm.analytics.sink.alert.Alerts.hostDown;
import static io.sysmonstm.analytics.sink.alert.Alerts.resolved;
import static io.sysmonstm.analytics.sink.alert.Alerts.retro;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sysmonstm.analytics.alert.AlertEvent;
import io.sysmonstm.analytics.testing.TestFlink;
import io.sysmonstm.embedded.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Alert events to a real Kafka broker through the exactly-once sink, on a mini-cluster. */
class AlertSinkKafkaIT {
  @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.perClass();

  @RegisterExtension static final MiniClusterExtension FLINK = TestFlink.cluster(2);

  static final Duration WAIT = Duration.ofSeconds(30);

  /** A mix of transitions: hosts, the hostless pipeline-lag alert, NaN values, retro ones. */
  static List<AlertEvent> events(int rounds) {
    List<AlertEvent> events = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      AlertEvent cpu = firing("fp-cpu-" + i, "web-" + (i % 3), i * 60);
      AlertEvent down = hostDown("fp-down-" + i, "db-" + (i % 2), i * 60 + 5);
      events.add(cpu);
      events.add(down);
      events.add(resolved(cpu, i * 60 + 30));
      events.add(retro(down.resolvedAt(Alerts.at(i * 60 + 50), Double.NaN, true)));
    }
    events.add(
        new AlertEvent(
            "fp-lag",
            "pipeline-lag",
            "",
            "",
            "warning",
            AlertEvent.FIRING,
            42.0,
            30.0,
            Alerts.at(0),
            0,
            "pipeline lags 42 s",
            false,
            "{}"));
    return events;
  }

  static StreamExecutionEnvironment env(Configuration conf) {
    StreamExecutionEnvironment env = TestFlink.env(conf, 1);
    env.enableCheckpointing(100);
    return env;
  }

  /** Every committed record of the (one-partition) topic, in order. */
  static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition); // last stable offset
      while (consumer.position(partition) < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  static void assertTopicHoldsExactly(String topic, List<AlertEvent> events) {
    await().atMost(WAIT).until(() -> readCommitted(topic).size() >= events.size());
    List<ConsumerRecord<byte[], byte[]>> records = readCommitted(topic);
    assertThat(records)
        .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
        .containsExactlyElementsOf(events.stream().map(AlertEvent::toJson).toList());
    assertThat(records)
        .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .containsExactlyElementsOf(events.stream().map(AlertEvent::hostId).toList());
  }

  @Test
  void theTopicHoldsEveryEventOnceAsJsonKeyedByHost() throws Exception {
    String topic = "alerts-" + UUID.randomUUID();
    KAFKA.createTopic(topic, 1);
    List<AlertEvent> events = events(5);
    StreamExecutionEnvironment env = env(new Configuration());
    env.fromData(events, Alerts.TYPE)
        .sinkTo(AlertSinks.kafka(KAFKA.bootstrapServers(), topic, "alerts-test-" + topic))
        .name("alerts-kafka");
    env.execute("alerts-to-kafka");

    assertTopicHoldsExactly(topic, events);
  }

  @Test
  void aFailureAfterACheckpointLeavesNoDuplicateForReadCommittedConsumers() throws Exception {
    String topic = "alerts-" + UUID.randomUUID();
    KAFKA.createTopic(topic, 1);
    List<AlertEvent> events = events(8);
    String job = UUID.randomUUID().toString();
    Configuration conf = TestFlink.restarting(3, Duration.ofMillis(100));
    StreamExecutionEnvironment env = env(conf);
    env.fromSource(Alerts.pacedSource(events, 4), WatermarkStrategy.noWatermarks(), "alerts")
        .map(new FailOnceAfterCheckpoint(job, 3))
        .sinkTo(AlertSinks.kafka(KAFKA.bootstrapServers(), topic, "alerts-test-" + topic))
        .name("alerts-kafka");
    env.execute("alerts-to-kafka-with-a-failure");

    assertThat(FailOnceAfterCheckpoint.failed(job)).as("the failure happened").isTrue();
    assertTopicHoldsExactly(topic, events);
  }
}
