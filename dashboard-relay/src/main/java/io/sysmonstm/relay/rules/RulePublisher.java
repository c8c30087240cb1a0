package io.sysmonstm.relay.rules;

import io.sysmonstm.relay.health.DependencyStatus;
import io.sysmonstm.relay.health.DependencyUnavailable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes rule changes to the compacted rules topic the job reads: key = rule id, value = the
 * canonical rule JSON, or a tombstone (null value) for a deleted rule. Each call waits for the
 * broker's acknowledgement (idempotent producer, {@code acks=all}) on a worker thread, never on the
 * event loop, and fails within {@link #MAX_WAIT} when Kafka does not answer.
 */
public final class RulePublisher implements AutoCloseable {
  /** How long {@code send} may wait for the topic's metadata (Kafka unreachable at first use). */
  static final int MAX_BLOCK_MS = 5_000;

  static final int REQUEST_TIMEOUT_MS = 5_000;

  /** After this a record that was not acknowledged has failed for good (it is not retried). */
  static final int DELIVERY_TIMEOUT_MS = 10_000;

  /** The longest a publish takes before it fails. */
  public static final Duration MAX_WAIT = Duration.ofMillis(MAX_BLOCK_MS + DELIVERY_TIMEOUT_MS);

  private final Vertx vertx;
  private final Producer<String, String> producer;
  private final String topic;
  private final DependencyStatus kafka;

  public RulePublisher(
      Vertx vertx, Producer<String, String> producer, String topic, DependencyStatus kafka) {
    this.vertx = vertx;
    this.producer = producer;
    this.topic = topic;
    this.kafka = kafka;
  }

  /** The producer settings: idempotent, every in-sync replica acknowledges, bounded waits. */
  public static Map<String, Object> producerConfig(String bootstrap) {
    return Map.ofEntries(
        Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "sysmonstm-relay-rules"),
        Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
        Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
        Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
        Map.entry(ProducerConfig.LINGER_MS_CONFIG, 0),
        Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS),
        Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS),
        Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS),
        Map.entry(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000));
  }

  public String topic() {
    return topic;
  }

  /** The dependency status of Kafka (a failed publish marks it down). */
  public DependencyStatus status() {
    return kafka;
  }

  /**
   * Publishes {@code value} under key {@code id} ({@code null} = tombstone) and completes once the
   * broker acknowledged it; fails with {@link DependencyUnavailable} (Kafka) otherwise.
   */
  public Future<Void> publish(String id, String value) {
    Future<Void> sent =
        vertx.executeBlocking(
            () -> {
              try {
                producer.send(new ProducerRecord<>(topic, id, value)).get();
              } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception c ? c : e;
              }
              return null;
            },
            false);
    return sent.andThen(
            ar -> {
              if (ar.succeeded()) {
                kafka.markUp();
              } else {
                kafka.markDown(ar.cause());
              }
            })
        .recover(
            e ->
                Future.failedFuture(
                    new DependencyUnavailable(
                        kafka,
                        "Kafka is unreachable or topic '"
                            + topic
                            + "' does not exist: the rule change was not acknowledged,"
                            + " so nothing was changed",
                        e)));
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
