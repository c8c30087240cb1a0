package io.sysmonstm.bench;

import io.sysmonstm.bench.probe.ResourceMeter;
import io.sysmonstm.embedded.EmbeddedKafka;
import io.sysmonstm.embedded.EmbeddedPostgresServer;
import io.sysmonstm.embedded.EmbeddedRedis;
import io.sysmonstm.embedded.Ports;
import io.sysmonstm.live.RedisKeys;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka, PostgreSQL and Redis for a run: the external servers the configuration names, embedded
 * ones for the rest (Kafka in this JVM, PostgreSQL and Redis as child processes).
 */
final class BenchServers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BenchServers.class);
  static final String DB = "sysmonstm";

  /** Redis memory per recent value (see {@link #redisMemoryMb}). */
  static final int BYTES_PER_VALUE = 40;

  private static final long REDIS_ROOM_MB = 128;

  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private String kafkaBootstrap;
  private String jdbcUrl;
  private String redisUrl;
  private String kafkaDescription;
  private String postgresDescription;
  private String redisDescription;
  private final java.util.Map<String, Long> processes = new java.util.LinkedHashMap<>();

  private BenchServers() {}

  static BenchServers start(BenchConfig cfg) throws IOException {
    BenchServers s = new BenchServers();
    try {
      if (cfg.kafkaBootstrap().isPresent()) {
        s.kafkaBootstrap = cfg.kafkaBootstrap().get();
        s.kafkaDescription = s.kafkaBootstrap;
      } else {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        s.running.push(kafka);
        s.kafkaBootstrap = kafka.bootstrapServers();
        s.kafkaDescription = "embedded in this JVM (" + s.kafkaBootstrap + ")";
      }
      if (cfg.jdbcUrl().isPresent()) {
        s.jdbcUrl = cfg.jdbcUrl().get();
        s.postgresDescription = s.jdbcUrl;
      } else {
        EmbeddedPostgresServer pg = EmbeddedPostgresServer.start();
        s.running.push(pg);
        s.jdbcUrl = pg.createDatabase(DB, cfg.jdbcUser(), cfg.jdbcPassword());
        s.postgresDescription = "embedded server process (" + s.jdbcUrl + ", fsync off)";
        ResourceMeter.findProcess(java.util.List.of("-p", String.valueOf(pg.port())))
            .ifPresent(pid -> s.processes.put("postgres", pid));
      }
      if (cfg.redisUrl().isPresent()) {
        s.redisUrl = cfg.redisUrl().get();
        s.redisDescription = s.redisUrl;
      } else {
        long memoryMb = redisMemoryMb(cfg);
        EmbeddedRedis redis = EmbeddedRedis.start(Ports.free(), memoryMb);
        s.running.push(redis);
        s.redisUrl = redis.url();
        s.redisDescription =
            "embedded child process (" + s.redisUrl + ", maxmemory " + memoryMb + " MB)";
      }
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * Memory for an embedded Redis: the recent values of the measured and the warm-up fleet (at most
   * {@link RedisKeys#RECENT_WINDOW_MS} of each host) at {@value #BYTES_PER_VALUE} bytes a value
   * (measured: 34), plus room for the hosts' hashes and the rest. A deployment is sized for its
   * fleet; with less, Redis evicts hosts' keys, spending its time on that and losing live values
   * (the local stack's cap, {@link EmbeddedRedis#DEFAULT_MAX_MEMORY_MB} MB, holds about 1,200 hosts
   * of the default shape).
   */
  static long redisMemoryMb(BenchConfig cfg) {
    long values = 0;
    for (Duration span : List.of(cfg.duration(), cfg.warmupDrain())) {
      long kept = Math.min(span.toMillis(), RedisKeys.RECENT_WINDOW_MS);
      values += (long) cfg.hosts() * cfg.series() * (kept / cfg.interval().toMillis() + 1);
    }
    return Math.max(
        EmbeddedRedis.DEFAULT_MAX_MEMORY_MB, (values * BYTES_PER_VALUE >> 20) + REDIS_ROOM_MB);
  }

  String kafkaBootstrap() {
    return kafkaBootstrap;
  }

  String jdbcUrl() {
    return jdbcUrl;
  }

  String redisUrl() {
    return redisUrl;
  }

  /** Server processes outside this JVM's process tree to measure (name → pid). */
  java.util.Map<String, Long> processes() {
    return processes;
  }

  String kafkaDescription() {
    return kafkaDescription;
  }

  String postgresDescription() {
    return postgresDescription;
  }

  String redisDescription() {
    return redisDescription;
  }

  /** Stops the embedded servers, newest first; safe to call more than once. */
  @Override
  public synchronized void close() {
    while (!running.isEmpty()) {
      AutoCloseable c = running.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("Stopping {} failed: {}; continuing", c.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
