package io.sysmonstm.analytics.rollup;

import static io.sysmonstm.analytics.testing.Snapshots.CPU;
import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.sample;
import static io.sysmonstm.analytics.testing.Snapshots.snap;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The minute window with its real operator, state and timers, fed as {@link MinuteBatches} does.
 */
class MinuteCloseTriggerTest {
  static final long MINUTE = 60_000;
  static final long M0 = T0.toEpochMilli();
  static final long CLOSE = M0 + MINUTE - 1; // the window's max timestamp

  static KeyedOneInputStreamOperatorTestHarness<String, MinuteBatch, HostRollup> window(
      Trigger<? super MinuteBatch, ? super TimeWindow> trigger, OperatorSubtaskState restored)
      throws Exception {
    WindowOperatorBuilder<MinuteBatch, String, TimeWindow> b =
        new WindowOperatorBuilder<>(
            TumblingEventTimeWindows.of(Duration.ofMinutes(1)),
            trigger,
            new ExecutionConfig(),
            TypeInformation.of(MinuteBatch.class),
            batch -> batch.hostId,
            Types.STRING);
    b.allowedLateness(Duration.ofMinutes(5));
    OneInputStreamOperator<MinuteBatch, HostRollup> op =
        b.aggregate(new MinuteAggregate(), new StampBucket(), TypeInformation.of(HostWindow.class));
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(op, (MinuteBatch m) -> m.hostId, Types.STRING);
    if (restored != null) {
      h.initializeState(restored);
    }
    h.open();
    return h;
  }

  static MinuteBatch batch(String host, long... seconds) {
    MinuteBatch.Builder b = new MinuteBatch.Builder(host);
    for (long s : seconds) {
      b.add(snap(host, T0.plusSeconds(s), sample(CPU, s / 100.0)));
    }
    return b.build();
  }

  /** Rollups fired so far, as "host count", and watermarks as "wm"; clears the output. */
  static List<String> fired(KeyedOneInputStreamOperatorTestHarness<String, MinuteBatch, ?> h) {
    List<String> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof Watermark) {
        out.add("wm");
      } else if (o instanceof StreamRecord<?> r && r.getValue() instanceof HostRollup rollup) {
        out.add(rollup.hostId() + " " + rollup.series()[0].count());
      }
    }
    h.getOutput().clear();
    return out;
  }

  @Test
  void aClosingBatchFiresAtOnceAndTheWatermarkThenFiresNothing() throws Exception {
    try (var h = window(new MinuteCloseTrigger(), null)) {
      h.processElement(batch("a", 1, 2), M0 + 2_000);
      assertThat(fired(h)).isEmpty();
      h.processElement(batch("a", 3), CLOSE);
      h.processElement(MinuteBatch.empty("b"), CLOSE); // b had nothing: no window to fire
      assertThat(fired(h)).containsExactly("a 3");
      h.processWatermark(CLOSE);
      assertThat(fired(h)).containsExactly("wm");
    }
  }

  @Test
  void aBatchAfterTheCloseFiresTheWindowAgainAtTheWatermark() throws Exception {
    try (var h = window(new MinuteCloseTrigger(), null)) {
      h.processElement(batch("a", 1), CLOSE);
      assertThat(fired(h)).containsExactly("a 1");
      h.processElement(batch("a", 2), M0 + 2_000);
      assertThat(fired(h)).isEmpty();
      h.processWatermark(CLOSE);
      assertThat(fired(h)).containsExactly("a 2", "wm");
    }
  }

  @Test
  void withoutAClosingBatchTheWatermarkFiresAndALateBatchFiresAtOnce() throws Exception {
    try (var h = window(new MinuteCloseTrigger(), null)) {
      h.processElement(batch("a", 1), M0 + 1_000);
      h.processWatermark(CLOSE);
      assertThat(fired(h)).containsExactly("a 1", "wm");
      h.processElement(batch("a", 2), M0 + 2_000); // late, inside the lateness
      assertThat(fired(h)).containsExactly("a 2");
      h.processElement(batch("a", 3), CLOSE); // late and closing: fires once, as any late batch
      assertThat(fired(h)).containsExactly("a 3");
    }
  }

  /** A window in a savepoint of the job before this trigger fires when the watermark reaches it. */
  @Test
  void windowsOfASavepointTakenWithTheEventTimeTriggerStillFire() throws Exception {
    OperatorSubtaskState before;
    try (var h = window(EventTimeTrigger.create(), null)) {
      h.processElement(batch("a", 1, 2), M0 + 2_000);
      before = h.snapshot(1, 1);
    }
    try (var h = window(new MinuteCloseTrigger(), before)) {
      h.processWatermark(CLOSE);
      assertThat(fired(h)).containsExactly("a 2", "wm");
    }
  }
}
