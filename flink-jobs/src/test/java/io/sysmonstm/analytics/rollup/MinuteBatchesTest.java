package io.sysmonstm.analytics.rollup;

import static io.sysmonstm.analytics.testing.Snapshots.CPU;
import static io.sysmonstm.analytics.testing.Snapshots.MEM;
import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.sample;
import static io.sysmonstm.analytics.testing.Snapshots.snap;
import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import io.sysmonstm.analytics.testing.Rescale;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

class MinuteBatchesTest {
  static final OutputTag<HostSnapshot> LATE =
      new OutputTag<>("late", TypeInformation.of(HostSnapshot.class));
  static final long MINUTE = 60_000;
  static final long M0 = T0.toEpochMilli();

  static OneInputStreamOperatorTestHarness<HostSnapshot, MinuteBatch> harness(int maxBuffered)
      throws Exception {
    OneInputStreamOperatorTestHarness<HostSnapshot, MinuteBatch> h =
        new OneInputStreamOperatorTestHarness<>(
            new MinuteBatches(Duration.ofMinutes(1), Duration.ofMinutes(5), maxBuffered, LATE));
    h.open();
    return h;
  }

  static OneInputStreamOperatorTestHarness<HostSnapshot, MinuteBatch> harness(
      int maxBuffered,
      OperatorSubtaskState restored,
      int maxParallelism,
      int parallelism,
      int subtask)
      throws Exception {
    OneInputStreamOperatorTestHarness<HostSnapshot, MinuteBatch> h =
        new OneInputStreamOperatorTestHarness<>(
            new MinuteBatches(Duration.ofMinutes(1), Duration.ofMinutes(5), maxBuffered, LATE),
            maxParallelism,
            parallelism,
            subtask);
    h.initializeState(restored);
    h.open();
    return h;
  }

  static void send(OneInputStreamOperatorTestHarness<HostSnapshot, MinuteBatch> h, HostSnapshot s)
      throws Exception {
    h.processElement(s, s.timestampMs());
  }

  static HostSnapshot at(String host, long ms, double cpu) {
    return snap(host, ms, T0.plusMillis(ms), sample(CPU, cpu));
  }

  /** Output as "batch host [timestamps]" and "wm N" lines, in order. */
  static List<String> drain(OneInputStreamOperatorTestHarness<HostSnapshot, MinuteBatch> h) {
    List<String> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof Watermark w) {
        out.add("wm " + (w.getTimestamp() - M0));
      } else {
        @SuppressWarnings("unchecked")
        StreamRecord<MinuteBatch> r = (StreamRecord<MinuteBatch>) o;
        MinuteBatch b = r.getValue();
        List<Long> ts = new ArrayList<>();
        for (long t : b.timestamps) {
          ts.add(t - M0);
        }
        long anyTs = b.size() > 0 ? b.maxTimestamp() : r.getTimestamp();
        long start = TimeWindow.getWindowStartWithOffset(anyTs, 0, MINUTE);
        TimeWindow window = new TimeWindow(start, start + MINUTE);
        if (MinuteCloseTrigger.closes(r.getTimestamp(), window)) {
          out.add("close " + b.hostId + " " + ts);
        } else {
          assertThat(r.getTimestamp())
              .as("record timestamp of a batch that does not close its window")
              .isEqualTo(Math.min(b.maxTimestamp(), window.maxTimestamp() - 1));
          out.add("batch " + b.hostId + " " + ts);
        }
      }
    }
    h.getOutput().clear();
    return out;
  }

  @Test
  void aWindowsBatchesGoOutJustBeforeTheWatermarkThatClosesIt() throws Exception {
    try (var h = harness(1000)) {
      send(h, at("a", 1_000, 0.1));
      send(h, at("b", 2_000, 0.2));
      send(h, at("a", 3_000, 0.3));
      send(h, at("a", MINUTE + 1_000, 0.4)); // next minute
      h.processWatermark(M0 + MINUTE - 2);
      assertThat(drain(h)).as("the minute is still open").containsExactly("wm " + (MINUTE - 2));

      h.processWatermark(M0 + MINUTE - 1);
      assertThat(drain(h))
          .containsExactlyInAnyOrder(
              "close a [1000, 3000]", "close b [2000]", "wm " + (MINUTE - 1));
      assertThat(drain(h)).isEmpty();

      h.processWatermark(M0 + 2 * MINUTE - 1);
      assertThat(drain(h)).containsExactly("close a [61000]", "wm " + (2 * MINUTE - 1));
    }
  }

  @Test
  void theWatermarkComesAfterTheBatchesItCloses() throws Exception {
    try (var h = harness(1000)) {
      send(h, at("a", 1_000, 0.1));
      h.processWatermark(M0 + 10 * MINUTE);
      assertThat(drain(h)).containsExactly("close a [1000]", "wm " + 10 * MINUTE);
    }
  }

  @Test
  void openBatchesAreKeptInCheckpointsNotFlushedIntoThem() throws Exception {
    OperatorSubtaskState checkpoint;
    try (var h = harness(1000)) {
      send(h, at("a", 1_000, 0.1));
      send(h, at("a", MINUTE + 1_000, 0.2));
      h.prepareSnapshotPreBarrier(1);
      checkpoint = h.snapshot(1, 1);
      assertThat(drain(h)).as("a checkpoint emits nothing").isEmpty();
    }
    try (var h = harness(1000, checkpoint, 128, 1, 0)) {
      send(h, at("a", 2_000, 0.3));
      h.processWatermark(M0 + 2 * MINUTE);
      assertThat(drain(h))
          .as("restored batches continue, in arrival order")
          .containsExactly("close a [1000, 2000]", "close a [61000]", "wm " + 2 * MINUTE);
    }
  }

  /**
   * Before {@link MinuteBatchCodec} the open batches were union state "open-batches", one POJO per
   * batch (the shared-instance type had the POJO serializer's bytes and snapshot): such a
   * checkpoint restores, and its batches are then kept once, in the encoded state only.
   */
  @Test
  void openBatchesCheckpointedAsPojosBeforeTheCodecRestoreOnce() throws Exception {
    OperatorSubtaskState before;
    try (var h = new OneInputStreamOperatorTestHarness<>(new KeepsPojoBatches())) {
      h.open();
      h.processElement(MinuteBatch.of(at("a", 1_000, 0.1)), 1_000);
      h.processElement(MinuteBatch.of(at("b", 1_500, 0.2)), 1_500);
      before = h.snapshot(1, 1);
    }
    OperatorSubtaskState after;
    try (var h = harness(1000, before, 128, 1, 0)) {
      send(h, at("a", 2_000, 0.3));
      after = h.snapshot(2, 2);
      h.processWatermark(M0 + MINUTE);
      assertThat(drain(h))
          .containsExactlyInAnyOrder("close a [1000, 2000]", "close b [1500]", "wm " + MINUTE);
    }
    try (var h = harness(1000, after, 128, 1, 0)) {
      h.processWatermark(M0 + MINUTE);
      assertThat(drain(h))
          .as("restored from the encoded state alone, each batch once")
          .containsExactlyInAnyOrder("close a [1000, 2000]", "close b [1500]", "wm " + MINUTE);
    }
  }

  /** Keeps its input in union state "open-batches" of the plain POJO type. */
  static final class KeepsPojoBatches extends AbstractStreamOperator<MinuteBatch>
      implements OneInputStreamOperator<MinuteBatch, MinuteBatch> {
    private transient ListState<MinuteBatch> kept;

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
      super.initializeState(context);
      kept =
          context
              .getOperatorStateStore()
              .getUnionListState(new ListStateDescriptor<>("open-batches", MinuteBatch.class));
    }

    @Override
    public void processElement(StreamRecord<MinuteBatch> element) throws Exception {
      kept.add(element.getValue());
    }
  }

  @Test
  void onARescaleEachSubtaskRestoresTheBatchesOfTheHostsItOwns() throws Exception {
    List<String> hosts = List.of("a", "b", "c", "d", "e", "f", "g", "h");
    OperatorSubtaskState checkpoint;
    try (var h = harness(1000)) {
      for (String host : hosts) {
        send(h, at(host, 1_000, 0.1));
      }
      checkpoint = h.snapshot(1, 1);
    }
    Rescale.eachHostRestoredByItsOwner(
        checkpoint,
        3,
        hosts,
        (part, subtask) -> {
          List<String> restored = new ArrayList<>();
          try (var h = harness(1000, part, Rescale.MAX_PARALLELISM, 3, subtask)) {
            h.processWatermark(M0 + MINUTE);
            for (String line : drain(h)) {
              if (line.startsWith("close")) {
                restored.add(line.split(" ")[1]);
              }
            }
          }
          return restored;
        });
  }

  /**
   * A minute that closes for more hosts than a step goes a step per mailbox action (a processing
   * time timer), the watermark after the last step; a checkpoint taken in between keeps the batches
   * not yet sent.
   */
  @Test
  void aMinuteClosesAStepOfHostsAtATimeAndTheWatermarkFollowsTheLast() throws Exception {
    OperatorSubtaskState midClose;
    try (var h =
        new OneInputStreamOperatorTestHarness<>(
            new MinuteBatches(Duration.ofMinutes(1), Duration.ofMinutes(5), 1000, 2, LATE))) {
      h.setProcessingTime(0);
      h.open();
      for (String host : List.of("a", "b", "c", "d", "e")) {
        send(h, at(host, 1_000, 0.1));
      }
      h.processWatermark(M0 + MINUTE - 1);
      List<String> first = drain(h);
      assertThat(first).hasSize(2).allMatch(line -> line.startsWith("close"));

      midClose = h.snapshot(1, 1);
      // the next step is due as long after a step as the step took: far less than a minute
      h.setProcessingTime(60_000);
      List<String> second = drain(h);
      assertThat(second).hasSize(2).allMatch(line -> line.startsWith("close"));
      h.setProcessingTime(120_000);
      List<String> third = drain(h);
      assertThat(third).hasSize(2).endsWith("wm " + (MINUTE - 1));

      List<String> all = new ArrayList<>(first);
      all.addAll(second);
      all.addAll(third);
      assertThat(all)
          .containsExactlyInAnyOrder(
              "close a [1000]",
              "close b [1000]",
              "close c [1000]",
              "close d [1000]",
              "close e [1000]",
              "wm " + (MINUTE - 1));
    }
    try (var h = harness(1000, midClose, 128, 1, 0)) {
      h.processWatermark(M0 + MINUTE - 1);
      assertThat(drain(h))
          .as("the three hosts not sent at the checkpoint")
          .hasSize(4)
          .endsWith("wm " + (MINUTE - 1));
    }
  }

  /**
   * A full buffer goes a step of hosts at a time too; a checkpoint between two steps keeps the
   * batches not sent yet, and the hosts sent close their minute with an empty batch.
   */
  @Test
  void aFullBufferGoesAStepOfHostsAtATime() throws Exception {
    OperatorSubtaskState midFlush;
    try (var h =
        new OneInputStreamOperatorTestHarness<>(
            new MinuteBatches(Duration.ofMinutes(1), Duration.ofMinutes(5), 5, 2, LATE))) {
      h.setProcessingTime(0);
      h.open();
      for (String host : List.of("a", "b", "c", "d")) {
        send(h, at(host, 1_000, 0.1));
      }
      assertThat(drain(h)).isEmpty();
      send(h, at("e", 1_000, 0.1));
      List<String> first = drain(h);
      assertThat(first).hasSize(2).allMatch(line -> line.startsWith("batch"));

      midFlush = h.snapshot(1, 1);
      send(h, at("a", 2_000, 0.2));
      h.setProcessingTime(60_000);
      List<String> second = drain(h);
      assertThat(second).hasSize(2).allMatch(line -> line.startsWith("batch"));
      h.setProcessingTime(120_000);
      List<String> third = drain(h);
      assertThat(third).hasSize(1).allMatch(line -> line.startsWith("batch"));
      List<String> all = new ArrayList<>(first);
      all.addAll(second);
      all.addAll(third);
      assertThat(all)
          .containsExactlyInAnyOrder(
              "batch a [1000]",
              "batch b [1000]",
              "batch c [1000]",
              "batch d [1000]",
              "batch e [1000]");

      h.processWatermark(M0 + MINUTE - 1);
      h.setProcessingTime(180_000);
      h.setProcessingTime(240_000);
      assertThat(drain(h))
          .containsExactlyInAnyOrder(
              "close a [2000]",
              "close b []",
              "close c []",
              "close d []",
              "close e []",
              "wm " + (MINUTE - 1));
    }
    try (var h = harness(1000, midFlush, 128, 1, 0)) {
      h.processWatermark(M0 + MINUTE - 1);
      assertThat(drain(h))
          .as("the three batches not sent at the checkpoint close the minute")
          .hasSize(4)
          .allMatch(line -> line.matches("close [a-e] \\[1000\\]|wm " + (MINUTE - 1)))
          .endsWith("wm " + (MINUTE - 1));
    }
  }

  /**
   * Batches queued in steps keep their order: a full buffer during a close goes after the closing
   * batches queued before it, so a host's late snapshots reach its window after its closing batch.
   */
  @Test
  void aFullBufferDuringACloseGoesAfterTheClosingBatches() throws Exception {
    try (var h =
        new OneInputStreamOperatorTestHarness<>(
            new MinuteBatches(Duration.ofMinutes(1), Duration.ofMinutes(5), 4, 1, LATE))) {
      h.setProcessingTime(0);
      h.open();
      send(h, at("a", 1_000, 0.1));
      send(h, at("b", 1_000, 0.1));
      h.processWatermark(M0 + MINUTE - 1);
      assertThat(drain(h)).containsExactly("close a [1000]");
      send(h, at("b", 2_000, 0.2)); // late, inside the lateness
      send(h, at("c", MINUTE + 1_000, 0.3));
      send(h, at("d", MINUTE + 1_000, 0.4)); // four held: the buffer is full
      List<String> out = new ArrayList<>(drain(h));
      for (long t = 1; t <= 4; t++) {
        h.setProcessingTime(t * 60_000);
        out.addAll(drain(h));
      }
      assertThat(out)
          .containsExactly(
              "close b [1000]",
              "batch b [2000]",
              "batch c [61000]",
              "batch d [61000]",
              "wm " + (MINUTE - 1));
    }
  }

  /** A host whose batches all went early (buffer full) still closes its minute, empty. */
  @Test
  void aHostWhoseBatchesWentEarlyGetsAnEmptyClosingBatch() throws Exception {
    try (var h = harness(2)) {
      send(h, at("a", 1_000, 0.1));
      send(h, at("b", 1_000, 0.2));
      assertThat(drain(h)).containsExactlyInAnyOrder("batch a [1000]", "batch b [1000]");
      send(h, at("a", 2_000, 0.3));
      h.processWatermark(M0 + MINUTE - 1);
      assertThat(drain(h))
          .containsExactlyInAnyOrder("close a [2000]", "close b []", "wm " + (MINUTE - 1));
      h.processWatermark(M0 + 2 * MINUTE - 1);
      assertThat(drain(h)).as("closed once").containsExactly("wm " + (2 * MINUTE - 1));
    }
  }

  @Test
  void everyBatchGoesOutAtTheEndOfTheInput() throws Exception {
    try (var h = harness(1000)) {
      send(h, at("a", 1_000, 0.1));
      h.endInput();
      assertThat(drain(h)).containsExactly("batch a [1000]");
    }
  }

  @Test
  void allBatchesGoOutWhenTheBufferIsFull() throws Exception {
    try (var h = harness(3)) {
      send(h, at("a", 1_000, 0.1));
      send(h, at("b", 1_000, 0.1));
      assertThat(drain(h)).isEmpty();
      send(h, at("a", 2_000, 0.2));
      assertThat(drain(h)).containsExactlyInAnyOrder("batch a [1000, 2000]", "batch b [1000]");
      send(h, at("a", 3_000, 0.3));
      send(h, at("a", 4_000, 0.3));
      assertThat(drain(h)).as("counting restarted").isEmpty();
      send(h, at("b", 4_000, 0.3));
      assertThat(drain(h)).containsExactlyInAnyOrder("batch a [3000, 4000]", "batch b [4000]");
    }
  }

  @Test
  void lateSnapshotsInsideTheLatenessAreBatchedForTheNextWatermark() throws Exception {
    try (var h = harness(1000)) {
      h.processWatermark(M0 + 3 * MINUTE);
      drain(h);
      send(h, at("a", 1_000, 0.1)); // its minute closed 3 minutes ago, lateness is 5
      send(h, at("a", 2_000, 0.2));
      assertThat(drain(h)).isEmpty();
      h.processWatermark(M0 + 3 * MINUTE + 1);
      assertThat(drain(h)).containsExactly("close a [1000, 2000]", "wm " + (3 * MINUTE + 1));
      assertThat(h.getSideOutput(LATE)).isNull();
    }
  }

  @Test
  void lateSnapshotsDoNotWaitLongerThanASecondForAWatermark() throws Exception {
    try (var h = harness(1000)) {
      h.setProcessingTime(0);
      h.processWatermark(M0 + 3 * MINUTE);
      drain(h);
      send(h, at("a", 1_000, 0.1));
      send(h, at("a", 3 * MINUTE + 5_000, 0.1)); // on time: its minute is open
      h.setProcessingTime(MinuteBatches.LATE_FLUSH_MS - 1);
      assertThat(drain(h)).isEmpty();
      h.setProcessingTime(MinuteBatches.LATE_FLUSH_MS);
      assertThat(drain(h)).as("only the closed minute").containsExactly("close a [1000]");
      send(h, at("a", 2_000, 0.2));
      h.setProcessingTime(2 * MinuteBatches.LATE_FLUSH_MS);
      assertThat(drain(h)).as("armed again").containsExactly("close a [2000]");
    }
  }

  @Test
  void snapshotsBeyondTheLatenessGoToTheSideOutputAsTheWindowWouldDecide() throws Exception {
    try (var h = harness(1000)) {
      // minute [0, 60 s): max timestamp 59,999 + 5 min lateness = cleanup at 359,999
      h.processWatermark(M0 + 6 * MINUTE - 2);
      send(h, at("a", 1_000, 0.1));
      h.processWatermark(M0 + 6 * MINUTE - 1);
      send(h, at("a", 2_000, 0.2));
      assertThat(drain(h))
          .containsExactly("wm " + (6 * MINUTE - 2), "close a [1000]", "wm " + (6 * MINUTE - 1));
      assertThat(h.getSideOutput(LATE))
          .extracting(r -> r.getValue().timestampMs() - M0)
          .containsExactly(2_000L);
    }
  }

  /**
   * The window's statistics do not depend on how the snapshots were cut into batches: the same as
   * adding them one by one, floating-point sums included (they are added in the same order).
   */
  @Property(tries = 200)
  void batchingDoesNotChangeTheRollup(
      @ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = -1e6, max = 1e6) Double> values,
      @ForAll @Size(max = 6) List<@IntRange(min = 1, max = 39) Integer> cuts) {
    List<HostSnapshot> snapshots = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      List<Sample> samples = new ArrayList<>();
      samples.add(sample(CPU, values.get(i)));
      if (i % 3 != 1) {
        samples.add(sample(MEM, values.get(values.size() - 1 - i) / 7));
      }
      if (i % 4 == 2) {
        samples.add(sample(CPU, Map.of("cpu", Integer.toString(i % 2)), values.get(i) * 3));
      }
      // timestamps out of order, with ties, inside one minute
      long ms = (i * 7919L) % 50_000 / 1000 * 1000;
      snapshots.add(
          new HostSnapshot(
              "a",
              "run-" + (i / 10),
              i + 1,
              M0 + ms,
              snap("a", T0).facts(),
              samples.toArray(Sample[]::new)));
    }
    MinuteAggregate agg = new MinuteAggregate();
    HostWindow oneByOne = agg.createAccumulator();
    snapshots.forEach(s -> agg.add(MinuteBatch.of(s), oneByOne));

    HostWindow batched = agg.createAccumulator();
    MinuteBatch.Builder b = new MinuteBatch.Builder("a");
    for (int i = 0; i < snapshots.size(); i++) {
      if (cuts.contains(i) && b.size() > 0) {
        agg.add(b.build(), batched);
        b = new MinuteBatch.Builder("a");
      }
      b.add(snapshots.get(i));
    }
    agg.add(b.build(), batched);

    assertThat(batched.toRollup(M0)).isEqualTo(oneByOne.toRollup(M0));
  }
}
