package io.sysmonstm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's side of Kafka: its topics (named after the run's tag) and consumer group, created at
 * the start, and read back at the end: the offsets the job committed, the alert events it wrote.
 */
final class BenchKafka {
  private static final Logger LOG = LoggerFactory.getLogger(BenchKafka.class);

  private final BenchConfig cfg;
  private final String bootstrap;
  private final String tag;
  private final String samplesTopic;
  private final String rulesTopic;
  private final String alertsTopic;
  private final String group;

  BenchKafka(BenchConfig cfg, String bootstrap, String tag) {
    this.cfg = cfg;
    this.bootstrap = bootstrap;
    this.tag = tag;
    this.samplesTopic = "sysmonstm.samples.bench-" + tag;
    this.rulesTopic = "sysmonstm.rules.bench-" + tag;
    this.alertsTopic = "sysmonstm.alerts.bench-" + tag;
    this.group = "sysmonstm-bench-" + tag;
  }

  String samplesTopic() {
    return samplesTopic;
  }

  String rulesTopic() {
    return rulesTopic;
  }

  String alertsTopic() {
    return alertsTopic;
  }

  /** The job's consumer group. */
  String group() {
    return group;
  }

  /**
   * Alert events of {@code rules} for this run's hosts in the alerts topic, as a read_committed
   * consumer sees them: read until {@code expected} are there or the deadline passes.
   */
  long alertEvents(List<String> rules, String hostPrefix, long expected, long deadline) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.CLIENT_ID_CONFIG,
            "sysmonstm-bench-alerts-" + tag);
    long n = 0;
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(alertsTopic).stream()
              .map(pi -> new TopicPartition(alertsTopic, pi.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      ObjectMapper json = new ObjectMapper();
      while (n < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          try {
            JsonNode e = json.readTree(r.value());
            if (rules.contains(e.path("rule_id").asText())
                && e.path("host_id").asText().startsWith(hostPrefix)) {
              n++;
            }
          } catch (IOException e) {
            LOG.debug("Not an alert event in {}: {}", alertsTopic, e.toString());
          }
        }
      }
    }
    return n;
  }

  private Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            30_000));
  }

  /**
   * The run's topics (the embedded broker creates none by itself): samples; with alerts on, rule
   * changes (one partition, compacted, as the relay expects it) and alert events.
   */
  void create() throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    topics.add(new NewTopic(samplesTopic, Optional.of(cfg.partitions()), Optional.empty()));
    if (cfg.alerts()) {
      topics.add(
          new NewTopic(rulesTopic, Optional.of(1), Optional.empty())
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
      topics.add(new NewTopic(alertsTopic, Optional.of(cfg.partitions()), Optional.empty()));
    }
    try (Admin admin = admin()) {
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
    }
    LOG.info(
        "Created topic {} with {} partitions{}",
        samplesTopic,
        cfg.partitions(),
        cfg.alerts() ? ", " + rulesTopic + " (compacted) and " + alertsTopic : "");
  }

  /** Snapshots the group committed (on checkpoints); waits for the checkpoint after the drain. */
  long awaitCommitted(long expected, boolean wait) throws Exception {
    long deadline =
        System.nanoTime() + cfg.checkpointInterval().multipliedBy(2).plusSeconds(15).toNanos();
    long committed = committed();
    while (wait && committed < expected && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(200);
      committed = committed();
    }
    return committed;
  }

  private long committed() throws Exception {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      return offsets.values().stream()
          .filter(o -> o != null)
          .mapToLong(OffsetAndMetadata::offset)
          .sum();
    } catch (ExecutionException e) {
      LOG.warn("Reading the group's committed offsets failed: {}", e.getCause().toString());
      return 0;
    }
  }
}
