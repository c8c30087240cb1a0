package io.sysmonstm.analytics.alert;

import static io.sysmonstm.analytics.testing.Snapshots.CPU;
import static io.sysmonstm.analytics.testing.Snapshots.MEM;
import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.sample;
import static io.sysmonstm.analytics.testing.Snapshots.snap;
import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.analytics.AnalyticsJob;
import io.sysmonstm.analytics.JobConfig;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.testing.CollectingSink;
import io.sysmonstm.analytics.testing.TestFlink;
import io.sysmonstm.config.Settings;
import io.sysmonstm.rules.RuleCodec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The alert branch inside the whole job on a mini-cluster at parallelism 2: a threshold rule and a
 * sequence rule (matched by Flink CEP in event time) over a bounded input.
 */
class AlertPipelineTest {
  @RegisterExtension static final MiniClusterExtension FLINK = TestFlink.cluster(2);

  static final String PAGING = "system.paging.utilization";

  static Instant sec(int s) {
    return T0.plusSeconds(s);
  }

  @Test
  @Timeout(120) // a failing task restarts forever; fail instead of hanging
  void thresholdAndSequenceRulesFireAndResolveOnce() throws Exception {
    JobConfig cfg =
        JobConfig.from(
            Settings.parse(
                new String[] {
                  "--state-backend", "hashmap",
                  "--parallelism", "2",
                  // the data is from 2025: its watermark trails the clock by a year, not a lag
                  "--pipeline-lag", "3650d"
                },
                Map.of()));
    List<HostSnapshot> input =
        List.of(
            // web-1: memory high, then paging rising 20 s later: the sequence fires at 20s
            snap("web-1", sec(0), sample(MEM, 0.95), sample(PAGING, 0.1), sample(CPU, 0.99)),
            snap("web-1", sec(10), sample(MEM, 0.95), sample(PAGING, 0.1), sample(CPU, 0.5)),
            snap("web-1", sec(20), sample(MEM, 0.95), sample(PAGING, 0.2), sample(CPU, 0.5)),
            // memory back to normal: resolved at 30s (paging still rising: no new firing)
            snap("web-1", sec(30), sample(MEM, 0.5), sample(PAGING, 0.3), sample(CPU, 0.5)),
            // high again, paging rising again: a second firing
            snap("web-1", sec(40), sample(MEM, 0.96), sample(PAGING, 0.3), sample(CPU, 0.5)),
            snap("web-1", sec(50), sample(MEM, 0.96), sample(PAGING, 0.4), sample(CPU, 0.5)),
            // web-2: memory high once, paging rises only 3 minutes later: no sequence
            snap("web-2", sec(0), sample(MEM, 0.95), sample(PAGING, 0.1)),
            snap("web-2", sec(10), sample(MEM, 0.5), sample(PAGING, 0.1)),
            snap("web-2", sec(190), sample(MEM, 0.5), sample(PAGING, 0.5)),
            snap("web-2", sec(600), sample(MEM, 0.5), sample(PAGING, 0.5)));
    CollectingSink<AlertEvent> alerts = new CollectingSink<>();

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    AnalyticsJob.configure(env, cfg);
    AnalyticsJob.builder(cfg)
        .input(
            (e, watermarks) ->
                e.fromData(input, TypeInformation.of(HostSnapshot.class))
                    .assignTimestampsAndWatermarks(watermarks))
        .liveSink(new DiscardingSink<>())
        .samplesSink(new DiscardingSink<>())
        .rollup1mSink(new DiscardingSink<>())
        .rollup1hSink(new DiscardingSink<>())
        .hostsSink(new DiscardingSink<>())
        .rules(
            RuleCodec.parseAll(
                """
                [{"id": "cpu-high", "metric": "system.cpu.utilization", "op": ">",
                  "threshold": 0.9},
                 {"id": "mem-then-swap", "kind": "sequence", "metric": "system.memory.utilization",
                  "op": ">", "threshold": 0.9,
                  "then": {"metric": "system.paging.utilization", "op": "rising"},
                  "within": "2m", "severity": "critical", "labels": {"team": "db"},
                  "summary": "Memory on {{host}} at {{value}}, then paging rose"}]
                """),
            null)
        .alertSink(alerts)
        .build()
        .build(env);
    env.execute("alerts");

    assertThat(alerts.values().stream().map(AlertPipelineTest::line).toList())
        .containsExactlyInAnyOrder(
            "firing cpu-high web-1 system.cpu.utilization at 0s value 0.99",
            "resolved cpu-high web-1 system.cpu.utilization at 10s value 0.5",
            "firing mem-then-swap web-1 system.memory.utilization at 20s value 0.2",
            "resolved mem-then-swap web-1 system.memory.utilization at 30s value 0.5",
            "firing mem-then-swap web-1 system.memory.utilization at 50s value 0.4");
    assertThat(alerts.values())
        .allSatisfy(a -> assertThat(a.retro()).as("data from 2025 is back-fill").isTrue());
    // the second step's observations carry no text: a sequence alert's comes from its first step
    assertThat(alerts.values())
        .filteredOn(a -> a.ruleId().equals("mem-then-swap"))
        .hasSize(3)
        .allSatisfy(
            a -> {
              assertThat(a.summary()).matches("Memory on web-1 at 0\\.9[56], then paging rose");
              assertThat(a.severity()).isEqualTo("critical");
              assertThat(a.labels()).contains("\"team\"", "\"db\"");
            });
  }

  static String line(AlertEvent a) {
    long at = (a.firing() ? a.startsAtMs() : a.endsAtMs()) - T0.toEpochMilli();
    return a.state()
        + " "
        + a.ruleId()
        + " "
        + a.hostId()
        + " "
        + a.series()
        + " at "
        + at / 1000
        + "s value "
        + a.value();
  }
}
