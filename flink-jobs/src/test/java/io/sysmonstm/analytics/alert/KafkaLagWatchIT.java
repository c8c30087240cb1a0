package io.sysmonstm.analytics.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sysmonstm.embedded.KafkaExtension;
import io.sysmonstm.embedded.Ports;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pipeline-lag watch against a real broker: stalled, caught up, unreachable. */
class KafkaLagWatchIT {
  @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.perClass();

  @Test
  void newSamplesWaitingWhileTheGroupDoesNotMoveIsLag() throws Exception {
    String topic = "lag-" + UUID.randomUUID();
    KAFKA.createTopic(topic, 1);
    KafkaLagWatch watch =
        new KafkaLagWatch(KAFKA.bootstrapServers(), topic, "group-" + topic, Duration.ofSeconds(1));
    watch.open();
    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>(topic, "a", "1")).get();
      assertThat(watch.lagging(0)).isEmpty();
      // samples keep arriving, the group never commits: stalled
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                producer.send(new ProducerRecord<>(topic, "a", "2")).get();
                assertThat(watch.lagging(0))
                    .hasValueSatisfying(
                        r -> assertThat(r).contains("group-" + topic).contains("behind"));
              });
    } finally {
      watch.close();
    }
  }

  @Test
  void aQuietTopicWithTheGroupCaughtUpIsNoLag() throws Exception {
    String topic = "quiet-" + UUID.randomUUID();
    String group = "group-" + topic;
    KAFKA.createTopic(topic, 1);
    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>(topic, "a", "1")).get();
    }
    KAFKA
        .admin()
        .alterConsumerGroupOffsets(
            group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)))
        .all()
        .get();
    KafkaLagWatch watch =
        new KafkaLagWatch(KAFKA.bootstrapServers(), topic, group, Duration.ofSeconds(1));
    watch.open();
    try {
      // three polls (5 s apart) that all find the group at the end of a quiet topic
      long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                assertThat(watch.lagging(0)).isEqualTo(Optional.empty());
                return System.nanoTime() > until;
              });
    } finally {
      watch.close();
    }
  }

  @Test
  void kafkaOutOfReachIsLag() {
    KafkaLagWatch watch =
        new KafkaLagWatch(
            "localhost:" + Ports.free(), "sysmonstm.samples", "g", Duration.ofSeconds(1));
    watch.open();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(watch.lagging(0))
                      .hasValueSatisfying(r -> assertThat(r).startsWith("Kafka unreachable")));
    } finally {
      watch.close();
    }
  }

  KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return new KafkaProducer<>(p);
  }
}
