package io.sysmonstm.ingress.kafka;

import io.sysmonstm.config.Durations;
import io.sysmonstm.config.StartupException;
import io.sysmonstm.ingress.IngressConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka side of ingress: the start-up check that the cluster answers, the samples topic, and
 * the producer that writes to it.
 */
public final class SampleTopic {
  private static final Logger LOG = LoggerFactory.getLogger(SampleTopic.class);

  /** Largest batch ingress takes, as encoded protobuf (gRPC's inbound message limit too). */
  public static final int MAX_BATCH_BYTES = 16 * 1024 * 1024;

  /** Kafka's limit for one record: a batch plus key and record overhead. */
  static final int MAX_RECORD_BYTES = MAX_BATCH_BYTES + 64 * 1024;

  private SampleTopic() {}

  /**
   * Checks that Kafka answers within {@code --kafka-timeout} and that the topic exists, creating it
   * with {@code --topic-partitions} partitions (broker default replication) when it is missing.
   *
   * @throws StartupException naming the setting that fixes it
   */
  public static void ensure(IngressConfig cfg) {
    long timeoutMs = cfg.kafkaTimeout().toMillis();
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.kafkaBootstrap());
    p.put(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, Integer.MAX_VALUE));
    p.put(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        (int) Math.min(timeoutMs, Integer.MAX_VALUE));
    Admin admin;
    try {
      admin = Admin.create(p);
    } catch (KafkaException e) {
      // e.g. "No resolvable bootstrap urls given in bootstrap.servers"
      throw new StartupException(
          "cannot reach Kafka at "
              + cfg.kafkaBootstrap()
              + ": no address resolves (set --kafka-bootstrap / SYSMONSTM_KAFKA_BOOTSTRAP)",
          e);
    }
    try {
      String clusterId = reach(admin, cfg, timeoutMs);
      Optional<String> created = createIfMissing(admin, cfg, timeoutMs);
      LOG.info(
          "Kafka at {} answers (cluster {}); topic {} {}",
          cfg.kafkaBootstrap(),
          clusterId,
          cfg.topic(),
          created.orElse("exists"));
    } finally {
      admin.close(Duration.ofSeconds(1));
    }
  }

  private static String reach(Admin admin, IngressConfig cfg, long timeoutMs) {
    String unreachable =
        "cannot reach Kafka at "
            + cfg.kafkaBootstrap()
            + " within "
            + Durations.format(cfg.kafkaTimeout())
            + " (set --kafka-bootstrap / SYSMONSTM_KAFKA_BOOTSTRAP)";
    try {
      return admin
          .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
          .clusterId()
          .get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new StartupException(unreachable, e);
    } catch (ExecutionException e) {
      throw new StartupException(unreachable, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupException("interrupted while connecting to Kafka", e);
    }
  }

  private static Optional<String> createIfMissing(Admin admin, IngressConfig cfg, long timeoutMs) {
    try {
      boolean exists =
          admin
              .listTopics(new ListTopicsOptions().timeoutMs((int) timeoutMs))
              .names()
              .get(timeoutMs, TimeUnit.MILLISECONDS)
              .contains(cfg.topic());
      if (exists) {
        return Optional.empty();
      }
      NewTopic topic =
          new NewTopic(cfg.topic(), Optional.of(cfg.topicPartitions()), Optional.empty())
              .configs(
                  Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_RECORD_BYTES)));
      admin
          .createTopics(List.of(topic), new CreateTopicsOptions().timeoutMs((int) timeoutMs))
          .all()
          .get(timeoutMs, TimeUnit.MILLISECONDS);
      return Optional.of("created with " + cfg.topicPartitions() + " partitions");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return Optional.empty(); // created by someone else meanwhile
      }
      throw new StartupException(
          "cannot create Kafka topic "
              + cfg.topic()
              + ": "
              + e.getCause().getMessage()
              + " (create it yourself, or set --topic / SYSMONSTM_TOPIC)",
          e.getCause());
    } catch (TimeoutException e) {
      throw new StartupException(
          "Kafka at "
              + cfg.kafkaBootstrap()
              + " did not list or create topics within "
              + Durations.format(cfg.kafkaTimeout())
              + " (set --kafka-timeout / SYSMONSTM_KAFKA_TIMEOUT)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupException("interrupted while checking Kafka topic " + cfg.topic(), e);
    }
  }

  /**
   * The producer batches are written with: idempotent, {@code acks=all}, lz4. A send blocks for at
   * most {@code --kafka-timeout} (metadata, buffer space) and is reported failed within twice that
   * (plus linger) at the latest, so an ack is never waited for without bound.
   */
  public static Producer<String, byte[]> producer(IngressConfig cfg) {
    long timeoutMs = cfg.kafkaTimeout().toMillis();
    int requestTimeout = (int) Math.min(timeoutMs, Integer.MAX_VALUE / 3);
    int linger = 5;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.kafkaBootstrap());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "sysmonstm-ingress");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, linger);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * MAX_RECORD_BYTES);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * requestTimeout + linger);
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }
}
