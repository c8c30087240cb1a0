package io.sysmonstm.analytics;

import static io.sysmonstm.analytics.testing.Snapshots.CPU;
import static io.sysmonstm.analytics.testing.Snapshots.MEM;
import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.cpu;
import static io.sysmonstm.analytics.testing.Snapshots.sample;
import static io.sysmonstm.analytics.testing.Snapshots.snap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.sysmonstm.analytics.raw.SampleRow;
import io.sysmonstm.analytics.raw.SnapshotRow;
import io.sysmonstm.analytics.rollup.HostRow;
import io.sysmonstm.analytics.rollup.RollupRow;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.testing.CollectingSink;
import io.sysmonstm.analytics.testing.GatedSource;
import io.sysmonstm.analytics.testing.TestFlink;
import io.sysmonstm.config.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole topology on a mini-cluster at parallelism 2, fed from a bounded, ordered input in two
 * phases: on-time data that moves the watermark past the first hour, then late data.
 */
class AnalyticsPipelineTest {
  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = TestFlink.cluster(2, METRICS);

  static final Map<String, String> CPU0 = Map.of("cpu", "0");
  static final String CPU0_ATTRS = "{\"cpu\":\"0\"}";

  final CollectingSink<HostSnapshot> live = new CollectingSink<>();
  final CollectingSink<SnapshotRow> samples = new CollectingSink<>();
  final CollectingSink<RollupRow> rollup1m = new CollectingSink<>();
  final CollectingSink<RollupRow> rollup1h = new CollectingSink<>();
  final CollectingSink<HostRow> hosts = new CollectingSink<>();
  final CollectingSink<SampleRow> late = new CollectingSink<>();

  static Instant t(Duration d) {
    return T0.plus(d);
  }

  static Instant sec(int s) {
    return T0.plusSeconds(s);
  }

  static Instant min(int m, int s) {
    return T0.plusSeconds(m * 60L + s);
  }

  // phase 1: on time (web-1 at T0+20s arrives after web-2 at T0+30s, within the 5 s bound of its
  // window still being open); the last snapshot moves the watermark to ~T0+62m55s
  final List<HostSnapshot> onTime =
      List.of(
          snap("web-1", sec(10), sample(CPU, 0.2), sample(CPU, CPU0, 0.1), sample(MEM, 0.5)),
          cpu("web-2", sec(30), 0.7),
          snap("web-1", sec(20), sample(CPU, 0.4), sample(CPU, CPU0, 0.3)),
          cpu("web-1", sec(50), 0.3),
          // the batch of web-1 at T0+20s sent again (its ack was lost): dropped, not counted twice
          snap("web-1", sec(20), sample(CPU, 0.4), sample(CPU, CPU0, 0.3)),
          cpu("web-1", sec(70), 0.9),
          cpu("web-1", min(8, 10), 0.1),
          cpu("web-2", min(59, 30), 0.6),
          cpu("web-2", min(63, 0), 0.2));

  // phase 2, after the first hour has fired
  final HostSnapshot lateWithinLateness = cpu("web-2", min(59, 45), 0.4);
  final HostSnapshot lateBeyondLateness = cpu("web-1", sec(30), 0.99);

  @Test
  void rollsUpMinutesAndHoursExactlyAndHandlesLateData() throws Exception {
    JobConfig cfg =
        JobConfig.from(
            Settings.parse(
                new String[] {
                  "--allowed-lateness", "5m",
                  "--out-of-orderness", "5s",
                  "--state-backend", "hashmap",
                  "--parallelism", "2"
                },
                Map.of()));
    GatedSource input = new GatedSource(onTime, List.of(lateWithinLateness, lateBeyondLateness));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    AnalyticsJob.configure(env, cfg);
    AnalyticsJob.builder(cfg)
        .input(
            (e, watermarks) ->
                e.fromSource(input.source(), watermarks, "test-snapshots").setParallelism(1))
        .liveSink(live)
        .samplesSink(samples)
        .rollup1mSink(rollup1m)
        .rollup1hSink(rollup1h)
        .hostsSink(hosts)
        .lateSink(late)
        .build()
        .build(env);

    JobClient job = env.executeAsync(AnalyticsJob.NAME);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> emissions(rollup1h.values(), "web-2", CPU, "{}", T0).size() == 1);
    input.open();
    job.getJobExecutionResult().get(60, TimeUnit.SECONDS);

    Map<List<Object>, RollupRow> minutes = upserted(rollup1m.values());
    assertThat(minutes).hasSize(8);
    assertRow(minutes, "web-1", CPU, "{}", sec(0), 3, 0.9, 0.2, 0.4, 0.3, sec(50));
    assertRow(minutes, "web-1", CPU, CPU0_ATTRS, sec(0), 2, 0.4, 0.1, 0.3, 0.3, sec(20));
    assertRow(minutes, "web-1", MEM, "{}", sec(0), 1, 0.5, 0.5, 0.5, 0.5, sec(10));
    assertRow(minutes, "web-1", CPU, "{}", min(1, 0), 1, 0.9, 0.9, 0.9, 0.9, sec(70));
    assertRow(minutes, "web-1", CPU, "{}", min(8, 0), 1, 0.1, 0.1, 0.1, 0.1, min(8, 10));
    assertRow(minutes, "web-2", CPU, "{}", sec(0), 1, 0.7, 0.7, 0.7, 0.7, sec(30));
    // minute 59 of web-2 fired again for the late snapshot, complete
    assertRow(minutes, "web-2", CPU, "{}", min(59, 0), 2, 1.0, 0.4, 0.6, 0.4, min(59, 45));
    assertRow(minutes, "web-2", CPU, "{}", min(63, 0), 1, 0.2, 0.2, 0.2, 0.2, min(63, 0));
    assertThat(emissions(rollup1m.values(), "web-2", CPU, "{}", min(59, 0)))
        .extracting(RollupRow::count)
        .containsExactly(1L, 2L);

    Map<List<Object>, RollupRow> hours = upserted(rollup1h.values());
    assertThat(hours).hasSize(5);
    assertRow(hours, "web-1", CPU, "{}", T0, 5, 1.9, 0.1, 0.9, 0.1, min(8, 10));
    assertRow(hours, "web-1", CPU, CPU0_ATTRS, T0, 2, 0.4, 0.1, 0.3, 0.3, sec(20));
    assertRow(hours, "web-1", MEM, "{}", T0, 1, 0.5, 0.5, 0.5, 0.5, sec(10));
    // the hour counts minute 59 once although it was emitted twice
    assertRow(hours, "web-2", CPU, "{}", T0, 3, 1.7, 0.4, 0.7, 0.4, min(59, 45));
    assertRow(hours, "web-2", CPU, "{}", min(60, 0), 1, 0.2, 0.2, 0.2, 0.2, min(63, 0));
    assertThat(emissions(rollup1h.values(), "web-2", CPU, "{}", T0))
        .extracting(RollupRow::count)
        .containsExactly(2L, 3L);

    // beyond the allowed lateness: not in any rollup, but counted and passed to the late sink
    assertThat(late.values())
        .containsExactly(new SampleRow("web-1", CPU, "{}", sec(30).toEpochMilli(), 0.99));
    assertThat(counter("lateSnapshots", job)).isEqualTo(1);
    assertThat(counter("duplicateSnapshots", job)).isEqualTo(1);

    // raw samples keep everything, the late ones too: one row per distinct snapshot
    assertThat(samples.values()).hasSize(10);
    List<SampleRow> raw = samples(samples.values());
    assertThat(raw).hasSize(13).doesNotHaveDuplicates();
    assertThat(raw)
        .contains(new SampleRow("web-1", CPU, "{}", sec(30).toEpochMilli(), 0.99))
        .contains(new SampleRow("web-2", CPU, "{}", min(59, 45).toEpochMilli(), 0.4))
        .contains(new SampleRow("web-1", CPU, CPU0_ATTRS, sec(20).toEpochMilli(), 0.3));

    // live: per host only ever newer snapshots, the late ones are not written over newer values
    assertThat(liveTimes("web-1")).containsExactly(sec(10), sec(20), sec(50), sec(70), min(8, 10));
    assertThat(liveTimes("web-2")).containsExactly(sec(30), min(59, 30), min(63, 0));

    Map<String, HostRow> hostRows = upsertedHosts(hosts.values());
    assertThat(hostRows.get("web-1"))
        .isEqualTo(
            new HostRow(
                "web-1",
                "web-1.example",
                "Debian GNU/Linux 12",
                8,
                16_777_216_000L,
                sec(10).toEpochMilli(),
                min(8, 10).toEpochMilli()));
    assertThat(hostRows.get("web-2").firstSeenMs()).isEqualTo(sec(30).toEpochMilli());
    assertThat(hostRows.get("web-2").lastSeenMs()).isEqualTo(min(63, 0).toEpochMilli());
  }

  /** The samples of snapshot rows, one per series and row. */
  static List<SampleRow> samples(List<SnapshotRow> rows) {
    List<SampleRow> out = new ArrayList<>();
    for (SnapshotRow r : rows) {
      for (int i = 0; i < r.size(); i++) {
        out.add(new SampleRow(r.hostId(), r.metrics()[i], r.attrs()[i], r.tsMs(), r.values()[i]));
      }
    }
    return out;
  }

  List<Instant> liveTimes(String host) {
    return live.values().stream()
        .filter(s -> s.hostId().equals(host))
        .map(s -> Instant.ofEpochMilli(s.timestampMs()))
        .toList();
  }

  static List<RollupRow> emissions(
      List<RollupRow> rows, String host, String metric, String attrs, Instant bucket) {
    return rows.stream()
        .filter(
            r ->
                r.hostId().equals(host)
                    && r.metric().equals(metric)
                    && r.attrs().equals(attrs)
                    && r.bucketMs() == bucket.toEpochMilli())
        .toList();
  }

  /** What the table holds after the upserts: the last write per primary key wins. */
  static Map<List<Object>, RollupRow> upserted(List<RollupRow> rows) {
    Map<List<Object>, RollupRow> table = new LinkedHashMap<>();
    rows.forEach(r -> table.put(List.of(r.hostId(), r.metric(), r.attrs(), r.bucketMs()), r));
    return table;
  }

  /** What {@code hosts} holds after the upserts (LEAST first seen, GREATEST last seen). */
  static Map<String, HostRow> upsertedHosts(List<HostRow> rows) {
    Map<String, HostRow> table = new LinkedHashMap<>();
    for (HostRow r : rows) {
      table.merge(r.hostId(), r, HostRow::mergedWith);
    }
    return table;
  }

  static void assertRow(
      Map<List<Object>, RollupRow> table,
      String host,
      String metric,
      String attrs,
      Instant bucket,
      long count,
      double sum,
      double min,
      double max,
      double last,
      Instant lastTs) {
    RollupRow r = table.get(List.of(host, metric, attrs, bucket.toEpochMilli()));
    String row = host + " " + metric + attrs + " @" + bucket;
    assertThat(r).as(row).isNotNull();
    assertThat(r.count()).as(row + " count").isEqualTo(count);
    assertThat(r.sum()).as(row + " sum").isCloseTo(sum, within(1e-9));
    assertThat(r.min()).as(row + " min").isEqualTo(min);
    assertThat(r.max()).as(row + " max").isEqualTo(max);
    assertThat(r.avg()).as(row + " avg").isCloseTo(sum / count, within(1e-9));
    assertThat(r.last()).as(row + " last").isEqualTo(last);
    assertThat(r.lastTsMs()).as(row + " last_ts").isEqualTo(lastTs.toEpochMilli());
  }

  static long counter(String name, JobClient job) {
    return METRICS.findMetrics(job.getJobID(), name).values().stream()
        .mapToLong(m -> ((Counter) m).getCount())
        .sum();
  }
}
