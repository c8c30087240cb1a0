package io.sysmonstm.bench;

import io.sysmonstm.bench.probe.ResourceMeter;
import io.sysmonstm.embedded.EmbeddedKafka;
import io.sysmonstm.embedded.EmbeddedPostgresServer;
import io.sysmonstm.embedded.EmbeddedRedis;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka, PostgreSQL and Redis for a run: the external servers the configuration names, embedded
 * ones for the rest (Kafka in this JVM, PostgreSQL and Redis as child processes).
 */
final class BenchServers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BenchServers.class);
  static final String DB = "sysmonstm";

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
        EmbeddedRedis redis = EmbeddedRedis.start();
        s.running.push(redis);
        s.redisUrl = redis.url();
        s.redisDescription = "embedded child process (" + s.redisUrl + ")";
      }
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
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
