package io.sysmonstm.ingress.publish;

import io.grpc.Metadata;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sysmonstm.ingress.validation.BatchValidator;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.MetricsServiceGrpc;
import io.sysmonstm.proto.v1.PublishAck;
import java.util.Objects;
import org.apache.kafka.clients.producer.Producer;

/**
 * {@code MetricsService.Publish}: validates each batch, writes a valid one to Kafka as one record
 * (key = host id, value = the batch's protobuf bytes exactly as received and re-encoded), and acks
 * its {@code seq} once Kafka has acknowledged the write. See {@link PublishCall} for the rules of
 * one call.
 */
public final class MetricsServiceImpl extends MetricsServiceGrpc.MetricsServiceImplBase {
  /** Trailer naming the {@code seq} of the batch that ended a call with INVALID_ARGUMENT. */
  public static final Metadata.Key<String> REJECTED_SEQ =
      Metadata.Key.of("sysmonstm-rejected-seq", Metadata.ASCII_STRING_MARSHALLER);

  /** Batches a call may have received but not yet acked. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 64;

  private final BatchValidator validator;
  private final Producer<String, byte[]> producer;
  private final String topic;
  private final int maxInFlight;

  public MetricsServiceImpl(
      BatchValidator validator, Producer<String, byte[]> producer, String topic, int maxInFlight) {
    this.validator = Objects.requireNonNull(validator, "validator");
    this.producer = Objects.requireNonNull(producer, "producer");
    this.topic = Objects.requireNonNull(topic, "topic");
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1");
    }
    this.maxInFlight = maxInFlight;
  }

  @Override
  public StreamObserver<MetricBatch> publish(StreamObserver<PublishAck> responseObserver) {
    PublishCall call =
        new PublishCall(
            (ServerCallStreamObserver<PublishAck>) responseObserver,
            validator,
            producer,
            topic,
            maxInFlight);
    call.start();
    return call;
  }
}
