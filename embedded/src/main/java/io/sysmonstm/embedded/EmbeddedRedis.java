package io.sysmonstm.embedded;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/** A real Redis server as a child process (binary shipped in a Maven artifact). */
public final class EmbeddedRedis implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);

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

  /** Starts Redis on {@code localhost:port}, in memory only (no RDB or AOF files). */
  public static EmbeddedRedis start(int port) throws IOException {
    RedisServer server =
        RedisServer.newRedisServer()
            .port(port)
            .bind("127.0.0.1")
            .setting("save \"\"")
            .setting("appendonly no")
            .setting("maxmemory 256mb")
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
