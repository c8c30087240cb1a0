package io.sysmonstm.ingress;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.StartupException;
import io.sysmonstm.ingress.auth.BearerTokenInterceptor;
import io.sysmonstm.ingress.kafka.SampleTopic;
import io.sysmonstm.ingress.publish.MetricsServiceImpl;
import io.sysmonstm.ingress.validation.BatchValidator;
import io.sysmonstm.proto.v1.MetricsServiceGrpc;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress gRPC server: {@code sysmonstm.v1.MetricsService} (behind the bearer-token check when
 * tokens are configured) and {@code grpc.health.v1.Health} (open, for probes). Owns its {@link
 * Server} and the Kafka producer; {@link #close()} stops both.
 */
public final class IngressServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngressServer.class);

  /** How long {@link #close()} lets open calls finish before cancelling them. */
  static final Duration GRACE = Duration.ofSeconds(5);

  private final IngressConfig cfg;
  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();
  private final Producer<String, byte[]> producer;
  private final ExecutorService executor;
  private boolean closed;

  /**
   * Wires the services into {@code builder} and starts the server. Tests pass an in-process
   * builder; {@link #start(IngressConfig)} passes a hardened Netty one. From here on the server
   * owns {@code producer} and closes it in {@link #close()}; if this constructor throws, the caller
   * still owns it.
   *
   * @throws StartupException when the server cannot listen (e.g. the port is in use)
   */
  public IngressServer(
      IngressConfig cfg, ServerBuilder<?> builder, Producer<String, byte[]> producer) {
    this(cfg, builder, producer, null);
  }

  private IngressServer(
      IngressConfig cfg,
      ServerBuilder<?> builder,
      Producer<String, byte[]> producer,
      ExecutorService executor) {
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    this.producer = Objects.requireNonNull(producer, "producer");
    this.executor = executor;
    MetricsServiceImpl metrics =
        new MetricsServiceImpl(
            new BatchValidator(cfg.limits(), Clock.systemUTC()),
            producer,
            cfg.topic(),
            MetricsServiceImpl.DEFAULT_MAX_IN_FLIGHT);
    if (cfg.authEnabled()) {
      builder.addService(
          ServerInterceptors.intercept(metrics, new BearerTokenInterceptor(cfg.tokens())));
    } else {
      LOG.warn(
          "No --tokens configured: authentication is OFF, any client that reaches the port may"
              + " publish (set --tokens / SYSMONSTM_TOKENS to require a bearer token)");
      builder.addService(metrics);
    }
    builder.addService(health.getHealthService());
    builder.maxInboundMessageSize(SampleTopic.MAX_BATCH_BYTES);
    this.server = builder.build();
    try {
      server.start();
    } catch (IOException e) {
      throw listenFailed(cfg.port(), e);
    }
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    health.setStatus(MetricsServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
  }

  /**
   * Starts ingress for real: loads the TLS certificate if given, checks that Kafka answers within
   * {@code --kafka-timeout}, creates the topic if it is missing, and listens on {@code --port}.
   *
   * @throws ConfigException the TLS certificate or key cannot be used
   * @throws StartupException Kafka does not answer, the topic cannot be created, or the port is
   *     taken; the message names the setting that fixes it
   */
  public static IngressServer start(IngressConfig cfg) {
    NettyServerBuilder builder = hardened(netty(cfg));
    if (cfg.authEnabled() && !cfg.tlsEnabled()) {
      LOG.warn(
          "Bearer tokens travel in clear text: no --tls-cert / --tls-key given; use TLS beyond"
              + " a trusted network");
    }
    SampleTopic.ensure(cfg);
    Producer<String, byte[]> producer = SampleTopic.producer(cfg);
    ExecutorService executor = boundedExecutor();
    builder.executor(executor);
    try {
      IngressServer s = new IngressServer(cfg, builder, producer, executor);
      LOG.info(
          "Ingress listening on port {} ({}, {}), writing batches to Kafka topic {} at {}",
          s.port(),
          cfg.tlsEnabled() ? "TLS" : "plaintext",
          cfg.authEnabled() ? cfg.tokens().size() + " accepted token(s)" : "no authentication",
          cfg.topic(),
          cfg.kafkaBootstrap());
      return s;
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      executor.shutdownNow();
      throw e;
    }
  }

  /** Limits from STACK.md: grpc-java leaves these open by default. */
  private static NettyServerBuilder hardened(NettyServerBuilder b) {
    return b.maxConcurrentCallsPerConnection(16)
        .maxRstFramesPerWindow(200, 10)
        .maxInboundMessageSize(SampleTopic.MAX_BATCH_BYTES)
        .maxInboundMetadataSize(16 * 1024)
        .permitKeepAliveTime(10, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .keepAliveTime(60, TimeUnit.SECONDS)
        .keepAliveTimeout(20, TimeUnit.SECONDS)
        .handshakeTimeout(20, TimeUnit.SECONDS);
  }

  /** A Netty builder on {@code --port}, with TLS when a certificate and key are configured. */
  private static NettyServerBuilder netty(IngressConfig cfg) {
    if (!cfg.tlsEnabled()) {
      return NettyServerBuilder.forPort(cfg.port(), InsecureServerCredentials.create());
    }
    Path cert = cfg.tlsCert().orElseThrow();
    Path key = cfg.tlsKey().orElseThrow();
    try {
      // reads and parses both files now: a bad file is a configuration error, not a failure at
      // the first connection
      return NettyServerBuilder.forPort(
          cfg.port(), TlsServerCredentials.create(cert.toFile(), key.toFile()));
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(
          "tls-cert",
          "invalid setting "
              + IngressConfig.TLS_CERT.flag()
              + " / "
              + IngressConfig.TLS_KEY.flag()
              + " ("
              + IngressConfig.TLS_CERT.env()
              + " / "
              + IngressConfig.TLS_KEY.env()
              + "): cannot use "
              + cert
              + " and "
              + key
              + " as a PEM certificate chain and PKCS#8 key ("
              + rootMessage(e)
              + ")");
    }
  }

  private static ExecutorService boundedExecutor() {
    int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "ingress-grpc-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return Executors.newFixedThreadPool(threads, factory);
  }

  private static StartupException listenFailed(int port, IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String msg = String.valueOf(t.getMessage());
      if (t instanceof BindException || msg.contains("in use")) {
        return new StartupException(
            "port " + port + " is in use (set --port / SYSMONSTM_PORT to move it)", e);
      }
    }
    return new StartupException(
        "cannot listen on port "
            + port
            + ": "
            + rootMessage(e)
            + " (set --port / SYSMONSTM_PORT to move it)",
        e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  /** The port the server listens on (the free one picked when {@code --port 0}); -1 in-process. */
  public int port() {
    return server.getPort();
  }

  /** Blocks until the server has stopped ({@link #close()} from another thread). */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /**
   * Reports NOT_SERVING, stops taking calls, lets open calls finish for up to 5 s, cancels the
   * rest, then flushes and closes the producer (bounded by {@code --kafka-timeout}). Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info(
        "Ingress stopping: refusing new calls, open calls get {}s to finish", GRACE.toSeconds());
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    producer.close(cfg.kafkaTimeout());
    if (executor != null) {
      executor.shutdownNow();
    }
    LOG.info("Ingress stopped");
  }
}
