package io.sysmonstm.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: after {@code n} failures in a row the ceiling is min(max,
 * initial × 2^n), and the delay is the ceiling times a random factor. Two kinds of jitter:
 *
 * <ul>
 *   <li>full, the factor uniform in [0, 1] (AWS Architecture Blog, "Exponential Backoff And
 *       Jitter"): many clients of one server (a fleet of collectors and its ingress) spread their
 *       reconnects over the whole interval;
 *   <li>±20 %, the factor uniform in [0.8, 1.2]: one client of its server (the relay and its Redis)
 *       waits about the ceiling, never next to nothing.
 * </ul>
 *
 * <p>A caller may count failures itself ({@link #delay(int)}) or let the backoff count them ({@link
 * #nextDelayMs()}, {@link #attempts()}, {@link #reset()}); a backoff that counts is used by one
 * thread (or one event loop).
 */
public final class Backoff {
  /** First ceiling of a reconnect delay with {@link #upTo}. */
  public static final Duration INITIAL = Duration.ofMillis(500);

  private final Duration initial;
  private final Duration max;
  private final double lowestFactor;
  private final double highestFactor;
  private final DoubleSupplier jitter;
  private int attempts;

  /**
   * Full jitter.
   *
   * @param jitter values in [0, 1] (others are clamped); random in production, fixed in tests
   */
  public Backoff(Duration initial, Duration max, DoubleSupplier jitter) {
    this(initial, max, 0.0, 1.0, jitter);
  }

  /** ±20 % jitter, random. */
  public Backoff(Duration initial, Duration max) {
    this(initial, max, 0.8, 1.2, Backoff::random);
  }

  /** The factor is {@code lowestFactor + (highestFactor - lowestFactor) × jitter}. */
  Backoff(
      Duration initial,
      Duration max,
      double lowestFactor,
      double highestFactor,
      DoubleSupplier jitter) {
    this.initial = Objects.requireNonNull(initial, "initial");
    this.max = Objects.requireNonNull(max, "max");
    this.jitter = Objects.requireNonNull(jitter, "jitter");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max, got " + initial + " and " + max);
    }
    this.lowestFactor = lowestFactor;
    this.highestFactor = highestFactor;
  }

  /** Full jitter, starting at 500 ms ({@link #INITIAL}) or {@code max} if lower. */
  public static Backoff upTo(Duration max) {
    Duration initial = max.compareTo(INITIAL) < 0 ? max : INITIAL;
    return new Backoff(initial, max, Backoff::random);
  }

  private static double random() {
    return ThreadLocalRandom.current().nextDouble();
  }

  /** The highest ceiling (a ±20 % jitter may wait up to 1.2 times this). */
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
    long ms = Math.round((lowestFactor + (highestFactor - lowestFactor) * j) * ceiling);
    // a jitter that never reaches 0 never gives a delay of 0 either
    return Duration.ofMillis(lowestFactor > 0 ? Math.max(1, ms) : ms);
  }

  /** The delay before the next attempt, in milliseconds; counts the attempt. */
  public long nextDelayMs() {
    return delay(attempts++).toMillis();
  }

  /** Attempts counted by {@link #nextDelayMs()} since the last {@link #reset()}. */
  public int attempts() {
    return attempts;
  }

  /** Starts over from the first delay (after a success). */
  public void reset() {
    attempts = 0;
  }
}
