package io.sysmonstm.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis (a child process, about 0.1 s to start) for a test class: started before its first
 * test, stopped after its last, so no class sees another's keys.
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback {
  private volatile EmbeddedRedis redis;

  @Override
  public void beforeAll(ExtensionContext context) {
    try {
      redis = EmbeddedRedis.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (redis != null) {
      redis.close();
      redis = null;
    }
  }

  /** The server (started in {@code beforeAll}). */
  public EmbeddedRedis redis() {
    EmbeddedRedis r = redis;
    if (r == null) {
      throw new IllegalStateException(
          "Redis is not started: register RedisExtension with @RegisterExtension on a static field");
    }
    return r;
  }

  /** {@code redis://localhost:<port>}. */
  public String url() {
    return redis().url();
  }

  public int port() {
    return redis().port();
  }
}
