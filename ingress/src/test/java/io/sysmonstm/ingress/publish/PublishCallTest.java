package io.sysmonstm.ingress.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.sysmonstm.ingress.PublishClient;
import io.sysmonstm.ingress.TestBatches;
import io.sysmonstm.ingress.validation.BatchLimits;
import io.sysmonstm.ingress.validation.BatchValidator;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.MetricsServiceGrpc;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ack rules of one call, with Kafka's own test producer standing in for the broker so the test
 * decides when, in which order and how each write completes. Against a real broker: PublishIT.
 */
class PublishCallTest {
  private static final String TOPIC = "sysmonstm.samples";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ManualProducer producer = new ManualProducer();
  private Server server;
  private ManagedChannel channel;

  private PublishClient open(int maxInFlight) throws Exception {
    String name = InProcessServerBuilder.generateName();
    BatchValidator validator =
        new BatchValidator(
            new BatchLimits(Duration.ofMinutes(5), Duration.ofDays(7), 1000, 16, 256),
            Clock.systemUTC());
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new MetricsServiceImpl(validator, producer, TOPIC, maxInFlight))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    return PublishClient.open(MetricsServiceGrpc.newStub(channel));
  }

  @AfterEach
  void close() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  private static MetricBatch batch(long seq) {
    return TestBatches.valid("web-1", seq);
  }

  @Test
  void acksFollowArrivalOrderWhenKafkaConfirmsOutOfOrder() throws Exception {
    PublishClient call = open(64);
    call.send(batch(1), batch(2), batch(3));
    await().atMost(WAIT).until(() -> producer.records.size() == 3);

    producer.succeed(2);
    producer.succeed(0);
    await().atMost(WAIT).until(() -> call.acks.size() == 1);
    producer.succeed(1);
    await().atMost(WAIT).until(() -> call.acks.size() == 3);
    call.finish();

    assertThat(call.awaitEnd(WAIT).getCode()).isEqualTo(Status.Code.OK);
    assertThat(call.acks).containsExactly(1L, 2L, 3L);
  }

  @Test
  void eachBatchIsOneRecordKeyedByHostWithTheBatchBytes() throws Exception {
    PublishClient call = open(64);
    MetricBatch b = TestBatches.valid("db-7.example.com", 42);
    call.send(b);
    await().atMost(WAIT).until(() -> producer.records.size() == 1);

    ProducerRecord<String, byte[]> r = producer.records.get(0);
    assertThat(r.topic()).isEqualTo(TOPIC);
    assertThat(r.key()).isEqualTo("db-7.example.com");
    assertThat(MetricBatch.parseFrom(r.value())).isEqualTo(b);
    assertThat(call.acks).isEmpty();
  }

  @Test
  void aFailedWriteEndsTheCallUnavailableAfterAckingWhatCameBefore() throws Exception {
    PublishClient call = open(64);
    call.send(batch(1), batch(2), batch(3));
    await().atMost(WAIT).until(() -> producer.records.size() == 3);

    producer.succeed(0);
    producer.succeed(2);
    producer.fail(1, new TimeoutException("Expiring 1 record(s) for sysmonstm.samples-0"));

    Status status = call.awaitEnd(WAIT);
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription()).isEqualTo("kafka write failed, retry");
    assertThat(call.acks).containsExactly(1L);
    assertThat(call.trailers().get(MetricsServiceImpl.REJECTED_SEQ)).isNull();
  }

  @Test
  void aBatchTooLargeForKafkaIsRefusedSoTheCollectorDropsIt() throws Exception {
    PublishClient call = open(64);
    call.send(batch(1), batch(2));
    await().atMost(WAIT).until(() -> producer.records.size() == 2);

    producer.succeed(0);
    producer.fail(1, new RecordTooLargeException("too large"));

    Status status = call.awaitEnd(WAIT);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).startsWith("batch seq 2 is ").contains("more than Kafka");
    assertThat(call.trailers().get(MetricsServiceImpl.REJECTED_SEQ)).isEqualTo("2");
    assertThat(call.acks).containsExactly(1L);
  }

  @Test
  void anInvalidBatchIsNeverSentAndEndsTheCallAfterEarlierBatchesAreAcked() throws Exception {
    PublishClient call = open(64);
    call.send(batch(1), batch(2), TestBatches.withNaN("web-1", 3), batch(4));
    await().atMost(WAIT).until(() -> producer.records.size() == 2);
    assertThat(call.ended()).isFalse();

    producer.succeed(1);
    producer.succeed(0);

    Status status = call.awaitEnd(WAIT);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .isEqualTo("snapshots[0].samples[0].value is NaN (metric system.cpu.utilization)");
    assertThat(call.trailers().get(MetricsServiceImpl.REJECTED_SEQ)).isEqualTo("3");
    assertThat(call.acks).containsExactly(1L, 2L);
    // neither the invalid batch nor the one after it reached the producer
    assertThat(producer.records).hasSize(2);
  }

  @Test
  void atMostMaxInFlightBatchesAreTakenBeforeAcks() throws Exception {
    PublishClient call = open(2);
    call.send(batch(1), batch(2), batch(3), batch(4), batch(5));
    await().atMost(WAIT).until(() -> producer.records.size() == 2);
    // directExecutor on both sides: had the server asked for more, they would be here already
    assertThat(producer.records).hasSize(2);

    producer.succeed(0);
    await().atMost(WAIT).until(() -> producer.records.size() == 3);
    assertThat(producer.records).hasSize(3);
    for (int i = 1; i < 5; i++) {
      producer.succeed(i);
      int sent = Math.min(5, i + 3);
      await().atMost(WAIT).until(() -> producer.records.size() == sent);
    }
    call.finish();

    assertThat(call.awaitEnd(WAIT).getCode()).isEqualTo(Status.Code.OK);
    assertThat(call.acks).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void aHalfClosedCallEndsOnlyOnceEveryBatchIsAcked() throws Exception {
    PublishClient call = open(64);
    call.send(batch(1));
    call.finish();
    await().atMost(WAIT).until(() -> producer.records.size() == 1);
    assertThat(call.ended()).isFalse();

    producer.succeed(0);

    assertThat(call.awaitEnd(WAIT).getCode()).isEqualTo(Status.Code.OK);
    assertThat(call.acks).containsExactly(1L);
  }

  @Test
  void aCancelledCallIgnoresLateConfirmations() throws Exception {
    PublishClient call = open(64);
    call.send(batch(1));
    await().atMost(WAIT).until(() -> producer.records.size() == 1);
    call.cancel();

    producer.succeed(0);

    assertThat(call.acks).isEmpty();
    // the server is still healthy: a new call works
    PublishClient next = PublishClient.open(MetricsServiceGrpc.newStub(channel));
    next.send(batch(2)).finish();
    await().atMost(WAIT).until(() -> producer.records.size() == 2);
    producer.succeed(1);
    assertThat(next.awaitEnd(WAIT).getCode()).isEqualTo(Status.Code.OK);
    assertThat(next.acks).containsExactly(2L);
  }

  /** Kafka's MockProducer, but every send waits until the test completes it, in any order. */
  static final class ManualProducer extends MockProducer<String, byte[]> {
    final List<ProducerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();
    private final List<Callback> callbacks = new CopyOnWriteArrayList<>();

    ManualProducer() {
      super(false, null, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public synchronized Future<RecordMetadata> send(
        ProducerRecord<String, byte[]> record, Callback callback) {
      records.add(record);
      callbacks.add(callback);
      return new CompletableFuture<>();
    }

    void succeed(int i) {
      callbacks
          .get(i)
          .onCompletion(new RecordMetadata(new TopicPartition(TOPIC, 0), i, 0, 0L, 0, 0), null);
    }

    void fail(int i, Exception e) {
      callbacks.get(i).onCompletion(null, e);
    }
  }
}
