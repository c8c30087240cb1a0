package io.sysmonstm.collector;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.sysmonstm.collector.sampling.HostInfo;
import io.sysmonstm.collector.sampling.OshiSystemReader;
import io.sysmonstm.collector.sampling.Sampler;
import io.sysmonstm.collector.sampling.SystemReader;
import io.sysmonstm.collector.stream.BatchPublisher;
import io.sysmonstm.collector.stream.BearerToken;
import io.sysmonstm.config.Durations;
import io.sysmonstm.proto.v1.HostFacts;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.Snapshot;
import io.sysmonstm.retry.Backoff;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host agent: samples the machine once per interval on its own thread and streams one {@link
 * MetricBatch} per snapshot to ingress through a {@link BatchPublisher}. {@link #start} returns at
 * once; {@link #close} stops within a few seconds.
 */
public final class Collector implements AutoCloseable {
  /** This collector's version, sent as {@code HostFacts.collector_version}. */
  public static final String VERSION = readVersion();

  private static final Logger LOG = LoggerFactory.getLogger(Collector.class);

  private final CollectorConfig cfg;
  private final ManagedChannel channel;
  private final SystemReader reader;
  private final Sampler sampler;
  private final BatchPublisher publisher;
  private final String runId = UUID.randomUUID().toString();
  private final ScheduledExecutorService sampling;
  private final AtomicBoolean closed = new AtomicBoolean();

  // Owned by the sampling thread (or the test that calls sampleNow()).
  private HostFacts facts;
  private boolean primed;
  private long seq;
  private String lastFailure;

  /** Opens the channel to ingress and starts sampling and streaming; returns at once. */
  public static Collector start(CollectorConfig cfg) {
    SystemReader reader = new OshiSystemReader();
    ManagedChannel channel = IngressChannel.open(cfg);
    Collector c = new Collector(cfg, channel, reader, Backoff.upTo(cfg.backoffMax()), true);
    if (cfg.token().isPresent() && !cfg.tls()) {
      LOG.warn(
          "--token is sent in clear text because --tls is off; use TLS outside a trusted network");
    }
    LOG.info(
        "Collector {} started: host {} (run {}), sampling every {}, streaming to {}",
        VERSION,
        cfg.hostId(),
        c.runId,
        Durations.format(cfg.interval()),
        cfg.ingress());
    return c;
  }

  /**
   * For tests: a given channel (closed by {@link #close}), reader and backoff; when {@code
   * scheduled} is false nothing is sampled until {@link #sampleNow()} is called.
   */
  Collector(
      CollectorConfig cfg,
      ManagedChannel channel,
      SystemReader reader,
      Backoff backoff,
      boolean scheduled) {
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.sampler = new Sampler(reader);
    Channel calls =
        cfg.token().isPresent()
            ? ClientInterceptors.intercept(channel, new BearerToken(cfg.token().get()))
            : channel;
    this.publisher = new BatchPublisher(calls, cfg.ingress(), cfg.bufferBatches(), backoff);
    this.publisher.start();
    if (scheduled) {
      sampling =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "sysmonstm-collector-sampler");
                t.setDaemon(true);
                return t;
              });
      long period = cfg.interval().toMillis();
      sampling.execute(this::primeQuietly);
      sampling.scheduleAtFixedRate(this::sampleQuietly, period, period, TimeUnit.MILLISECONDS);
    } else {
      sampling = null;
    }
  }

  /** The identity of this collector process, sent as {@code run_id} with every batch. */
  public String runId() {
    return runId;
  }

  public String hostId() {
    return cfg.hostId();
  }

  /** Highest batch {@code seq} ingress has acknowledged. */
  public long ackedSeq() {
    return publisher.ackedSeq();
  }

  /** Batches waiting for an ack. */
  public int bufferedBatches() {
    return publisher.buffered();
  }

  /** Batches dropped because the buffer was full, since start. */
  public long droppedBatches() {
    return publisher.droppedOnOverflow();
  }

  /** Batches ingress rejected as invalid, since start. */
  public long rejectedBatches() {
    return publisher.rejected();
  }

  /** Whether ingress is acknowledging batches. */
  public boolean connected() {
    return publisher.connected();
  }

  /**
   * Samples once and queues the batch (the sampling thread calls this every interval). Primes the
   * sampler first if it has not been primed, so the first call reads the machine twice.
   */
  void sampleNow() {
    if (!primed) {
      prime();
    }
    Snapshot snapshot = sampler.sample();
    publisher.offer(
        MetricBatch.newBuilder()
            .setHostId(cfg.hostId())
            .setRunId(runId)
            .setSeq(++seq)
            .setFacts(facts)
            .addSnapshots(snapshot)
            .build());
  }

  private void prime() {
    HostInfo host = reader.host();
    facts =
        HostFacts.newBuilder()
            .setHostname(host.hostname())
            .setOs(host.os())
            .setCores(host.cores())
            .setMemoryTotalBytes(host.memoryTotalBytes())
            .setCollectorVersion(VERSION)
            .build();
    sampler.prime();
    primed = true;
  }

  private void primeQuietly() {
    try {
      prime();
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  /** Never lets an exception escape: that would cancel every later run of the schedule. */
  private void sampleQuietly() {
    try {
      sampleNow();
      if (lastFailure != null) {
        LOG.info("Sampling works again");
        lastFailure = null;
      }
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  private void failed(RuntimeException e) {
    String what = e.getClass().getSimpleName() + ": " + e.getMessage();
    if (!what.equals(lastFailure)) {
      LOG.warn("Sampling failed ({}); trying again in the next interval", what);
      lastFailure = what;
    }
  }

  /** Stops sampling, closes the stream (up to 2 s for pending acks) and the channel. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (sampling != null) {
      sampling.shutdownNow();
      try {
        sampling.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    publisher.close();
    channel.shutdown();
    try {
      if (!channel.awaitTermination(1, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
    LOG.info("Collector stopped after {} batches", seq);
  }

  private static String readVersion() {
    Properties p = new Properties();
    try (InputStream in = Collector.class.getResourceAsStream("collector.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to "dev"
    }
    String v = p.getProperty("version", "");
    return v.isBlank() || v.startsWith("${") ? "dev" : v;
  }
}
