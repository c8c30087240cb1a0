package io.sysmonstm.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogThrottleTest {
  private static final long T0 = 1_700_000_000_000L;

  private long nowMs = T0;
  private final LogThrottle throttle = new LogThrottle(60_000, () -> nowMs);

  @Test
  void firstOccurrenceIsDueAtOnce() {
    assertThat(throttle.due()).isTrue();
  }

  @Test
  void firstOccurrenceIsDueEvenAtClockZero() {
    nowMs = 0;
    assertThat(throttle.due()).isTrue();
    assertThat(throttle.due()).isFalse();
  }

  @Test
  void suppressedWithinTheIntervalAndDueAgainOnceItHasPassed() {
    assertThat(throttle.due()).isTrue();
    nowMs = T0 + 1;
    assertThat(throttle.due()).isFalse();
    nowMs = T0 + 59_999;
    assertThat(throttle.due()).isFalse();
    nowMs = T0 + 60_000;
    assertThat(throttle.due()).isTrue();
    // the interval runs from the last warning, not from the first
    nowMs = T0 + 119_999;
    assertThat(throttle.due()).isFalse();
    nowMs = T0 + 120_000;
    assertThat(throttle.due()).isTrue();
  }

  @Test
  void suppressedCallsDoNotPushTheNextWarningBack() {
    assertThat(throttle.due()).isTrue();
    for (long t = T0 + 1_000; t < T0 + 60_000; t += 1_000) {
      nowMs = t;
      assertThat(throttle.due()).isFalse();
    }
    nowMs = T0 + 60_000;
    assertThat(throttle.due()).isTrue();
  }

  @Test
  void takeCountReturnsTheOccurrencesSinceTheLastWarningAndResets() {
    assertThat(throttle.takeCount()).isZero();

    throttle.count();
    assertThat(throttle.due()).isTrue();
    assertThat(throttle.takeCount()).isEqualTo(1);

    for (int i = 0; i < 5; i++) {
      nowMs += 10_000;
      throttle.count();
      assertThat(throttle.due()).isFalse();
    }
    nowMs += 10_000;
    throttle.count();
    assertThat(throttle.due()).isTrue();
    assertThat(throttle.takeCount()).isEqualTo(6);
    assertThat(throttle.takeCount()).isZero();
  }

  @Test
  void everyMinuteIsDueAtOnceOnTheWallClock() {
    LogThrottle wall = LogThrottle.everyMinute();
    assertThat(wall.due()).isTrue();
    assertThat(wall.due()).isFalse();
  }

  @Test
  void rejectsANonPositiveInterval() {
    assertThatThrownBy(() -> new LogThrottle(0, () -> nowMs))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
