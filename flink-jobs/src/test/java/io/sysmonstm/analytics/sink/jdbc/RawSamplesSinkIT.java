package io.sysmonstm.analytics.sink.jdbc;

import static io.sysmonstm.analytics.testing.Snapshots.CPU;
import static io.sysmonstm.analytics.testing.Snapshots.MEM;
import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.facts;
import static io.sysmonstm.analytics.testing.Snapshots.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.analytics.JobConfig;
import io.sysmonstm.analytics.raw.SnapshotRows;
import io.sysmonstm.analytics.series.SeriesKey;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import io.sysmonstm.analytics.testing.TestFlink;
import io.sysmonstm.config.Settings;
import io.sysmonstm.embedded.PostgresExtension;
import io.sysmonstm.sql.Migrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The raw sink as the job runs it ({@link SnapshotRows} then {@link JdbcSinks#samples}) against a
 * real PostgreSQL: the view {@code samples} holds exactly what the per-sample table of V1 held
 * after the same writes (one value per host, series and time, the last one written).
 */
class RawSamplesSinkIT {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension(Migrations::apply);

  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = TestFlink.cluster(1, METRICS);

  static final String NET = "system.network.io.rate";
  static final String DISK = "system.disk.io.rate";
  static final String PAGING = "system.paging.utilization";
  static final Map<String, String> RX = Map.of("device", "eth0", "direction", "receive");
  static final Map<String, String> TX = Map.of("device", "eth0", "direction", "transmit");

  static String jdbcUrl;

  @BeforeAll
  static void database() {
    jdbcUrl = POSTGRES.newDatabase("raw");
  }

  @Test
  void theViewReturnsExactlyTheSamplesWrittenAndAReplayChangesNothing() throws Exception {
    List<HostSnapshot> snapshots = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      Instant at = T0.plusSeconds(10L * k);
      List<Sample> web1 =
          new ArrayList<>(
              List.of(sample(CPU, 0.1 * k), sample(NET, RX, 1e6 * k), sample(NET, TX, 0.1 + 0.2)));
      if (k % 2 == 0) {
        web1.add(sample(CPU, Map.of("cpu", "0"), 1.0 / (k + 3)));
      }
      if (k == 5) {
        web1.add(sample(DISK, Map.of("device", "C:\\ \"x\"", "direction", "read"), 4.9e-324));
      }
      snapshots.add(snapshot("web-1", "run-1", k + 1, at, web1));
      List<Sample> web2 = new ArrayList<>(List.of(sample(MEM, 0.5 + k / 100.0), sample(CPU, -0.0)));
      if (k == 3) {
        // the same series twice in one snapshot: the last value is kept
        web2.add(sample(CPU, 0.35));
      }
      snapshots.add(snapshot("web-2", "run-2", k + 1, at, web2));
    }
    // web-1's collector restarted and sent a snapshot for T0+20s again, with another series
    snapshots.add(
        snapshot(
            "web-1",
            "run-1b",
            1,
            T0.plusSeconds(20),
            List.of(sample(CPU, 0.9), sample(PAGING, 0.01))));

    // the per-sample table of V1 after the same upserts, in order
    Map<String, Double> expected = new TreeMap<>();
    for (HostSnapshot s : snapshots) {
      for (Sample sample : s.samples()) {
        expected.put(
            key(s.hostId(), sample.metric(), sample.attrs(), s.timestampMs()), sample.value());
      }
    }
    assertThat(expected).hasSize(6 * 3 + 3 + 1 + 6 * 2 + 1);

    JobExecutionResult first = write(snapshots);
    assertThat(view()).isEqualTo(expected);
    assertThat(counter(first, "repeatedSeriesSamples")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM samples_raw")).isEqualTo(12);

    // the series merged at T0+20s: the restarted collector's CPU value, web-1's other series kept
    assertThat(expected.get(key("web-1", CPU, "{}", T0.plusSeconds(20).toEpochMilli())))
        .isEqualTo(0.9);
    // one series through the relay's query, attrs written in another key order
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT value FROM samples WHERE host_id = ? AND metric = ? AND attrs = ?::jsonb"
                    + " AND ts BETWEEN ? AND ? ORDER BY ts")) {
      ps.setString(1, "web-1");
      ps.setString(2, NET);
      ps.setString(3, "{\"direction\": \"receive\", \"device\": \"eth0\"}");
      ps.setObject(4, OffsetDateTime.ofInstant(T0.plusSeconds(10), ZoneOffset.UTC));
      ps.setObject(5, OffsetDateTime.ofInstant(T0.plusSeconds(30), ZoneOffset.UTC));
      List<Double> values = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          values.add(rs.getDouble(1));
        }
      }
      assertThat(values).containsExactly(1e6, 2e6, 3e6);
    }

    // a replay (restore from an older checkpoint) writes everything again: nothing changes
    write(snapshots);
    assertThat(view()).isEqualTo(expected);
    assertThat(count("SELECT count(*) FROM samples_raw")).isEqualTo(12);
  }

  private JobExecutionResult write(List<HostSnapshot> snapshots) throws Exception {
    JobConfig cfg = JobConfig.from(Settings.parse(new String[] {"--jdbc-url", jdbcUrl}, Map.of()));
    StreamExecutionEnvironment env = TestFlink.env(1);
    env.fromData(snapshots, TypeInformation.of(HostSnapshot.class))
        .map(new SnapshotRows())
        .name("raw-samples")
        .sinkTo(JdbcSinks.samples(cfg))
        .name("sink-samples");
    return env.execute("raw-samples-sink");
  }

  private static HostSnapshot snapshot(
      String host, String run, long seq, Instant at, List<Sample> samples) {
    return new HostSnapshot(
        host, run, seq, at.toEpochMilli(), facts(host), samples.toArray(Sample[]::new));
  }

  private static String key(String host, String metric, String attrs, long tsMs) {
    return host + " " + Instant.ofEpochMilli(tsMs) + " " + SeriesKey.of(metric, attrs);
  }

  /** The whole view, by host, time and series key (attrs read back as canonical JSON). */
  private static Map<String, Double> view() throws SQLException {
    Map<String, Double> rows = new TreeMap<>();
    try (Connection c = connect();
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT host_id, metric, attrs::text, ts, value FROM samples")) {
      while (rs.next()) {
        String attrs = SeriesKey.canonicalAttrs(SeriesKey.parseAttrs(rs.getString(3)));
        String key =
            key(
                rs.getString(1),
                rs.getString(2),
                attrs,
                rs.getObject(4, OffsetDateTime.class).toInstant().toEpochMilli());
        assertThat(rows.put(key, rs.getDouble(5))).as("%s twice", key).isNull();
      }
    }
    return rows;
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = connect();
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Connection connect() throws SQLException {
    return PostgresExtension.connect(jdbcUrl);
  }

  private static long counter(JobExecutionResult job, String name) {
    return METRICS.findMetrics(job.getJobID(), name).values().stream()
        .mapToLong(m -> ((Counter) m).getCount())
        .sum();
  }
}
