package io.sysmonstm.ingress;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.MetricsServiceGrpc;
import io.sysmonstm.proto.v1.PublishAck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/** One Publish call as a collector makes it: records the acks, the final status and trailers. */
public final class PublishClient implements StreamObserver<PublishAck> {
  public final List<Long> acks = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Status> end = new CompletableFuture<>();
  private final LongConsumer onAck;
  private volatile Metadata trailers = new Metadata();
  private StreamObserver<MetricBatch> requests;

  private PublishClient(LongConsumer onAck) {
    this.onAck = onAck;
  }

  public static PublishClient open(MetricsServiceGrpc.MetricsServiceStub stub) {
    return open(stub, seq -> {});
  }

  /** Opens a call; {@code onAck} runs on the channel's executor for each ack, before it is kept. */
  public static PublishClient open(MetricsServiceGrpc.MetricsServiceStub stub, LongConsumer onAck) {
    PublishClient c = new PublishClient(onAck);
    c.requests = stub.publish(c);
    return c;
  }

  public PublishClient send(MetricBatch... batches) {
    for (MetricBatch b : batches) {
      requests.onNext(b);
    }
    return this;
  }

  public void finish() {
    requests.onCompleted();
  }

  public void cancel() {
    requests.onError(Status.CANCELLED.asRuntimeException());
  }

  /** The status the server ended the call with. */
  public Status awaitEnd(Duration timeout) throws Exception {
    return end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean ended() {
    return end.isDone();
  }

  public Metadata trailers() {
    return trailers;
  }

  @Override
  public void onNext(PublishAck ack) {
    onAck.accept(ack.getSeq());
    acks.add(ack.getSeq());
  }

  @Override
  public void onError(Throwable t) {
    Metadata md = Status.trailersFromThrowable(t);
    if (md != null) {
      trailers = md;
    }
    end.complete(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    end.complete(Status.OK);
  }
}
