package io.sysmonstm.relay.live;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: initial, doubling up to max, each delay ±20 %. */
final class Backoff {
  private final long initialMs;
  private final long maxMs;
  private int attempts;

  Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max");
    }
    this.initialMs = initial.toMillis();
    this.maxMs = max.toMillis();
  }

  /** The delay before the next attempt; counts the attempt. */
  long nextDelayMs() {
    long base = initialMs << Math.min(attempts, 20);
    attempts++;
    long capped = Math.min(base, maxMs);
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Math.max(1, Math.round(capped * jitter));
  }

  int attempts() {
    return attempts;
  }

  void reset() {
    attempts = 0;
  }
}
