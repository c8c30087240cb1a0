package io.sysmonstm.analytics.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.analytics.series.SeriesKey;
import io.sysmonstm.analytics.snapshot.HostFacts;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every rule fixture of {@code src/test/resources/alert-fixtures} through the job's real rule
 * evaluation operator ({@link EvaluateRules}, with keyed and broadcast state) and the pipeline-lag
 * operator, driving event time, the watermark and the processing-time clock step by step: no
 * sleeps, the same result on every run. See {@link AlertFixture} for the format.
 */
class AlertFixturesTest {
  static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
  static final Duration RETRO_AFTER = Duration.ofMinutes(2);
  static final Duration PIPELINE_LAG = Duration.ofSeconds(30);

  @TestFactory
  Stream<DynamicTest> fixtures() throws IOException, URISyntaxException {
    Path dir = Path.of(getClass().getResource("/alert-fixtures").toURI());
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(10);
    return files.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.getFileName().toString(),
                    () -> {
                      AlertFixture fx = AlertFixture.read(f);
                      assertThat(run(fx)).as(fx.name()).containsExactlyElementsOf(fx.expect());
                    }));
  }

  /** A scripted view of Kafka's lag: lagging inside the fixture's ranges. */
  record ScriptedHealth(List<long[]> ranges) implements PipelineHealth {
    @Override
    public Optional<String> lagging(long nowMs) {
      for (long[] r : ranges) {
        if (nowMs >= AlertFixture.EPOCH + r[0] && nowMs < AlertFixture.EPOCH + r[1]) {
          return Optional.of("scripted Kafka lag");
        }
      }
      return Optional.empty();
    }
  }

  /** One thing that happens at a processing time. */
  record Step(long procMs, int order, HostSnapshot snapshot, AlertFixture.Update update) {}

  static List<String> run(AlertFixture fx) throws Exception {
    EvaluateRules fn =
        new EvaluateRules(fx.rules(), RETRO_AFTER, PIPELINE_LAG, new ScriptedHealth(fx.lagging()));
    KeySelector<HostSnapshot, String> byHost = HostSnapshot::hostId;
    List<String> out = new ArrayList<>();
    try (KeyedBroadcastOperatorTestHarness<String, HostSnapshot, RuleUpdate, AlertEvent> h =
            ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                fn, byHost, Types.STRING, EvaluateRules.RULES);
        KeyedOneInputStreamOperatorTestHarness<String, LagSignal, AlertEvent> lag =
            ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new PipelineLagAlerts(), s -> "pipeline", Types.STRING)) {
      h.open();
      lag.open();
      // as the job's rules source does: the rules input never holds the watermark back
      h.processBroadcastWatermark(Long.MAX_VALUE);
      long maxTs = Long.MIN_VALUE;
      long lastProc = AlertFixture.EPOCH;
      for (Step step : steps(fx)) {
        h.setProcessingTime(step.procMs());
        lastProc = step.procMs();
        if (step.update() != null) {
          h.processBroadcastElement(
              new RuleUpdate(step.update().ruleId(), step.update().json()), step.procMs());
        } else {
          HostSnapshot s = step.snapshot();
          h.processElement(s, s.timestampMs());
          if (s.timestampMs() > maxTs) {
            maxTs = s.timestampMs();
            h.processWatermark(new Watermark(maxTs - OUT_OF_ORDERNESS.toMillis()));
          }
        }
        drain(h, lag, out);
      }
      long until =
          fx.until()
              .map(d -> AlertFixture.EPOCH + d.toMillis())
              .orElse(lastProc + fx.interval().toMillis());
      // the clock runs on in small steps, so every timer sees the time it was set for
      for (long t = lastProc + 1000; t <= until; t += 1000) {
        h.setProcessingTime(t);
        drain(h, lag, out);
      }
    }
    return out;
  }

  private static void drain(
      KeyedBroadcastOperatorTestHarness<String, HostSnapshot, RuleUpdate, AlertEvent> h,
      KeyedOneInputStreamOperatorTestHarness<String, LagSignal, AlertEvent> lag,
      List<String> out)
      throws Exception {
    for (AlertEvent e : h.extractOutputValues()) {
      out.add(render(e));
    }
    h.getOutput().clear();
    var signals = h.getSideOutput(EvaluateRules.LAG);
    if (signals != null) {
      for (StreamRecord<LagSignal> s : new ArrayList<>(signals)) {
        lag.processElement(s.getValue(), s.getValue().atMs());
      }
      signals.clear();
    }
    for (AlertEvent e : lag.extractOutputValues()) {
      out.add(render(e));
    }
    lag.getOutput().clear();
  }

  static String render(AlertEvent e) {
    long at = (e.firing() ? e.startsAtMs() : e.endsAtMs()) - AlertFixture.EPOCH;
    return AlertFixture.line(
        e.state(), e.ruleId(), e.hostId(), e.series(), at, e.value(), e.retro());
  }

  /** Snapshots (one per host and event time, with every series of the host at that time). */
  static List<Step> steps(AlertFixture fx) {
    Map<String, Map<Long, List<Sample>>> byHost = new TreeMap<>();
    Map<String, Map<Long, Long>> arrival = new TreeMap<>();
    for (AlertFixture.Series s : fx.series()) {
      for (int i = 0; i < s.values().size(); i++) {
        Double v = s.values().get(i);
        if (v == null) {
          continue;
        }
        long ts = AlertFixture.EPOCH + s.startMs() + i * fx.interval().toMillis();
        byHost
            .computeIfAbsent(s.host(), k -> new TreeMap<>())
            .computeIfAbsent(ts, k -> new ArrayList<>())
            .add(new Sample(s.metric(), SeriesKey.canonicalAttrs(s.attrs()), v));
        arrival
            .computeIfAbsent(s.host(), k -> new TreeMap<>())
            .merge(ts, ts + s.arriveMs(), Math::max);
      }
    }
    List<Step> steps = new ArrayList<>();
    int order = 0;
    for (var host : byHost.entrySet()) {
      long seq = 0;
      for (var at : host.getValue().entrySet()) {
        HostSnapshot snap =
            new HostSnapshot(
                host.getKey(),
                "run-1",
                ++seq,
                at.getKey(),
                HostFacts.UNKNOWN,
                at.getValue().toArray(Sample[]::new));
        steps.add(new Step(arrival.get(host.getKey()).get(at.getKey()), order++, snap, null));
      }
    }
    for (AlertFixture.Update u : fx.updates()) {
      steps.add(new Step(AlertFixture.EPOCH + u.atMs(), order++, null, u));
    }
    steps.sort(
        Comparator.comparingLong(Step::procMs)
            .thenComparingLong(
                s -> s.snapshot() == null ? Long.MIN_VALUE : s.snapshot().timestampMs())
            .thenComparingInt(Step::order));
    return steps;
  }
}
