package io.sysmonstm.analytics.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.analytics.testing.Rescale;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SequenceGateTest {
  static final long WITHIN = 120_000;

  static SequenceSignal first(String rule, String host, String series, long ts, long within) {
    return new SequenceSignal(
        rule,
        host,
        series,
        SequenceSignal.FIRST,
        ts,
        0.95,
        within,
        "warning",
        0.9,
        "memory on " + host,
        "{}",
        false);
  }

  static SequenceSignal first(String host, long ts) {
    return first("r", host, "mem", ts, WITHIN);
  }

  static SequenceSignal then(String rule, String host, String series, long ts, double v, long w) {
    return new SequenceSignal(
        rule, host, series, SequenceSignal.THEN, ts, v, w, "", 0.9, "", "", false);
  }

  static SequenceSignal then(String host, long ts) {
    return then("r", host, "paging", ts, 0.5, WITHIN);
  }

  static OneInputStreamOperatorTestHarness<SequenceSignal, SequenceSignal> harness()
      throws Exception {
    return harness(SequenceGate.DEFAULT_MAX_WAITING);
  }

  static OneInputStreamOperatorTestHarness<SequenceSignal, SequenceSignal> harness(int maxWaiting)
      throws Exception {
    var h = new OneInputStreamOperatorTestHarness<>(new SequenceGate(maxWaiting));
    h.open();
    return h;
  }

  static OneInputStreamOperatorTestHarness<SequenceSignal, SequenceSignal> harness(
      OperatorSubtaskState restored, int maxParallelism, int parallelism, int subtask)
      throws Exception {
    var h =
        new OneInputStreamOperatorTestHarness<>(
            new SequenceGate(), maxParallelism, parallelism, subtask);
    h.initializeState(restored);
    h.open();
    return h;
  }

  static void send(
      OneInputStreamOperatorTestHarness<SequenceSignal, SequenceSignal> h, SequenceSignal s)
      throws Exception {
    h.processElement(s, s.ts());
  }

  /** The output so far as lines: "FIRST a 1000", "THEN a 5000", "watermark 10000". */
  static List<String> drain(OneInputStreamOperatorTestHarness<SequenceSignal, SequenceSignal> h) {
    List<String> lines = new ArrayList<>();
    Object o;
    while ((o = h.getOutput().poll()) != null) {
      if (o instanceof Watermark w) {
        lines.add("watermark " + w.getTimestamp());
      } else {
        @SuppressWarnings("unchecked")
        StreamRecord<SequenceSignal> r = (StreamRecord<SequenceSignal>) o;
        SequenceSignal s = r.getValue();
        assertThat(r.getTimestamp()).as("record timestamp of " + s).isEqualTo(s.ts());
        String kind = s.kind() == SequenceSignal.FIRST ? "FIRST" : "THEN";
        lines.add(kind + " " + s.hostId() + " " + s.ts());
      }
    }
    return lines;
  }

  @Test
  void aThenNoFirstReachesIsDroppedWhenTheWatermarkPassesIt() throws Exception {
    try (var h = harness()) {
      send(h, then("a", 5_000));
      assertThat(drain(h)).as("waits: a FIRST may still come").isEmpty();
      h.processWatermark(4_999);
      assertThat(drain(h)).containsExactly("watermark 4999");
      h.processWatermark(5_000);
      assertThat(drain(h)).containsExactly("watermark 5000");
      h.processWatermark(400_000);
      assertThat(drain(h)).as("dropped, not released later").containsExactly("watermark 400000");
    }
  }

  @Test
  void aThenAKnownFirstReachesGoesAtOnce() throws Exception {
    try (var h = harness()) {
      send(h, first("a", 1_000));
      send(h, then("a", 2_000));
      send(h, then("a", 1_000)); // the same instant: CEP takes the FIRST before it
      send(h, then("a", 1_000 + WITHIN)); // within is inclusive
      assertThat(drain(h))
          .containsExactly("FIRST a 1000", "THEN a 2000", "THEN a 1000", "THEN a 121000");
      send(h, then("a", 1_001 + WITHIN));
      send(h, then("a", 999)); // before the FIRST
      h.processWatermark(200_000);
      assertThat(drain(h)).as("out of reach: dropped").containsExactly("watermark 200000");
    }
  }

  @Test
  void aFirstArrivingOutOfOrderReleasesTheThensItReachesBeforeTheWatermark() throws Exception {
    try (var h = harness()) {
      send(h, then("a", 5_000));
      send(h, then("a", 200_000));
      send(h, first("a", 4_000)); // from a snapshot that arrived late, still on time
      assertThat(drain(h)).containsExactly("FIRST a 4000");
      h.processWatermark(10_000);
      assertThat(drain(h))
          .as("released before the watermark, so CEP takes it as on time")
          .containsExactly("THEN a 5000", "watermark 10000");
      h.processWatermark(300_000);
      assertThat(drain(h))
          .as("200000 is beyond the FIRST's reach (124000)")
          .containsExactly("watermark 300000");
    }
  }

  @Test
  void beyondMaxWaitingTheEarliestThenGoesOnUndecided() throws Exception {
    try (var h = harness(2)) {
      send(h, then("a", 6_000));
      send(h, then("a", 5_000));
      assertThat(drain(h)).isEmpty();
      send(h, then("a", 7_000));
      assertThat(drain(h))
          .as("the earliest, still ahead of the watermark")
          .containsExactly("THEN a 5000");
      h.processWatermark(10_000);
      assertThat(drain(h)).containsExactly("watermark 10000");
    }
  }

  @Test
  void aFirstReachesOnlyThensOfItsRuleAndHost() throws Exception {
    try (var h = harness()) {
      send(h, first("a", 1_000));
      send(h, then("b", 2_000));
      send(h, then("other", "a", "paging", 2_000, 0.5, WITHIN));
      h.processWatermark(10_000);
      assertThat(drain(h)).containsExactly("FIRST a 1000", "watermark 10000");
    }
  }

  @Test
  void observationsAtOrBehindTheWatermarkAreLate() throws Exception {
    try (var h = harness()) {
      h.processWatermark(10_000);
      send(h, first("a", 9_000));
      send(h, then("a", 9_500));
      send(h, first("a", 10_000));
      send(h, first("a", 10_001));
      send(h, then("a", 10_000));
      h.processWatermark(20_000);
      assertThat(drain(h))
          .as("only the FIRST after the watermark goes; a late FIRST reaches nothing")
          .containsExactly("watermark 10000", "FIRST a 10001", "watermark 20000");
    }
  }

  @Test
  void aCheckpointKeepsTheWaitingThensAndTheFirstsInReach() throws Exception {
    OperatorSubtaskState checkpoint;
    try (var h = harness()) {
      send(h, then("a", 5_000));
      send(h, first("b", 1_000));
      send(h, first("c", 1_000));
      h.processWatermark(2_000);
      send(h, then("c", 3_000));
      drain(h);
      checkpoint = h.snapshot(1, 1);
    }
    try (var h = harness(checkpoint, 128, 1, 0)) {
      send(h, first("a", 4_000));
      send(h, then("b", 50_000));
      h.processWatermark(10_000);
      assertThat(drain(h))
          .containsExactly("FIRST a 4000", "THEN b 50000", "THEN a 5000", "watermark 10000");
    }
  }

  @Test
  void onARescaleEachSubtaskRestoresTheThensOfTheHostsItOwns() throws Exception {
    List<String> hosts = List.of("a", "b", "c", "d", "e", "f", "g", "h");
    OperatorSubtaskState checkpoint;
    try (var h = harness()) {
      for (String host : hosts) {
        send(h, then(host, 5_000));
      }
      checkpoint = h.snapshot(1, 1);
    }
    Rescale.eachHostRestoredByItsOwner(
        checkpoint,
        3,
        hosts,
        (part, subtask) -> {
          List<String> restored = new ArrayList<>();
          try (var h = harness(part, Rescale.MAX_PARALLELISM, 3, subtask)) {
            for (String host : hosts) {
              send(h, first(host, 1_000));
            }
            h.processWatermark(10_000);
            for (String line : drain(h)) {
              if (line.startsWith("THEN")) {
                restored.add(line.split(" ")[1]);
              }
            }
          }
          return restored;
        });
  }

  // ---- the gate changes nothing CEP matches ----

  /** One step of the input: an observation, or a watermark (when {@code signal} is null). */
  record Step(SequenceSignal signal, long watermark) {
    @Override
    public String toString() {
      return signal == null
          ? "watermark " + watermark
          : (signal.kind() == SequenceSignal.FIRST ? "FIRST " : "THEN ")
              + signal.ruleId()
              + "/"
              + signal.hostId()
              + "/"
              + signal.series()
              + " "
              + signal.ts()
              + " "
              + signal.value();
    }
  }

  /**
   * For any observations (two rules with different {@code within}, two hosts, several series, same
   * instants, out of order, late) and any watermarks, CEP behind the gate emits exactly the matches
   * CEP emits on everything, in the same order for each (rule, host); also when THENs go on
   * undecided because too many wait.
   */
  @Property(tries = 300)
  void cepBehindTheGateMatchesAsCepOnEverything(
      @ForAll("steps") @Size(min = 10, max = 120) List<Step> relative,
      @ForAll("maxWaiting") int maxWaiting)
      throws Exception {
    List<Step> steps = absolute(relative);
    Map<String, List<String>> direct;
    Map<String, List<String>> gated;
    try (var cep = cep()) {
      for (Step s : steps) {
        if (s.signal() == null) {
          cep.processWatermark(s.watermark());
        } else {
          cep.processElement(s.signal(), s.signal().ts());
        }
      }
      cep.processWatermark(Long.MAX_VALUE);
      direct = matches(cep);
    }
    try (var gate = harness(maxWaiting);
        var cep = cep()) {
      for (Step s : steps) {
        if (s.signal() == null) {
          gate.processWatermark(s.watermark());
        } else {
          gate.processElement(s.signal(), s.signal().ts());
        }
        pass(gate, cep);
      }
      gate.processWatermark(Long.MAX_VALUE);
      pass(gate, cep);
      gated = matches(cep);
    }
    assertThat(gated).isEqualTo(direct);
    // the property would hold trivially on inputs that never match: most must match
    Statistics.label("matches").collect(direct.isEmpty() ? "none" : "some");
    Statistics.label("matches").coverage(c -> c.check("some").percentage(p -> p >= 70));
  }

  @Provide
  Arbitrary<Integer> maxWaiting() {
    return Arbitraries.of(1, 3, SequenceGate.DEFAULT_MAX_WAITING);
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<SequenceSignal> signal =
        Combinators.combine(
                Arbitraries.of("r", "q"),
                Arbitraries.of("a", "b"),
                Arbitraries.of("s1", "s2"),
                Arbitraries.integers().between(-2, 8),
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 2))
            .as(
                (rule, host, series, t, v, kind) -> {
                  long ts = t * 5_000L;
                  long within = rule.equals("r") ? 30_000 : 10_000;
                  return kind == 0
                      ? first(rule, host, series, ts, within)
                      : then(rule, host, series, ts, v / 4.0, within);
                });
    Arbitrary<Step> step =
        Arbitraries.frequencyOf(
            Tuple.of(5, signal.map(s -> new Step(s, 0))),
            Tuple.of(
                1, Arbitraries.integers().between(0, 20).map(t -> new Step(null, t * 1_000L))));
    return step.list();
  }

  /**
   * The generated steps are relative, so that most observations are on time and a few late: an
   * observation's time is counted from the watermark, a watermark step is an advance.
   */
  static List<Step> absolute(List<Step> relative) {
    List<Step> steps = new ArrayList<>();
    long base = 0;
    for (Step s : relative) {
      if (s.signal() == null) {
        base += s.watermark();
        steps.add(new Step(null, base));
      } else {
        SequenceSignal r = s.signal();
        steps.add(new Step(r.as(r.kind(), r.series(), base + r.ts(), r.value()), 0));
      }
    }
    return steps;
  }

  static KeyedOneInputStreamOperatorTestHarness<String, SequenceSignal, SequenceSignal> cep()
      throws Exception {
    CepOperator<SequenceSignal, String, SequenceSignal> op =
        new CepOperator<>(
            TypeInformation.of(SequenceSignal.class).createSerializer(new SerializerConfigImpl()),
            false,
            NFACompiler.compileFactory(SequencePattern.pattern(), false),
            SequencePattern.ORDER,
            SequencePattern.pattern().getAfterMatchSkipStrategy(),
            new SequencePattern.Matched(),
            null);
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            op, new AlertPipeline.RuleHost(), Types.STRING);
    h.open();
    return h;
  }

  static void pass(
      OneInputStreamOperatorTestHarness<SequenceSignal, SequenceSignal> gate,
      KeyedOneInputStreamOperatorTestHarness<String, SequenceSignal, SequenceSignal> cep)
      throws Exception {
    Object o;
    while ((o = gate.getOutput().poll()) != null) {
      if (o instanceof Watermark w) {
        cep.processWatermark(w);
      } else {
        @SuppressWarnings("unchecked")
        StreamRecord<SequenceSignal> r = (StreamRecord<SequenceSignal>) o;
        cep.processElement(r);
      }
    }
  }

  /**
   * The matches per (rule, host), in the order CEP emitted them (across keys the order is CEP's
   * timer order, which nothing downstream depends on: it is keyed by (rule, host) again).
   */
  static Map<String, List<String>> matches(
      KeyedOneInputStreamOperatorTestHarness<String, SequenceSignal, SequenceSignal> cep) {
    Map<String, List<String>> out = new TreeMap<>();
    for (Object o : cep.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        SequenceSignal m = (SequenceSignal) r.getValue();
        out.computeIfAbsent(m.ruleId() + "/" + m.hostId(), k -> new ArrayList<>())
            .add(m.series() + " " + m.ts() + " " + m.value() + " " + m.summary());
      }
    }
    return out;
  }
}
