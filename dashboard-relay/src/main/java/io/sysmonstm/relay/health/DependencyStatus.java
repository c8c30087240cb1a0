package io.sysmonstm.relay.health;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a dependency (Redis, PostgreSQL) answered the last time the relay asked. Logs one line
 * when it goes down and one when it comes back, never one per failed request.
 */
public final class DependencyStatus {
  private static final Logger LOG = LoggerFactory.getLogger(DependencyStatus.class);

  private final String name;
  private final AtomicBoolean up = new AtomicBoolean(true);

  public DependencyStatus(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public boolean isUp() {
    return up.get();
  }

  public void markUp() {
    if (up.compareAndSet(false, true)) {
      LOG.info("{} answers again; requests that need it are served again", name);
    }
  }

  public void markDown(Throwable cause) {
    if (up.compareAndSet(true, false)) {
      LOG.warn(
          "{} does not answer ({}); requests that need it get 503 until it is back",
          name,
          describe(cause));
    }
  }

  /** A one-line description of a failure: its message's first line, or its type. */
  public static String describe(Throwable t) {
    Throwable e = t;
    while (e.getCause() != null
        && e.getCause() != e
        && (e.getMessage() == null || e.getMessage().isBlank())) {
      e = e.getCause();
    }
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return (nl >= 0 ? m.substring(0, nl) : m).trim();
  }
}
