package io.sysmonstm.ingress.publish;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sysmonstm.ingress.validation.BatchValidator;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.PublishAck;
import java.util.ArrayDeque;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Publish} call. Rules:
 *
 * <ul>
 *   <li>Batches are handled in arrival order. A valid batch is sent to Kafka; acks go out in
 *       arrival order, each only after Kafka acknowledged that batch and every batch before it,
 *       even when Kafka's callbacks complete out of order.
 *   <li>Flow control: the call asks gRPC for at most {@code maxInFlight} batches that are not yet
 *       acked, and asks for more only while the client reads the acks ({@code isReady()}).
 *   <li>An invalid batch is never sent. The call stops taking batches; the batches before it that
 *       are already on their way to Kafka are still acked when Kafka confirms them, then the call
 *       ends with {@code INVALID_ARGUMENT} (the reason) and the trailer {@code
 *       sysmonstm-rejected-seq}. So a collector drops from its buffer everything before the bad
 *       batch, and the bad batch itself.
 *   <li>A failed Kafka write ends the call with {@code UNAVAILABLE "kafka write failed, retry"}
 *       once the batches before it are acked; batches after it are not acked (some may be in Kafka
 *       already: the collector resends them and the job drops the duplicates by (host_id, run_id,
 *       seq)). A batch larger than Kafka accepts is refused like an invalid batch, since resending
 *       it would never succeed.
 *   <li>Batches arriving after the call has decided to end are ignored.
 * </ul>
 *
 * All state is guarded by {@code this}; Kafka callbacks arrive on the producer's I/O thread and
 * must never wait for a gRPC thread, so {@code producer.send} is called without the lock.
 */
final class PublishCall implements StreamObserver<MetricBatch> {
  private static final Logger LOG = LoggerFactory.getLogger(PublishCall.class);
  static final String KAFKA_FAILED = "kafka write failed, retry";

  private final ServerCallStreamObserver<PublishAck> out;
  private final BatchValidator validator;
  private final Producer<String, byte[]> producer;
  private final String topic;
  private final int maxInFlight;

  private final ArrayDeque<Write> writes = new ArrayDeque<>();
  private Rejection rejection;
  private boolean clientDone;
  private boolean closed;
  private int owedRequests;
  private String hostId = "?";
  private long received;
  private long acked;

  PublishCall(
      ServerCallStreamObserver<PublishAck> out,
      BatchValidator validator,
      Producer<String, byte[]> producer,
      String topic,
      int maxInFlight) {
    this.out = out;
    this.validator = validator;
    this.producer = producer;
    this.topic = topic;
    this.maxInFlight = maxInFlight;
  }

  /** Called from the service method, before it returns (gRPC requires it for these handlers). */
  void start() {
    out.disableAutoRequest();
    out.setOnReadyHandler(this::onReady);
    out.setOnCancelHandler(this::onCancel);
    LOG.debug("Publish call started");
    out.request(maxInFlight);
  }

  @Override
  public void onNext(MetricBatch batch) {
    synchronized (this) {
      if (closed || rejection != null) {
        return;
      }
      received++;
      hostId = batch.getHostId();
    }
    Optional<String> problem = validator.validate(batch);
    Write write;
    synchronized (this) {
      if (closed || rejection != null) {
        return;
      }
      if (problem.isPresent()) {
        rejection = new Rejection(batch.getSeq(), problem.get());
        LOG.info(
            "Refusing batch seq {} from host '{}': {}; the call ends once the {} batch(es) before it"
                + " are settled",
            Long.toUnsignedString(batch.getSeq()),
            safe(batch.getHostId()),
            problem.get(),
            writes.size());
        drain();
        return;
      }
      write = new Write(batch.getSeq(), batch.getSerializedSize());
      writes.addLast(write);
    }
    try {
      producer.send(
          new ProducerRecord<>(topic, batch.getHostId(), batch.toByteArray()),
          (metadata, error) -> completed(write, error));
    } catch (RuntimeException e) {
      // a closed producer, or no metadata / no buffer space within max.block.ms
      completed(write, e);
    }
  }

  @Override
  public synchronized void onError(Throwable t) {
    // the client cancelled or the connection broke: nothing can be sent any more
    if (!closed) {
      closed = true;
      LOG.debug(
          "Publish call from host '{}' broke off ({}) after {} received, {} acked",
          safe(hostId),
          Status.fromThrowable(t).getCode(),
          received,
          acked);
    }
  }

  @Override
  public synchronized void onCompleted() {
    clientDone = true;
    drain();
  }

  private synchronized void onReady() {
    if (!closed && rejection == null && owedRequests > 0 && out.isReady()) {
      out.request(owedRequests);
      owedRequests = 0;
    }
  }

  private synchronized void onCancel() {
    if (!closed) {
      closed = true;
      LOG.debug(
          "Publish call from host '{}' cancelled after {} received, {} acked",
          safe(hostId),
          received,
          acked);
    }
  }

  private synchronized void completed(Write write, Exception error) {
    write.done = true;
    write.error = error;
    drain();
  }

  /** Sends what can be sent now, in order: acks, then the end of the call. Holds the lock. */
  private void drain() {
    if (closed) {
      return;
    }
    while (!writes.isEmpty() && writes.peekFirst().done) {
      Write w = writes.pollFirst();
      if (w.error != null) {
        failed(w);
        return;
      }
      if (!send(PublishAck.newBuilder().setSeq(w.seq).build())) {
        return;
      }
      acked++;
      if (rejection == null && !clientDone) {
        if (out.isReady()) {
          out.request(1);
        } else {
          owedRequests++;
        }
      }
    }
    if (!writes.isEmpty()) {
      return;
    }
    if (rejection != null) {
      end(Status.INVALID_ARGUMENT.withDescription(rejection.reason), rejection.seq);
    } else if (clientDone) {
      closed = true;
      try {
        out.onCompleted();
      } catch (RuntimeException e) {
        LOG.debug("Completing a publish call failed: {}", e.toString());
      }
      LOG.debug("Publish call from host '{}' completed: {} batches acked", safe(hostId), acked);
    }
  }

  private void failed(Write w) {
    if (w.error instanceof RecordTooLargeException) {
      String reason =
          "batch seq "
              + Long.toUnsignedString(w.seq)
              + " is "
              + w.bytes
              + " bytes, more than Kafka accepts; send smaller batches";
      LOG.info("Refusing batch from host '{}': {}", safe(hostId), reason);
      end(Status.INVALID_ARGUMENT.withDescription(reason), w.seq);
      return;
    }
    LOG.warn(
        "Kafka write of batch seq {} from host '{}' failed ({}); ending the call with UNAVAILABLE,"
            + " the collector resends",
        Long.toUnsignedString(w.seq),
        safe(hostId),
        w.error.toString());
    end(Status.UNAVAILABLE.withDescription(KAFKA_FAILED), null);
  }

  private void end(Status status, Long rejectedSeq) {
    closed = true;
    Metadata trailers = new Metadata();
    if (rejectedSeq != null) {
      trailers.put(MetricsServiceImpl.REJECTED_SEQ, Long.toUnsignedString(rejectedSeq));
    }
    try {
      out.onError(status.asRuntimeException(trailers));
    } catch (RuntimeException e) {
      LOG.debug("Ending a publish call failed: {}", e.toString());
    }
    LOG.debug(
        "Publish call from host '{}' ended with {} after {} acked",
        safe(hostId),
        status.getCode(),
        acked);
  }

  private boolean send(PublishAck ack) {
    try {
      out.onNext(ack);
      return true;
    } catch (RuntimeException e) {
      // the call was cancelled or closed underneath us
      closed = true;
      LOG.debug("Acking a batch failed: {}", e.toString());
      return false;
    }
  }

  /** Host ids in log lines are client text: shown only when valid. */
  private static String safe(String hostId) {
    return hostId.length() <= 253 && hostId.chars().allMatch(c -> c > ' ' && c < 127)
        ? hostId
        : "(invalid)";
  }

  /** A batch on its way to Kafka. Guarded by the call. */
  private static final class Write {
    final long seq;
    final int bytes;
    boolean done;
    Exception error;

    Write(long seq, int bytes) {
      this.seq = seq;
      this.bytes = bytes;
    }
  }

  private record Rejection(long seq, String reason) {}
}
