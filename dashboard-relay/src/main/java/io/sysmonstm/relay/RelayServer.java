package io.sysmonstm.relay;

import io.sysmonstm.config.StartupException;
import io.sysmonstm.live.RedisKeys;
import io.sysmonstm.relay.alerts.AlertsApi;
import io.sysmonstm.relay.alerts.AlertsReader;
import io.sysmonstm.relay.health.DependencyStatus;
import io.sysmonstm.relay.health.HealthApi;
import io.sysmonstm.relay.hosts.HostsApi;
import io.sysmonstm.relay.hosts.HostsReader;
import io.sysmonstm.relay.http.RelayVerticle;
import io.sysmonstm.relay.live.LiveFeed;
import io.sysmonstm.relay.live.RedisSubscriber;
import io.sysmonstm.relay.metrics.RelayMetrics;
import io.sysmonstm.relay.page.PageConfigApi;
import io.sysmonstm.relay.rules.AdminToken;
import io.sysmonstm.relay.rules.RulePublisher;
import io.sysmonstm.relay.rules.RulesApi;
import io.sysmonstm.relay.rules.RulesStore;
import io.sysmonstm.relay.series.RecentReader;
import io.sysmonstm.relay.series.SeriesApi;
import io.sysmonstm.relay.series.SeriesReader;
import io.sysmonstm.rules.RuleCodec;
import io.sysmonstm.sql.Migrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgException;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.BindException;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running relay: one Vert.x instance with a PostgreSQL pool, a Redis client, the Redis
 * subscription and the HTTP server. {@link #start} returns once it listens; {@link #close} stops
 * it.
 */
public final class RelayServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);

  /** How long start waits for Redis and PostgreSQL to answer before giving up. */
  static final long DEPENDENCY_WAIT_MS = 8_000;

  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int MAX_WEBSOCKET_CLIENTS = 10_000;

  private final Vertx vertx;
  private final RulePublisher publisher;
  private final int port;
  private final CountDownLatch closed = new CountDownLatch(1);

  private RelayServer(Vertx vertx, RulePublisher publisher, int port) {
    this.vertx = vertx;
    this.publisher = publisher;
    this.port = port;
  }

  /**
   * Checks Redis and PostgreSQL, applies the migrations (when {@code --migrate}), seeds the default
   * alert rules into an empty {@code alert_rules}, subscribes to the live channels and listens.
   * Kafka is not needed to start: only rule changes need it, and they get 503 while it is away.
   *
   * @throws StartupException one line naming the setting that fixes it: the port is in use, or
   *     Redis or PostgreSQL cannot be reached
   */
  public static RelayServer start(RelayConfig cfg) {
    Vertx vertx = Vertx.vertx();
    RulePublisher publisher = null;
    try {
      Pool pg =
          PgBuilder.pool()
              .with(new PoolOptions().setMaxSize(4).setMaxWaitQueueSize(256))
              .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS))
              .connectingTo(cfg.pgConnectOptions())
              .using(vertx)
              .build();
      RedisOptions redisOptions =
          new RedisOptions()
              .setConnectionString(cfg.redisUrl().toString())
              .setPreferredProtocolVersion(ProtocolVersion.RESP2)
              .setMaxPoolSize(8)
              .setMaxPoolWaiting(256)
              .setNetClientOptions(
                  new NetClientOptions()
                      .setConnectTimeout(CONNECT_TIMEOUT_MS)
                      .setTcpKeepAlive(true)
                      .setTcpNoDelay(true));
      Redis redis = Redis.createClient(vertx, redisOptions);

      // rule changes hold a connection while Kafka answers: a pool of their own keeps the
      // dashboard's reads served when Kafka is slow or away
      Pool rulesPg =
          PgBuilder.pool()
              .with(new PoolOptions().setMaxSize(2).setMaxWaitQueueSize(32))
              .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS))
              .connectingTo(cfg.pgConnectOptions())
              .using(vertx)
              .build();

      checkDependencies(cfg, redis, pg);
      if (cfg.migrate()) {
        migrate(cfg);
      }

      DependencyStatus redisStatus = new DependencyStatus("Redis");
      DependencyStatus pgStatus = new DependencyStatus("PostgreSQL");
      DependencyStatus kafkaStatus = new DependencyStatus("Kafka");
      publisher = new RulePublisher(vertx, producer(cfg), cfg.rulesTopic(), kafkaStatus);
      RulesStore rules = new RulesStore(rulesPg, pgStatus, publisher);
      seedRules(cfg, rules);
      AdminToken adminToken = new AdminToken(cfg.adminToken());
      if (!adminToken.required()) {
        LOG.warn(
            "No admin token: anyone who reaches the relay can change alert rules; set {} to"
                + " require one",
            RelayConfig.ADMIN_TOKEN.label());
      }
      RelayMetrics metrics = new RelayMetrics();
      LiveFeed live = new LiveFeed(metrics, MAX_WEBSOCKET_CLIENTS);
      RedisSubscriber subscriber =
          new RedisSubscriber(vertx, redisOptions, cfg.redisUrlForLog(), live::broadcast);
      metrics.webSocketClients(live::clientCount);
      metrics.subscriptionUp(subscriber::isSubscribed);
      Clock clock = Clock.systemUTC();
      RelayVerticle verticle =
          new RelayVerticle(
              new RelayVerticle.Parts(
                  cfg.bind(),
                  cfg.port(),
                  new PageConfigApi(cfg.staleAfter(), RedisKeys.DEFAULT_LIVE_TTL),
                  new HostsApi(
                      new HostsReader(redis, pg, redisStatus, pgStatus, cfg.staleAfter(), clock)),
                  new SeriesApi(new SeriesReader(pg, pgStatus), new RecentReader(redis), clock),
                  new AlertsApi(new AlertsReader(pg, pgStatus), clock),
                  new RulesApi(rules, adminToken, metrics),
                  new HealthApi(redis, pg, redisStatus, pgStatus),
                  live,
                  subscriber,
                  metrics));
      try {
        await(vertx.deployVerticle(verticle), DEPENDENCY_WAIT_MS + 2_000);
      } catch (ExecutionException | TimeoutException e) {
        throw listenFailure(cfg, e instanceof ExecutionException ? e.getCause() : e);
      }
      return new RelayServer(vertx, publisher, verticle.actualPort());
    } catch (RuntimeException e) {
      if (publisher != null) {
        publisher.close();
      }
      closeQuietly(vertx);
      throw e;
    }
  }

  private static Producer<String, String> producer(RelayConfig cfg) {
    try {
      return new KafkaProducer<>(
          RulePublisher.producerConfig(cfg.kafkaBootstrap()),
          new StringSerializer(),
          new StringSerializer());
    } catch (KafkaException e) {
      throw new StartupException(
          "cannot set up the Kafka producer for "
              + cfg.kafkaBootstrap()
              + " ("
              + DependencyStatus.describe(e)
              + "); check "
              + RelayConfig.KAFKA_BOOTSTRAP.label(),
          e);
    }
  }

  /** An empty alert_rules gets the default rules (the job loads the same ones itself). */
  private static void seedRules(RelayConfig cfg, RulesStore rules) {
    int seeded;
    try {
      seeded = await(rules.seed(RuleCodec.defaults()), DEPENDENCY_WAIT_MS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new StartupException(
          "reading table alert_rules at "
              + cfg.jdbcUrlForLog()
              + " failed ("
              + DependencyStatus.describe(cause)
              + "); the schema needs migration V4: start with --migrate true or apply it",
          cause);
    }
    if (seeded > 0) {
      LOG.info("alert_rules was empty: seeded it with the {} default rules", seeded);
    }
  }

  /** The port the relay listens on (the real one when {@code --port 0}). */
  public int port() {
    return port;
  }

  /** Blocks until {@link #close} (e.g. from a shutdown hook). */
  public void awaitTermination() throws InterruptedException {
    closed.await();
  }

  @Override
  public void close() {
    if (closed.getCount() == 0) {
      return;
    }
    LOG.info("Stopping relay on port {}", port);
    // undeploy first: the verticle closes its Redis subscription before Vert.x drops the
    // connections, so the stop is not logged as a lost subscription
    for (String id : vertx.deploymentIDs()) {
      try {
        await(vertx.undeploy(id), 5_000);
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("Relay verticle did not stop cleanly ({}); closing anyway", e.toString());
      }
    }
    publisher.close();
    closeQuietly(vertx);
    closed.countDown();
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      await(vertx.close(), 10_000);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Vert.x did not close cleanly ({}); exiting anyway", e.toString());
    }
  }

  private static void checkDependencies(RelayConfig cfg, Redis redis, Pool pg) {
    Future<?> ping = redis.send(Request.cmd(Command.PING));
    Future<?> select = pg.query("SELECT 1").execute();
    Future<?> both = Future.join(ping, select);
    try {
      await(both, DEPENDENCY_WAIT_MS);
    } catch (ExecutionException | TimeoutException e) {
      // reported below, per dependency
    }
    if (!ping.succeeded()) {
      throw new StartupException(
          "cannot reach Redis at "
              + cfg.redisUrlForLog()
              + " ("
              + reason(ping)
              + "); check "
              + RelayConfig.REDIS_URL.label(),
          ping.cause());
    }
    if (!select.succeeded()) {
      String fix =
          select.cause() instanceof PgException p
                  && p.getSqlState() != null
                  && p.getSqlState().startsWith("28")
              ? RelayConfig.JDBC_USER.label() + " and " + RelayConfig.JDBC_PASSWORD.label()
              : RelayConfig.JDBC_URL.label();
      throw new StartupException(
          "cannot reach PostgreSQL at "
              + cfg.jdbcUrlForLog()
              + " ("
              + reason(select)
              + "); check "
              + fix,
          select.cause());
    }
    LOG.info("Redis at {} and PostgreSQL at {} answer", cfg.redisUrlForLog(), cfg.jdbcUrlForLog());
  }

  private static void migrate(RelayConfig cfg) {
    try {
      Migrations.apply(cfg.jdbcUrl(), cfg.jdbcUser(), cfg.jdbcPassword());
    } catch (RuntimeException e) {
      throw new StartupException(
          "applying the database migrations to "
              + cfg.jdbcUrlForLog()
              + " failed ("
              + DependencyStatus.describe(e)
              + "); check "
              + RelayConfig.JDBC_URL.label()
              + " or start with --migrate false",
          e);
    }
  }

  private static StartupException listenFailure(RelayConfig cfg, Throwable e) {
    if (isAddressInUse(e)) {
      return new StartupException(
          "port "
              + cfg.port()
              + " is in use (set "
              + RelayConfig.PORT.flag()
              + " / "
              + RelayConfig.PORT.env()
              + " to move it)",
          e);
    }
    if (e instanceof TimeoutException) {
      return new StartupException(
          "the relay did not start listening within "
              + (DEPENDENCY_WAIT_MS + 2_000) / 1000
              + " s; check "
              + RelayConfig.REDIS_URL.label(),
          e);
    }
    if (isRedisFailure(e)) {
      return new StartupException(
          "cannot subscribe to Redis at "
              + cfg.redisUrlForLog()
              + " ("
              + DependencyStatus.describe(e)
              + "); check "
              + RelayConfig.REDIS_URL.label(),
          e);
    }
    return new StartupException(
        "cannot listen on "
            + cfg.bind()
            + ":"
            + cfg.port()
            + " ("
            + DependencyStatus.describe(e)
            + "); check "
            + RelayConfig.BIND.label()
            + " and "
            + RelayConfig.PORT.label(),
        e);
  }

  private static boolean isAddressInUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isRedisFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getClass().getName().startsWith("io.vertx.redis")) {
        return true;
      }
    }
    return false;
  }

  private static String reason(Future<?> f) {
    return f.cause() == null
        ? "no answer within " + DEPENDENCY_WAIT_MS / 1000 + " s"
        : DependencyStatus.describe(f.cause());
  }

  private static <T> T await(Future<T> f, long timeoutMs)
      throws ExecutionException, TimeoutException {
    try {
      return f.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupException("interrupted while starting", e);
    }
  }
}
