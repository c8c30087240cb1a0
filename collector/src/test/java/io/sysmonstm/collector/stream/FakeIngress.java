package io.sysmonstm.collector.stream;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.MetricsServiceGrpc;
import io.sysmonstm.proto.v1.PublishAck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands for ingress in unit tests of the client: an in-process {@code MetricsService} that records
 * what each call received and acks, holds acks, breaks the stream or rejects a batch on request.
 * Not a mock of our own code: it is the remote end.
 */
public final class FakeIngress extends MetricsServiceGrpc.MetricsServiceImplBase
    implements AutoCloseable {
  private final Server server;
  private final ManagedChannel channel;
  private final String requiredToken;

  private volatile boolean autoAck = true;
  private volatile boolean ackAllOnHalfClose = true;
  private volatile long rejectOnce = -1;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<MetricBatch> received = new CopyOnWriteArrayList<>();
  private final List<Long> acked = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger refused = new AtomicInteger();

  private FakeIngress(String requiredToken, boolean tcp) throws IOException {
    this.requiredToken = requiredToken;
    if (tcp) {
      server =
          Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
              .addService(ServerInterceptors.intercept(this, new Auth()))
              .build()
              .start();
      channel =
          Grpc.newChannelBuilderForAddress(
                  "localhost", server.getPort(), InsecureChannelCredentials.create())
              .build();
    } else {
      String name = InProcessServerBuilder.generateName();
      server =
          InProcessServerBuilder.forName(name)
              .directExecutor()
              .addService(ServerInterceptors.intercept(this, new Auth()))
              .build()
              .start();
      channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }
  }

  /** In-process; accepts any caller. */
  public static FakeIngress start() throws IOException {
    return new FakeIngress(null, false);
  }

  /** In-process; ends calls without {@code authorization: Bearer <token>} as UNAUTHENTICATED. */
  public static FakeIngress requiringToken(String token) throws IOException {
    return new FakeIngress(token, false);
  }

  /** On a free TCP port of localhost (Netty), requiring {@code token}. */
  public static FakeIngress onTcpPort(String token) throws IOException {
    return new FakeIngress(token, true);
  }

  /** The TCP port (only for {@link #onTcpPort}). */
  public int port() {
    return server.getPort();
  }

  /** A channel to this server (closed with it). */
  public ManagedChannel channel() {
    return channel;
  }

  /** Whether each batch is acked as soon as it arrives (default) or only on request. */
  public void autoAck(boolean on) {
    autoAck = on;
  }

  /** Whether a half-close by the client acks everything received and completes (default). */
  public void ackAllOnHalfClose(boolean on) {
    ackAllOnHalfClose = on;
  }

  /** The next time batch {@code seq} arrives, end the call with INVALID_ARGUMENT naming it. */
  public void rejectOnce(long seq) {
    rejectOnce = seq;
  }

  /** Acks {@code seq} on the newest call. */
  public void ack(long seq) {
    calls.get(calls.size() - 1).ack(seq);
  }

  /** Ends the newest call with UNAVAILABLE, as an ingress that restarts. */
  public void breakStream() {
    calls
        .get(calls.size() - 1)
        .fail(Status.UNAVAILABLE.withDescription("ingress restarting"), null);
  }

  /** The {@code seq}s each call received, one list per call, in order of arrival. */
  public List<List<Long>> seqsPerCall() {
    List<List<Long>> out = new ArrayList<>();
    for (Call c : calls) {
      out.add(List.copyOf(c.seqs));
    }
    return out;
  }

  public List<MetricBatch> received() {
    return List.copyOf(received);
  }

  public List<Long> acked() {
    return List.copyOf(acked);
  }

  public List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /** Calls refused for a missing or wrong token. */
  public int refused() {
    return refused.get();
  }

  @Override
  public StreamObserver<MetricBatch> publish(StreamObserver<PublishAck> responses) {
    Call call = new Call(responses);
    calls.add(call);
    return call;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  private final class Call implements StreamObserver<MetricBatch> {
    private final StreamObserver<PublishAck> responses;
    private final List<Long> seqs = new CopyOnWriteArrayList<>();
    private boolean done;

    Call(StreamObserver<PublishAck> responses) {
      this.responses = responses;
    }

    @Override
    public synchronized void onNext(MetricBatch batch) {
      if (done) {
        return;
      }
      seqs.add(batch.getSeq());
      received.add(batch);
      if (batch.getSeq() == rejectOnce) {
        rejectOnce = -1;
        Metadata trailers = new Metadata();
        trailers.put(BatchPublisher.REJECTED_SEQ, Long.toString(batch.getSeq()));
        fail(Status.INVALID_ARGUMENT.withDescription("sample value is not finite"), trailers);
      } else if (autoAck) {
        ack(batch.getSeq());
      }
    }

    synchronized void ack(long seq) {
      if (!done) {
        acked.add(seq);
        responses.onNext(PublishAck.newBuilder().setSeq(seq).build());
      }
    }

    synchronized void fail(Status status, Metadata trailers) {
      if (!done) {
        done = true;
        responses.onError(status.asRuntimeException(trailers));
      }
    }

    @Override
    public void onError(Throwable t) {
      synchronized (this) {
        done = true;
      }
    }

    @Override
    public synchronized void onCompleted() {
      if (!done && ackAllOnHalfClose) {
        for (long seq : seqs) {
          if (!acked.contains(seq)) {
            ack(seq);
          }
        }
        done = true;
        responses.onCompleted();
      }
    }
  }

  private final class Auth implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      String auth = headers.get(BearerToken.AUTHORIZATION);
      if (auth != null) {
        authorizations.add(auth);
      }
      if (requiredToken != null && !("Bearer " + requiredToken).equals(auth)) {
        refused.incrementAndGet();
        call.close(Status.UNAUTHENTICATED.withDescription("invalid token"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }
}
