package io.sysmonstm.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class BreachPlanTest {

  // 100 hosts, 1 in 10 breaching for 30 ticks then calm for 30, from tick 15, 126 ticks in all
  static final BreachPlan PLAN = new BreachPlan(100, 10, 15, 30, 30, 126);

  @Test
  void everyTenthHostBreachesAndEachBreachIsWholeInsideTheRun() {
    List<BreachPlan.Breach> all = PLAN.all();

    assertThat(PLAN.breachingHosts()).isEqualTo(10);
    assertThat(all).extracting(BreachPlan.Breach::host).allMatch(h -> h % 10 == 0);
    for (BreachPlan.Breach b : all) {
      assertThat(b.firstTick()).isGreaterThanOrEqualTo(15);
      assertThat(b.recoverTick()).isEqualTo(b.firstTick() + 30).isLessThan(126);
      assertThat(PLAN.breaching(b.host(), b.firstTick() - 1)).isFalse();
      for (long k = b.firstTick(); k < b.recoverTick(); k++) {
        assertThat(PLAN.breaching(b.host(), k)).isTrue();
      }
      assertThat(PLAN.breaching(b.host(), b.recoverTick())).isFalse();
    }
  }

  @Test
  void breachingSamplesAreExactlyThoseOfThePlannedBreaches() {
    long planned = PLAN.all().stream().mapToLong(b -> b.recoverTick() - b.firstTick()).sum();
    long breaching = 0;
    for (int h = 0; h < 100; h++) {
      for (long k = 0; k < 126; k++) {
        if (PLAN.breaching(h, k)) {
          breaching++;
          assertThat(h % 10).isZero();
        }
      }
    }
    assertThat(breaching).isEqualTo(planned);
  }

  @Test
  void breachesBeginAllThroughTheCycleNotAtOnce() {
    Set<Long> firstStarts = new TreeSet<>();
    for (BreachPlan.Breach b : PLAN.all()) {
      if (b.firstTick() < 15 + 60) {
        firstStarts.add(b.firstTick());
      }
    }
    // ten hosts spread over a 60-tick cycle: one every 6 ticks
    assertThat(firstStarts).containsExactly(15L, 21L, 27L, 33L, 39L, 45L, 51L, 57L, 63L, 69L);
  }

  @Test
  void aBreachThatWouldOutlastTheRunDoesNotHappen() {
    BreachPlan plan = new BreachPlan(1, 1, 0, 30, 30, 89);

    assertThat(plan.all()).containsExactly(new BreachPlan.Breach(0, 0, 30));
    assertThat(plan.breaching(0, 60)).as("the second breach would end at 90").isFalse();
  }

  @Test
  void durationsAreRoundedUpToWholeTicks() {
    BreachPlan plan =
        BreachPlan.of(
            50,
            5,
            Duration.ofSeconds(15),
            Duration.ofMillis(30_500),
            Duration.ofSeconds(30),
            Duration.ofSeconds(1),
            126);

    assertThat(plan).isEqualTo(new BreachPlan(50, 5, 15, 31, 30, 126));
  }
}
