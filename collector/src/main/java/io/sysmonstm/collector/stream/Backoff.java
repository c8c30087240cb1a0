package io.sysmonstm.collector.stream;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: after {@code n} failures in a row the delay is uniform in
 * [0, min(max, initial × 2^n)] (AWS Architecture Blog, "Exponential Backoff And Jitter").
 */
public final class Backoff {
  /** First ceiling of a reconnect delay. */
  public static final Duration INITIAL = Duration.ofMillis(500);

  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier jitter;

  /**
   * @param jitter values in [0, 1]; random in production, fixed in tests
   */
  public Backoff(Duration initial, Duration max, DoubleSupplier jitter) {
    this.initial = Objects.requireNonNull(initial, "initial");
    this.max = Objects.requireNonNull(max, "max");
    this.jitter = Objects.requireNonNull(jitter, "jitter");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max, got " + initial + " and " + max);
    }
  }

  /** Starts at 500 ms, capped at {@code max}, random jitter. */
  public static Backoff upTo(Duration max) {
    Duration initial = max.compareTo(INITIAL) < 0 ? max : INITIAL;
    return new Backoff(initial, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  public Duration max() {
    return max;
  }

  /** The delay before the next attempt after {@code failures} failures in a row (0 or more). */
  public Duration delay(int failures) {
    long ceiling = initial.toMillis();
    for (int i = 0; i < failures && ceiling < max.toMillis(); i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, max.toMillis());
    double j = Math.max(0.0, Math.min(1.0, jitter.getAsDouble()));
    return Duration.ofMillis(Math.round(j * ceiling));
  }
}
