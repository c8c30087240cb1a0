package io.sysmonstm.embedded;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/** A real Redis server as a child process (binary shipped in a Maven artifact). */
public final class EmbeddedRedis implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);

  /**
   * The memory cap of {@link #start(int)} (the local stack, tests): the live values of about 1,200
   * hosts of 20 series at 1 Hz.
   */
  public static final long DEFAULT_MAX_MEMORY_MB = 256;

  private final RedisServer server;
  private final int port;

  private EmbeddedRedis(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Starts Redis on a free port (tests). */
  public static EmbeddedRedis start() throws IOException {
    return start(Ports.free());
  }

  /**
   * Starts Redis on {@code localhost:port}, in memory only (no RDB or AOF files), with at most
   * {@link #DEFAULT_MAX_MEMORY_MB} MB.
   */
  public static EmbeddedRedis start(int port) throws IOException {
    return start(port, DEFAULT_MAX_MEMORY_MB);
  }

  /**
   * Starts Redis on {@code localhost:port}, in memory only (no RDB or AOF files). Beyond {@code
   * maxMemoryMb} it evicts the least recently used keys: live values of hosts are lost, so size it
   * for the fleet.
   */
  public static EmbeddedRedis start(int port, long maxMemoryMb) throws IOException {
    if (maxMemoryMb < 1) {
      throw new IllegalArgumentException("maxMemoryMb must be positive, got " + maxMemoryMb);
    }
    RedisServer server =
        RedisServer.newRedisServer()
            .port(port)
            .bind("127.0.0.1")
            .setting("save \"\"")
            .setting("appendonly no")
            .setting("maxmemory " + maxMemoryMb + "mb")
            .setting("maxmemory-policy allkeys-lru")
            .onShutdownForceStop(false) // the owner stops it, after its clients
            .build();
    server.start();
    LOG.info("Redis listening on localhost:{}", port);
    return new EmbeddedRedis(server, port);
  }

  public int port() {
    return port;
  }

  /** A redis:// URL for clients. */
  public String url() {
    return "redis://localhost:" + port;
  }

  @Override
  public void close() throws IOException {
    server.stop();
  }
}
