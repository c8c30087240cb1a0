package io.sysmonstm.analytics;

import java.util.function.LongSupplier;

/**
 * Lets a warning about a condition that can repeat on every record through at most once an
 * interval, and counts the occurrences in between so the next warning can say how many there were:
 *
 * <pre>{@code
 * lateWarnings.count();
 * if (lateWarnings.due()) {
 *   LOG.warn("... {} such snapshot(s) since the last warning ...", lateWarnings.takeCount());
 * }
 * }</pre>
 *
 * <p>The first call of {@link #due()} is due at once. Not thread-safe and not state to checkpoint:
 * one per task or writer thread (or guarded by the lock of the state it warns about), created when
 * the function opens or the writer is built, never serialized with a function ({@code transient}).
 * Calls allocate nothing.
 */
public final class LogThrottle {
  private static final long MINUTE_MS = 60_000;

  private final long intervalMs;
  private final LongSupplier clockMs;
  private boolean warned;
  private long lastDueMs;
  private long count;

  /** Due at most once every {@code intervalMs} milliseconds of {@code clockMs}. */
  public LogThrottle(long intervalMs, LongSupplier clockMs) {
    if (intervalMs <= 0) {
      throw new IllegalArgumentException("intervalMs must be positive: " + intervalMs);
    }
    this.intervalMs = intervalMs;
    this.clockMs = clockMs;
  }

  /** Due at most once a minute of wall-clock time. */
  public static LogThrottle everyMinute() {
    return new LogThrottle(MINUTE_MS, System::currentTimeMillis);
  }

  /** Counts one occurrence of the condition, for {@link #takeCount()}. */
  public void count() {
    count++;
  }

  /**
   * Whether to log now: true on the first call and then once at least the interval has passed since
   * the last call that returned true.
   */
  public boolean due() {
    long now = clockMs.getAsLong();
    if (warned && now - lastDueMs < intervalMs) {
      return false;
    }
    warned = true;
    lastDueMs = now;
    return true;
  }

  /** The occurrences {@link #count() counted} since the last call of this method, then zero. */
  public long takeCount() {
    long n = count;
    count = 0;
    return n;
  }
}
