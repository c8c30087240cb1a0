package io.sysmonstm.analytics;

import java.util.concurrent.ThreadFactory;

/**
 * Threads the job's operators start beside the task thread (background writers, pollers): daemon
 * threads, so a task that is cancelled without closing them never keeps the JVM alive, named so
 * they show in thread dumps and in the bench's CPU per thread.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A factory of daemon threads named {@code name}. */
  public static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
