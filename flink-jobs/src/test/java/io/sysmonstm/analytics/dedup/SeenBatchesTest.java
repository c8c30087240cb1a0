package io.sysmonstm.analytics.dedup;

import static io.sysmonstm.analytics.dedup.SeenBatches.Verdict.DUPLICATE;
import static io.sysmonstm.analytics.dedup.SeenBatches.Verdict.NEW;
import static io.sysmonstm.analytics.dedup.SeenBatches.Verdict.NEW_FORGOT_OLDEST;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenBatchesTest {
  final SeenBatches seen = new SeenBatches();

  @Test
  void snapshotsOfTheOpenBatchPassOnceEach() {
    assertThat(seen.accept(7, 1_000)).isEqualTo(NEW);
    assertThat(seen.accept(7, 2_000)).isEqualTo(NEW);
    // batch 7 sent again right away
    assertThat(seen.accept(7, 1_000)).isEqualTo(DUPLICATE);
    assertThat(seen.accept(7, 2_000)).isEqualTo(DUPLICATE);
  }

  @Test
  void aCompleteBatchIsRecognisedBySeqAlone() {
    seen.accept(1, 1_000);
    seen.accept(1, 2_000);
    seen.accept(2, 3_000);

    assertThat(seen.accept(1, 1_000)).isEqualTo(DUPLICATE);
    assertThat(seen.accept(1, 2_000)).isEqualTo(DUPLICATE);
    assertThat(seen.accept(2, 3_000)).isEqualTo(DUPLICATE);
    assertThat(seen.accept(3, 4_000)).isEqualTo(NEW);
  }

  @Test
  void aBatchThatOvertookAnotherOpensAGapThatClosesWhenTheMissingOneArrives() {
    for (long seq = 1; seq <= 5; seq++) {
      seen.accept(seq, seq * 1_000);
    }
    // 6 was not acked in time; 7 and 8 go through first, then 6 is sent
    seen.accept(7, 7_000);
    seen.accept(8, 8_000);
    assertThat(seen.accept(6, 6_000)).isEqualTo(NEW);
    seen.accept(9, 9_000);

    assertThat(seen.rangeCount()).isEqualTo(1);
    assertThat(seen.ranges).containsExactly(1, 8);
    for (long seq = 1; seq <= 9; seq++) {
      assertThat(seen.accept(seq, seq * 1_000)).as("seq %d", seq).isEqualTo(DUPLICATE);
    }
  }

  @Test
  void aRunThatStartsLateOrJumpsIsFine() {
    seen.accept(1_000_000, 1);
    seen.accept(1_000_001, 2);
    seen.accept(5, 3);
    seen.accept(1_000_002, 4);

    assertThat(seen.ranges).containsExactly(5, 5, 1_000_000, 1_000_001);
    assertThat(seen.accept(5, 3)).isEqualTo(DUPLICATE);
    assertThat(seen.accept(6, 3)).isEqualTo(NEW);
  }

  @Test
  void tooManyGapsForgetTheOldestRangesSoTheStateStaysBounded() {
    SeenBatches.Verdict last = null;
    // every other seq: each batch is its own range
    for (long seq = 0; seq <= 2 * (SeenBatches.MAX_RANGES + 1); seq += 2) {
      last = seen.accept(seq, seq);
    }

    assertThat(last).isEqualTo(NEW_FORGOT_OLDEST);
    assertThat(seen.rangeCount()).isEqualTo(SeenBatches.MAX_RANGES);
    assertThat(seen.accept(0, 0)).as("forgotten").isNotEqualTo(DUPLICATE);
  }
}
