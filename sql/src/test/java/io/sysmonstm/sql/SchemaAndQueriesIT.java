package io.sysmonstm.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sysmonstm.embedded.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The migrations on a real PostgreSQL, and the example queries of sql/queries on known rows. */
class SchemaAndQueriesIT {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension(Migrations::apply);

  static String url;
  Connection c;

  static final Instant HOUR =
      Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));

  @BeforeAll
  static void database() {
    url = POSTGRES.newDatabase("queries");
  }

  @BeforeEach
  void connect() throws SQLException {
    c = PostgresExtension.connect(url);
    c.createStatement().execute("TRUNCATE hosts, samples_raw, rollup_1m, rollup_1h");
  }

  @Test
  void migratingAgainIsANoOp() {
    String version = Migrations.apply(url, "sysmonstm", "sysmonstm");
    assertThat(version).isNotBlank();
    assertThat(Migrations.apply(url, "sysmonstm", "sysmonstm")).isEqualTo(version);
  }

  @Test
  void upsertOnTheSeriesKeyReplacesTheRowWhateverTheAttributeOrder() throws SQLException {
    rollup(
        "rollup_1m",
        "h1",
        "system.network.io.rate",
        "{\"device\":\"eth0\",\"direction\":\"receive\"}",
        HOUR,
        2,
        10,
        4,
        6,
        6);
    String upsert =
        "INSERT INTO rollup_1m (host_id, metric, attrs, bucket, count, sum, min, max, avg, last, last_ts)"
            + " VALUES (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (host_id, metric, attrs, bucket) DO UPDATE SET count = EXCLUDED.count,"
            + " sum = EXCLUDED.sum, min = EXCLUDED.min, max = EXCLUDED.max, avg = EXCLUDED.avg,"
            + " last = EXCLUDED.last, last_ts = EXCLUDED.last_ts";
    try (PreparedStatement st = c.prepareStatement(upsert)) {
      st.setString(1, "h1");
      st.setString(2, "system.network.io.rate");
      st.setString(3, "{\"direction\":\"receive\",\"device\":\"eth0\"}");
      st.setTimestamp(4, Timestamp.from(HOUR));
      st.setLong(5, 3);
      st.setDouble(6, 15);
      st.setDouble(7, 4);
      st.setDouble(8, 6);
      st.setDouble(9, 5);
      st.setDouble(10, 5);
      st.setTimestamp(11, Timestamp.from(HOUR.plusSeconds(50)));
      st.executeUpdate();
    }
    assertThat(query("SELECT count, sum FROM rollup_1m")).containsExactly("3 15");
  }

  @Test
  void rollupRowsMustCountSomething() {
    assertThatThrownBy(() -> rollup("rollup_1h", "h1", "m", "{}", HOUR, 0, 0, 0, 0, 0))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("count");
  }

  @Test
  void topHostsByCpuWeighsMinutesBySampleCount() throws SQLException {
    // web-1: 12 samples averaging 0.5 and 1 sample at 1.0 -> (6 + 1) / 13
    rollup("rollup_1m", "web-1", "system.cpu.utilization", "{}", HOUR, 12, 6.0, 0.2, 0.8, 0.4);
    rollup(
        "rollup_1m",
        "web-1",
        "system.cpu.utilization",
        "{}",
        HOUR.plusSeconds(60),
        1,
        1.0,
        1.0,
        1.0,
        1.0);
    rollup("rollup_1m", "db-1", "system.cpu.utilization", "{}", HOUR, 12, 9.6, 0.7, 0.9, 0.8);
    // per-core series and old rows do not count
    rollup(
        "rollup_1m", "web-2", "system.cpu.utilization", "{\"cpu\":\"0\"}", HOUR, 12, 12, 1, 1, 1);
    rollup(
        "rollup_1m",
        "web-3",
        "system.cpu.utilization",
        "{}",
        HOUR.minus(Duration.ofDays(2)),
        12,
        12,
        1,
        1,
        1);

    assertThat(query(Migrations.exampleQuery("top_hosts_by_cpu_last_day")))
        .containsExactly("db-1 80.0 90.0 12", "web-1 53.8 100.0 13");
  }

  @Test
  void hostMemoryHourlyListsOneHostsHours() throws SQLException {
    rollup("rollup_1h", "web-1", "system.memory.utilization", "{}", HOUR, 720, 360, 0.4, 0.61, 0.5);
    rollup(
        "rollup_1h",
        "web-1",
        "system.memory.utilization",
        "{}",
        HOUR.plus(Duration.ofHours(1)),
        720,
        432,
        0.5,
        0.7,
        0.6);
    rollup("rollup_1h", "web-2", "system.memory.utilization", "{}", HOUR, 720, 720, 1, 1, 1);
    String sql = Migrations.exampleQuery("host_memory_hourly").replace(":'host'", "'web-1'");

    List<String> rows = query(sql);
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)).endsWith(" 50.0 61.0 720");
    assertThat(rows.get(1)).endsWith(" 60.0 70.0 720");
  }

  @Test
  void hostCpuP95HourlyReadsTheSketchQuantile() throws SQLException {
    rollup("rollup_1h", "web-1", "system.cpu.utilization", "{}", HOUR, 720, 360, 0.1, 0.99, 0.5);
    rollup("rollup_1h", "web-2", "system.cpu.utilization", "{}", HOUR, 720, 720, 1, 1, 1);
    c.createStatement().execute("UPDATE rollup_1h SET p95 = 0.934 WHERE host_id = 'web-1'");
    String sql = Migrations.exampleQuery("host_cpu_p95_hourly").replace(":'host'", "'web-1'");

    List<String> rows = query(sql);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0)).endsWith(" 93.4 50.0 720");
  }

  @Test
  void busiestInterfacesAddsBothDirections() throws SQLException {
    Instant recent = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MINUTES);
    rollup(
        "rollup_1m",
        "web-1",
        "system.network.io.rate",
        "{\"device\":\"eth0\",\"direction\":\"receive\"}",
        recent,
        10,
        10_000,
        500,
        2_000,
        1_000);
    rollup(
        "rollup_1m",
        "web-1",
        "system.network.io.rate",
        "{\"device\":\"eth0\",\"direction\":\"transmit\"}",
        recent,
        10,
        30_000,
        500,
        5_000,
        3_000);
    rollup(
        "rollup_1m",
        "web-1",
        "system.network.io.rate",
        "{\"device\":\"eth1\",\"direction\":\"receive\"}",
        recent,
        10,
        100,
        10,
        10,
        10);

    assertThat(query(Migrations.exampleQuery("busiest_network_interfaces")))
        .containsExactly("web-1 eth0 2000 5000", "web-1 eth1 10 10");
  }

  private void rollup(
      String table,
      String host,
      String metric,
      String attrs,
      Instant bucket,
      long count,
      double sum,
      double min,
      double max,
      double last)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO "
                + table
                + " (host_id, metric, attrs, bucket, count, sum, min, max, avg, last, last_ts)"
                + " VALUES (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      st.setString(1, host);
      st.setString(2, metric);
      st.setString(3, attrs);
      st.setTimestamp(4, Timestamp.from(bucket));
      st.setLong(5, count);
      st.setDouble(6, sum);
      st.setDouble(7, min);
      st.setDouble(8, max);
      st.setDouble(9, count == 0 ? 0 : sum / count);
      st.setDouble(10, last);
      st.setTimestamp(11, Timestamp.from(bucket.plusSeconds(59)));
      st.executeUpdate();
    }
  }

  private List<String> query(String sql) throws SQLException {
    return Rows.of(c, sql);
  }
}
