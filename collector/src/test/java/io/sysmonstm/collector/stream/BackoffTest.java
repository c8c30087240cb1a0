package io.sysmonstm.collector.stream;

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
}
