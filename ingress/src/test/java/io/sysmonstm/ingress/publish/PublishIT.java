package io.sysmonstm.ingress.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.sysmonstm.config.Settings;
import io.sysmonstm.embedded.KafkaExtension;
import io.sysmonstm.ingress.IngressConfig;
import io.sysmonstm.ingress.IngressServer;
import io.sysmonstm.ingress.PublishClient;
import io.sysmonstm.ingress.TestBatches;
import io.sysmonstm.ingress.TopicContents;
import io.sysmonstm.ingress.kafka.SampleTopic;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.MetricsServiceGrpc;
import io.sysmonstm.proto.v1.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MetricsService through the real server wiring (auth, validation, health) on an in-process
 * transport, writing to a real Kafka broker.
 */
class PublishIT {
  @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.perRun();

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String FLEET_TOKEN = "fleet-token-0123456789";
  private static final String HOST_TOKEN = "host-token-web-1";

  private final ExecutorService clientExecutor = Executors.newSingleThreadExecutor();
  private String topic;
  private IngressServer server;
  private ManagedChannel channel;

  @BeforeEach
  void freshTopic() {
    topic = KafkaExtension.freshTopic("samples");
    KAFKA.createTopic(topic, 3);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
    clientExecutor.shutdownNow();
    clientExecutor.awaitTermination(5, TimeUnit.SECONDS);
  }

  private void startIngress(String... extraArgs) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--kafka-bootstrap",
                KAFKA.bootstrapServers(),
                "--topic",
                topic,
                "--tokens",
                FLEET_TOKEN + "," + HOST_TOKEN));
    args.addAll(Arrays.asList(extraArgs));
    IngressConfig cfg = IngressConfig.from(Settings.parse(args.toArray(String[]::new), Map.of()));
    String name = InProcessServerBuilder.generateName();
    server =
        new IngressServer(cfg, InProcessServerBuilder.forName(name), SampleTopic.producer(cfg));
    channel = InProcessChannelBuilder.forName(name).executor(clientExecutor).build();
  }

  private MetricsServiceGrpc.MetricsServiceStub stub(String authorization) {
    MetricsServiceGrpc.MetricsServiceStub stub = MetricsServiceGrpc.newStub(channel);
    if (authorization == null) {
      return stub;
    }
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private List<ConsumerRecord<String, byte[]>> topicContents() {
    return TopicContents.read(KAFKA.bootstrapServers(), topic);
  }

  private static List<MetricBatch> values(List<ConsumerRecord<String, byte[]>> records)
      throws Exception {
    List<MetricBatch> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      out.add(MetricBatch.parseFrom(r.value()));
    }
    return out;
  }

  @Test
  void aBatchIsAckedOnlyOnceItIsReadableFromTheTopicKeyedByHost() throws Exception {
    startIngress();
    List<MetricBatch> batches =
        LongStream.rangeClosed(1, 5).mapToObj(seq -> TestBatches.valid("web-1", seq)).toList();
    Map<Long, Boolean> inTopicWhenAcked = new ConcurrentHashMap<>();
    PublishClient call =
        PublishClient.open(
            stub("Bearer " + FLEET_TOKEN),
            seq -> {
              byte[] expected = batches.get((int) seq - 1).toByteArray();
              inTopicWhenAcked.put(
                  seq,
                  topicContents().stream()
                      .anyMatch(
                          r -> r.key().equals("web-1") && Arrays.equals(r.value(), expected)));
            });

    call.send(batches.toArray(MetricBatch[]::new)).finish();

    assertThat(call.awaitEnd(WAIT).getCode()).isEqualTo(Status.Code.OK);
    assertThat(call.acks).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(inTopicWhenAcked).containsOnlyKeys(1L, 2L, 3L, 4L, 5L).doesNotContainValue(false);
    List<ConsumerRecord<String, byte[]>> records = topicContents();
    assertThat(records).extracting(ConsumerRecord::key).containsOnly("web-1");
    assertThat(records).extracting(ConsumerRecord::value).hasSize(5);
    assertThat(values(records)).containsExactlyElementsOf(batches);
  }

  @Test
  void everyConfiguredTokenIsAccepted() throws Exception {
    startIngress();
    PublishClient call = PublishClient.open(stub("Bearer " + HOST_TOKEN));
    call.send(TestBatches.valid("web-1", 1)).finish();

    assertThat(call.awaitEnd(WAIT).getCode()).isEqualTo(Status.Code.OK);
    assertThat(call.acks).containsExactly(1L);
  }

  @Test
  void anInvalidBatchEndsTheCallWithTheReasonAndNothingOfItIsInKafka() throws Exception {
    startIngress();
    MetricBatch first = TestBatches.valid("web-1", 1);
    MetricBatch second = TestBatches.valid("web-1", 2);
    MetricBatch bad = TestBatches.withNaN("web-1", 3);
    PublishClient call = PublishClient.open(stub("Bearer " + FLEET_TOKEN));

    call.send(first, second, bad, TestBatches.valid("web-1", 4));

    Status status = call.awaitEnd(WAIT);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .isEqualTo("snapshots[0].samples[0].value is NaN (metric system.cpu.utilization)");
    assertThat(call.trailers().get(MetricsServiceImpl.REJECTED_SEQ)).isEqualTo("3");
    assertThat(call.acks).containsExactly(1L, 2L);
    assertThat(values(topicContents())).containsExactly(first, second);
  }

  @Test
  void aBatchWithOneBadSnapshotIsRefusedWhole() throws Exception {
    startIngress("--max-future-skew", "1m");
    MetricBatch good = TestBatches.valid("web-1", 7);
    long future = System.currentTimeMillis() + Duration.ofHours(3).toMillis();
    MetricBatch bad =
        good.toBuilder()
            .addSnapshots(good.getSnapshots(0))
            .addSnapshots(Snapshot.newBuilder(good.getSnapshots(0)).setTimestampMs(future))
            .build();
    PublishClient call = PublishClient.open(stub("Bearer " + FLEET_TOKEN));

    call.send(bad);

    Status status = call.awaitEnd(WAIT);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .startsWith("snapshots[2].timestamp_ms " + future + " is ")
        .endsWith(" in the future (max 1m)");
    assertThat(call.trailers().get(MetricsServiceImpl.REJECTED_SEQ)).isEqualTo("7");
    assertThat(call.acks).isEmpty();
    assertThat(topicContents()).isEmpty();
  }

  @Test
  void aCallWithoutAValidTokenIsUnauthenticatedAndWritesNothing() throws Exception {
    startIngress();
    for (String authorization :
        Arrays.asList(null, "Bearer wrong-token", "Basic " + FLEET_TOKEN, FLEET_TOKEN)) {
      PublishClient call = PublishClient.open(stub(authorization));
      call.send(TestBatches.valid("web-1", 1)).finish();

      Status status = call.awaitEnd(WAIT);
      assertThat(status.getCode())
          .as(String.valueOf(authorization))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(status.getDescription()).isEqualTo("missing or invalid bearer token");
      assertThat(call.acks).isEmpty();
    }
    assertThat(topicContents()).isEmpty();
  }

  @Test
  void healthIsServingAndNeedsNoToken() throws Exception {
    startIngress();
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
    for (String service : List.of("", "sysmonstm.v1.MetricsService")) {
      ServingStatus status =
          health
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .check(HealthCheckRequest.newBuilder().setService(service).build())
              .getStatus();
      assertThat(status).as(service).isEqualTo(ServingStatus.SERVING);
    }
  }

  @Test
  void aFailedKafkaWriteIsUnavailableAndNotAcked() throws Exception {
    // the topic does not exist and the broker does not create topics: the write times out
    topic = "missing-" + topic;
    startIngress("--kafka-timeout", "1s");
    PublishClient call = PublishClient.open(stub("Bearer " + FLEET_TOKEN));

    call.send(TestBatches.valid("web-1", 1)).finish();

    Status status = call.awaitEnd(WAIT);
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription()).isEqualTo("kafka write failed, retry");
    assertThat(call.acks).isEmpty();
  }

  @Test
  void manyMoreBatchesThanTheInFlightLimitAreAllAckedInOrder() throws Exception {
    startIngress();
    int n = 4 * MetricsServiceImpl.DEFAULT_MAX_IN_FLIGHT + 7;
    List<MetricBatch> batches =
        LongStream.rangeClosed(1, n).mapToObj(seq -> TestBatches.valid("web-2", seq)).toList();
    PublishClient call = PublishClient.open(stub("Bearer " + FLEET_TOKEN));

    call.send(batches.toArray(MetricBatch[]::new)).finish();

    assertThat(call.awaitEnd(WAIT).getCode()).isEqualTo(Status.Code.OK);
    assertThat(call.acks).containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
    assertThat(values(topicContents())).containsExactlyElementsOf(batches);
  }
}
