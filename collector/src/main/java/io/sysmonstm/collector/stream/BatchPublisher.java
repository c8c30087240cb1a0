package io.sysmonstm.collector.stream;

import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.MetricsServiceGrpc;
import io.sysmonstm.proto.v1.PublishAck;
import io.sysmonstm.retry.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams batches to ingress over one {@code MetricsService.Publish} call at a time.
 *
 * <ul>
 *   <li>Every offered batch goes into a bounded buffer and stays there until ingress acknowledges
 *       its {@code seq} (an ack of {@code n} acknowledges every batch up to {@code n}). When the
 *       buffer is full the oldest batch is dropped and counted.
 *   <li>Batches are written only while the call {@code isReady()}, in {@code seq} order.
 *   <li>When the call fails the publisher reconnects after an exponential backoff with full jitter
 *       and sends everything still unacknowledged again, oldest first.
 *   <li>{@code INVALID_ARGUMENT}: the batch named by the trailer {@code sysmonstm-rejected-seq} is
 *       dropped (it would be rejected again), then the publisher reconnects at once.
 *   <li>{@code UNAUTHENTICATED}: logged once, then the publisher keeps backing off and retrying.
 *   <li>No ack for {@code ackTimeout} while batches are outstanding (a dead connection that TCP has
 *       not noticed yet): the call is cancelled and the publisher reconnects.
 * </ul>
 *
 * All state lives on one thread; gRPC callbacks and offers are posted to it. Logs one line per
 * state change, never per batch.
 */
public final class BatchPublisher implements AutoCloseable {
  /** Trailer of an {@code INVALID_ARGUMENT} end: the {@code seq} of the rejected batch. */
  public static final Metadata.Key<String> REJECTED_SEQ =
      Metadata.Key.of("sysmonstm-rejected-seq", Metadata.ASCII_STRING_MARSHALLER);

  /** Default time without any ack, while batches are outstanding, before the call is replaced. */
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofMinutes(2);

  private static final Logger LOG = LoggerFactory.getLogger(BatchPublisher.class);
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  private final MetricsServiceGrpc.MetricsServiceStub stub;
  private final String target;
  private final Backoff backoff;
  private final Duration ackTimeout;
  private final LongSupplier ticker;
  private final BatchBuffer buffer;
  private final ScheduledExecutorService loop;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  // Owned by the loop thread.
  private Stream current;
  private ScheduledFuture<?> pendingReconnect;
  private int failures;
  private boolean connected;
  private Status.Code lastFailure;
  private boolean overflowing;
  private long droppedBeforeOverflow;
  private boolean closing;
  private CountDownLatch closingStreamEnded;

  // Readable from any thread.
  private final AtomicLong ackedSeq = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicInteger callsStarted = new AtomicInteger();
  private volatile boolean connectedView;

  /**
   * @param channel a channel to ingress (with credentials attached, if any)
   * @param target how to name ingress in log lines, e.g. {@code localhost:50051}
   * @param capacity unacknowledged batches kept at most
   */
  public BatchPublisher(Channel channel, String target, int capacity, Backoff backoff) {
    this(channel, target, capacity, backoff, DEFAULT_ACK_TIMEOUT, System::nanoTime);
  }

  /** As above, with the ack timeout and the monotonic clock it is measured with (tests). */
  public BatchPublisher(
      Channel channel,
      String target,
      int capacity,
      Backoff backoff,
      Duration ackTimeout,
      LongSupplier ticker) {
    this.stub = MetricsServiceGrpc.newStub(Objects.requireNonNull(channel, "channel"));
    this.target = Objects.requireNonNull(target, "target");
    this.buffer = new BatchBuffer(capacity);
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.ackTimeout = Objects.requireNonNull(ackTimeout, "ackTimeout");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sysmonstm-collector-stream");
              t.setDaemon(true);
              return t;
            });
  }

  /** Opens the first call; returns at once. */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("already started");
    }
    post(this::connect);
    loop.scheduleWithFixedDelay(guarded(this::checkAckTimeout), 1, 1, TimeUnit.SECONDS);
  }

  /** Queues a batch for sending; {@code seq} must increase from one offer to the next. */
  public void offer(MetricBatch batch) {
    Objects.requireNonNull(batch, "batch");
    post(
        () -> {
          if (buffer.add(batch) && !overflowing) {
            overflowing = true;
            droppedBeforeOverflow = buffer.dropped() - 1;
            LOG.warn(
                "Buffer full ({} unacked batches): dropping the oldest batch for each new one"
                    + " until ingress at {} acknowledges again",
                buffer.capacity(),
                target);
          }
          if (current != null) {
            current.drain();
          }
        });
  }

  /** Highest {@code seq} ingress has acknowledged (0 before the first ack). */
  public long ackedSeq() {
    return ackedSeq.get();
  }

  /** Batches waiting for an ack. */
  public int buffered() {
    return buffer.size();
  }

  /** The {@code seq}s waiting for an ack, oldest first. */
  public List<Long> bufferedSeqs() {
    return buffer.seqs();
  }

  /** Batches dropped because the buffer was full, since start. */
  public long droppedOnOverflow() {
    return buffer.dropped();
  }

  /** Batches ingress rejected as invalid (and that were therefore dropped), since start. */
  public long rejected() {
    return rejected.get();
  }

  /** Whether the current call has received an ack and not failed since. */
  public boolean connected() {
    return connectedView;
  }

  /** Publish calls started so far (the first one and every reconnect). */
  public int callsStarted() {
    return callsStarted.get();
  }

  /**
   * Half-closes the call, waits up to 2 s for ingress to acknowledge what is in flight, then
   * cancels it and stops. Batches still unacknowledged are lost (and logged as a count).
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    CountDownLatch ended = new CountDownLatch(1);
    if (!post(() -> beginClose(ended))) {
      ended.countDown();
    }
    try {
      ended.await(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    post(
        () -> {
          if (current != null) {
            current.requests.cancel("collector stopping", null);
            current = null;
          }
        });
    loop.shutdown();
    try {
      if (!loop.awaitTermination(1, TimeUnit.SECONDS)) {
        loop.shutdownNow();
      }
    } catch (InterruptedException e) {
      loop.shutdownNow();
      Thread.currentThread().interrupt();
    }
    connectedView = false;
    int left = buffer.size();
    if (left > 0) {
      LOG.warn("Stream to ingress at {} closed; {} unacked batches not delivered", target, left);
    } else {
      LOG.info("Stream to ingress at {} closed; nothing left unacknowledged", target);
    }
  }

  /** Runs the ack watchdog now (tests; it also runs every second). */
  void checkAckTimeoutNow() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    post(
        () -> {
          try {
            checkAckTimeout();
          } finally {
            done.countDown();
          }
        });
    done.await(5, TimeUnit.SECONDS);
  }

  // ---- loop thread ----

  private void connect() {
    pendingReconnect = null;
    if (closing) {
      return;
    }
    Stream s = new Stream();
    current = s;
    callsStarted.incrementAndGet();
    stub.publish(s);
    s.drain();
  }

  private void beginClose(CountDownLatch ended) {
    closing = true;
    if (pendingReconnect != null) {
      pendingReconnect.cancel(false);
      pendingReconnect = null;
    }
    if (current == null) {
      ended.countDown();
      return;
    }
    closingStreamEnded = ended;
    try {
      current.requests.onCompleted();
    } catch (RuntimeException e) {
      ended.countDown();
    }
  }

  private void acked(Stream stream, long seq) {
    long upTo = Math.min(seq, stream.lastSent);
    buffer.ackUpTo(upTo);
    ackedSeq.accumulateAndGet(upTo, Math::max);
    if (stream == current && !closing) {
      stream.waiting = stream.lastSent > upTo;
      stream.waitingSince = ticker.getAsLong();
      if (!connected) {
        connected = true;
        connectedView = true;
        failures = 0;
        lastFailure = null;
        LOG.info("Connected to ingress at {}; {} unacked batches buffered", target, buffer.size());
      }
    }
    if (overflowing && !buffer.isFull()) {
      overflowing = false;
      LOG.info(
          "Buffer recovered: {} batches were dropped while it was full",
          buffer.dropped() - droppedBeforeOverflow);
    }
  }

  private void ended(Stream stream, Status status, Metadata trailers) {
    if (stream != current) {
      return;
    }
    current = null;
    if (closing) {
      if (closingStreamEnded != null) {
        closingStreamEnded.countDown();
      }
      return;
    }
    boolean wasConnected = connected;
    Status.Code code = status.getCode();
    if (code == Status.Code.INVALID_ARGUMENT && !stream.timedOut) {
      dropRejected(stream, status, trailers);
      schedule(Duration.ZERO);
      return;
    }
    connected = false;
    connectedView = false;
    Duration delay = backoff.delay(failures);
    failures = Math.min(failures + 1, 30);
    if (stream.timedOut) {
      LOG.warn(
          "No ack from ingress at {} for {}; {} unacked batches buffered, reconnecting in {}",
          target,
          seconds(ackTimeout),
          buffer.size(),
          seconds(delay));
    } else if (code == Status.Code.UNAUTHENTICATED) {
      if (lastFailure != code) {
        LOG.warn(
            "Ingress at {} refused the token ({}); retrying in {}, backing off up to {}."
                + " Check --token",
            target,
            describe(status),
            seconds(delay),
            seconds(backoff.max()));
      } else {
        LOG.debug("Ingress refused the token again; retrying in {}", seconds(delay));
      }
    } else if (wasConnected) {
      LOG.warn(
          "Disconnected from ingress at {}: {}; {} unacked batches buffered, reconnecting in {}",
          target,
          describe(status),
          buffer.size(),
          seconds(delay));
    } else if (lastFailure != code) {
      LOG.warn(
          "Cannot reach ingress at {}: {}; retrying in {}, backing off up to {}",
          target,
          describe(status),
          seconds(delay),
          seconds(backoff.max()));
    } else {
      LOG.debug("Ingress at {} still unavailable; retrying in {}", target, seconds(delay));
    }
    lastFailure = stream.timedOut ? Status.Code.DEADLINE_EXCEEDED : code;
    schedule(delay);
  }

  private void dropRejected(Stream stream, Status status, Metadata trailers) {
    long seq = -1;
    String value = trailers == null ? null : trailers.get(REJECTED_SEQ);
    if (value != null) {
      try {
        seq = Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        seq = -1;
      }
    }
    if (seq < 0) {
      // Ingress acks in order, so the batch it was working on is the oldest unacked one it got.
      MetricBatch oldest = buffer.oldest();
      if (oldest != null && oldest.getSeq() <= stream.lastSent) {
        seq = oldest.getSeq();
      }
    }
    if (seq >= 0 && buffer.remove(seq)) {
      rejected.incrementAndGet();
      LOG.warn(
          "Ingress rejected batch seq={} ({}); dropped it, re-sending the rest",
          seq,
          describe(status));
    } else {
      LOG.warn(
          "Ingress rejected a batch ({}) that is no longer buffered; reconnecting",
          describe(status));
    }
  }

  private void schedule(Duration delay) {
    pendingReconnect =
        loop.schedule(guarded(this::connect), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void checkAckTimeout() {
    Stream s = current;
    if (s == null || closing || !s.waiting || s.timedOut) {
      return;
    }
    if (ticker.getAsLong() - s.waitingSince >= ackTimeout.toNanos()) {
      s.timedOut = true;
      s.requests.cancel("no ack for " + seconds(ackTimeout), null);
    }
  }

  private boolean post(Runnable task) {
    try {
      loop.execute(guarded(task));
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("Unexpected failure in the stream to ingress; carrying on", e);
      }
    };
  }

  /** {@code UNAVAILABLE io exception (Connection refused: localhost/127.0.0.1:50051)}. */
  private static String describe(Status status) {
    StringBuilder b = new StringBuilder(status.getCode().name());
    String d = status.getDescription();
    if (d != null && !d.isBlank()) {
      b.append(' ').append(d);
    }
    Throwable cause = status.getCause();
    if (cause != null && cause.getMessage() != null && !cause.getMessage().isBlank()) {
      b.append(" (").append(cause.getMessage().lines().findFirst().orElse("")).append(')');
    }
    return b.toString();
  }

  /** A delay for a log line: {@code 250 ms}, {@code 1.3 s}, {@code 30 s}. */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms % 1000 == 0) {
      return d.toSeconds() + " s";
    }
    return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  /** One {@code Publish} call. */
  private final class Stream implements ClientResponseObserver<MetricBatch, PublishAck> {
    private ClientCallStreamObserver<MetricBatch> requests;
    private long lastSent;
    private boolean waiting;
    private long waitingSince;
    private boolean timedOut;

    @Override
    public void beforeStart(ClientCallStreamObserver<MetricBatch> requests) {
      this.requests = requests;
      requests.setOnReadyHandler(() -> post(this::drain));
    }

    /** Writes buffered batches after {@code lastSent} while the call can take them. */
    void drain() {
      if (current != this || closing || timedOut) {
        return;
      }
      while (requests.isReady()) {
        MetricBatch next = buffer.after(lastSent);
        if (next == null) {
          return;
        }
        requests.onNext(next);
        lastSent = next.getSeq();
        if (!waiting) {
          waiting = true;
          waitingSince = ticker.getAsLong();
        }
      }
    }

    @Override
    public void onNext(PublishAck ack) {
      post(() -> acked(this, ack.getSeq()));
    }

    @Override
    public void onError(Throwable t) {
      Status status = Status.fromThrowable(t);
      Metadata trailers = Status.trailersFromThrowable(t);
      post(() -> ended(this, status, trailers));
    }

    @Override
    public void onCompleted() {
      post(() -> ended(this, Status.UNAVAILABLE.withDescription("ingress ended the stream"), null));
    }
  }
}
