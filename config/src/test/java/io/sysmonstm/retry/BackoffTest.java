package io.sysmonstm.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration MAX = Duration.ofSeconds(30);

  @Test
  void ceilingDoublesFrom500msUpToTheCap() {
    Backoff b = new Backoff(Backoff.INITIAL, MAX, () -> 1.0);

    assertThat(IntStream.rangeClosed(0, 8).mapToLong(n -> b.delay(n).toMillis()).toArray())
        .containsExactly(500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000);
    assertThat(b.delay(10_000)).isEqualTo(MAX);
  }

  @Test
  void fullJitterPicksAnywhereBetweenZeroAndTheCeiling() {
    assertThat(new Backoff(Backoff.INITIAL, MAX, () -> 0.0).delay(5)).isZero();
    assertThat(new Backoff(Backoff.INITIAL, MAX, () -> 0.5).delay(2))
        .isEqualTo(Duration.ofSeconds(1));
    Backoff random = Backoff.upTo(MAX);
    var delays = IntStream.range(0, 200).mapToObj(i -> random.delay(3)).toList();
    assertThat(delays)
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(4)));
    assertThat(delays.stream().distinct().count())
        .as("jitter spreads reconnects")
        .isGreaterThan(10);
  }

  @Test
  void aCapBelowTheFirstStepIsTheCeilingFromTheStart() {
    assertThat(Backoff.upTo(Duration.ofMillis(200)).delay(0))
        .isLessThanOrEqualTo(Duration.ofMillis(200));
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 1.0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void plusMinus20PercentStaysAroundTheCeiling() {
    Backoff low = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10), 0.8, 1.2, () -> 0.0);
    Backoff high = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10), 0.8, 1.2, () -> 1.0);

    assertThat(IntStream.rangeClosed(0, 7).mapToLong(n -> low.delay(n).toMillis()).toArray())
        .containsExactly(200, 400, 800, 1_600, 3_200, 6_400, 8_000, 8_000);
    assertThat(IntStream.rangeClosed(0, 7).mapToLong(n -> high.delay(n).toMillis()).toArray())
        .containsExactly(300, 600, 1_200, 2_400, 4_800, 9_600, 12_000, 12_000);
    Backoff random = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10));
    var delays = IntStream.range(0, 200).mapToObj(i -> random.delay(2)).toList();
    assertThat(delays)
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(800), Duration.ofMillis(1_200)));
    assertThat(delays.stream().distinct().count())
        .as("jitter spreads reconnects")
        .isGreaterThan(10);
  }

  @Test
  void aCountingBackoffDoublesPerAttemptAndStartsOverAfterReset() {
    Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10), 0.8, 1.2, () -> 0.5);

    assertThat(IntStream.range(0, 8).mapToLong(i -> b.nextDelayMs()).toArray())
        .containsExactly(250, 500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000);
    assertThat(b.attempts()).isEqualTo(8);
    b.reset();
    assertThat(b.attempts()).isZero();
    assertThat(b.nextDelayMs()).isEqualTo(250);
  }

  @Test
  void aJitterThatNeverReachesZeroNeverWaitsZero() {
    assertThat(
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 0.4, 1.2, () -> 0.0).delay(0))
        .isEqualTo(Duration.ofMillis(1));
  }
}
