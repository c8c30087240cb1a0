package io.sysmonstm.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.embedded.PostgresExtension;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.jdbc.PgConnection;

/**
 * Raw samples of V3: one {@code samples_raw} row per host snapshot, written with {@link
 * RawSamples#UPSERT} as the job writes them, read per sample through the view {@code samples}.
 */
class RawSamplesIT {
  static final Instant T0 = Instant.parse("2025-11-23T06:00:00Z");
  static final String CPU = "system.cpu.utilization";
  static final String MEM = "system.memory.utilization";
  static final String NET = "system.network.io.rate";
  static final String DISK = "system.disk.io.rate";
  static final String RX = "{\"device\":\"eth0\",\"direction\":\"receive\"}";
  static final String TX = "{\"device\":\"eth0\",\"direction\":\"transmit\"}";
  // the value is C:\ "x" (escaped backslash and quotes)
  static final String ODD = "{\"device\":\"C:\\\\ \\\"x\\\"\",\"direction\":\"read\"}";

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension(Migrations::apply);

  static String url;
  Connection c;

  @BeforeAll
  static void database() {
    url = POSTGRES.newDatabase("raw");
  }

  @BeforeEach
  void connect() throws SQLException {
    c = PostgresExtension.connect(url);
    c.createStatement().execute("TRUNCATE samples_raw");
  }

  @AfterEach
  void disconnect() throws SQLException {
    c.close();
  }

  @Test
  void theViewReturnsExactlyTheSamplesWritten() throws SQLException {
    // expected rows, attrs written with other key orders and spaces: compared as jsonb
    execute(
        "CREATE TEMP TABLE expected (host_id text, metric text, attrs jsonb, ts timestamptz,"
            + " value double precision)");
    List<Object[]> expected = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      Instant ts = T0.plusSeconds(10L * k);
      for (String host : List.of("web-1", "web-2")) {
        List<String> metrics = new ArrayList<>(List.of(CPU, MEM, NET, NET));
        List<String> attrs = new ArrayList<>(List.of("{}", "{}", RX, TX));
        List<Double> values =
            new ArrayList<>(List.of(0.1 * k, 0.1 + 0.2, 1e-300 * (k + 1), 12_345.678 * k));
        if (host.equals("web-1") && k % 2 == 1) {
          // the per-core series only in every other snapshot of web-1
          metrics.add(CPU);
          attrs.add("{\"cpu\":\"0\"}");
          values.add(-0.5 * k);
        }
        if (host.equals("web-2") && k == 5) {
          // a series that appears in the last snapshot only, key needing escapes
          metrics.add(DISK);
          attrs.add(ODD);
          values.add(Double.MAX_VALUE);
        }
        write(host, ts, metrics, attrs, values);
        for (int i = 0; i < metrics.size(); i++) {
          expected.add(
              new Object[] {
                host, metrics.get(i), reordered(attrs.get(i)), ts, values.get(i).doubleValue()
              });
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO expected VALUES (?, ?, ?::jsonb, ?, ?)")) {
      for (Object[] e : expected) {
        ps.setString(1, (String) e[0]);
        ps.setString(2, (String) e[1]);
        ps.setString(3, (String) e[2]);
        ps.setObject(4, odt((Instant) e[3]));
        ps.setDouble(5, (Double) e[4]);
        ps.addBatch();
      }
      ps.executeBatch();
    }

    assertThat(expected).hasSize(2 * 6 * 4 + 3 + 1);
    assertThat(count("SELECT count(*) FROM samples")).isEqualTo(expected.size());
    assertThat(count("SELECT count(*) FROM samples_raw")).isEqualTo(12);
    assertThat(
            count(
                "SELECT count(*) FROM (SELECT host_id, metric, attrs, ts, value FROM samples"
                    + " EXCEPT ALL SELECT * FROM expected) AS extra"))
        .isZero();
    assertThat(
            count(
                "SELECT count(*) FROM (SELECT * FROM expected EXCEPT ALL"
                    + " SELECT host_id, metric, attrs, ts, value FROM samples) AS missing"))
        .isZero();
    // the view's columns are those of the V1 table, attrs a jsonb object
    assertThat(
            query(
                "SELECT column_name || ' ' || data_type FROM information_schema.columns"
                    + " WHERE table_name = 'samples' ORDER BY ordinal_position"))
        .containsExactly(
            "host_id text",
            "metric text",
            "attrs jsonb",
            "ts timestamp with time zone",
            "value double precision");
    assertThat(
            query(
                "SELECT ts FROM samples WHERE host_id = 'web-1' AND metric = '"
                    + CPU
                    + "' AND attrs = '{\"cpu\": \"0\"}'::jsonb ORDER BY ts"))
        .hasSize(3);
  }

  @Test
  void theRelayQueryReadsOneSeriesThroughThePrimaryKey() throws SQLException {
    for (int h = 0; h < 200; h++) {
      for (int k = 0; k < 30; k++) {
        write(
            "host-" + h,
            T0.plusSeconds(k),
            List.of(CPU, NET, NET),
            List.of("{}", RX, TX),
            List.of(h + k / 100.0, 1000.0 * k, 2000.0 * k));
      }
    }
    execute("ANALYZE samples_raw");
    // dashboard-relay SeriesReader, raw step
    String relay =
        "SELECT ts, value FROM samples WHERE host_id = ? AND metric = ? AND attrs = ?::text::jsonb"
            + " AND ts >= ? AND ts < ? ORDER BY ts LIMIT ?";
    List<String> points = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(relay)) {
      ps.setString(1, "host-7");
      ps.setString(2, NET);
      ps.setString(3, "{\"direction\": \"transmit\", \"device\": \"eth0\"}");
      ps.setObject(4, odt(T0.plusSeconds(10)));
      ps.setObject(5, odt(T0.plusSeconds(13)));
      ps.setInt(6, 1001);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          points.add(rs.getObject(1, OffsetDateTime.class).toInstant() + " " + rs.getDouble(2));
        }
      }
    }
    assertThat(points)
        .containsExactly(
            T0.plusSeconds(10) + " 20000.0",
            T0.plusSeconds(11) + " 22000.0",
            T0.plusSeconds(12) + " 24000.0");

    String plan =
        String.join(
            "\n",
            query(
                "EXPLAIN SELECT ts, value FROM samples WHERE host_id = 'host-7' AND metric = '"
                    + NET
                    + "' AND attrs = '"
                    + TX
                    + "'::jsonb AND ts BETWEEN '"
                    + T0.plusSeconds(10)
                    + "' AND '"
                    + T0.plusSeconds(12)
                    + "' ORDER BY ts"));
    assertThat(plan).contains("samples_raw_pkey").doesNotContain("Seq Scan");
  }

  @Test
  void aSecondSnapshotWithTheSameTimeIsMergedAndTheLastWriteOfASeriesWins() throws SQLException {
    Instant ts = T0.plusSeconds(5);
    write("web-1", ts, List.of(CPU, MEM, NET), List.of("{}", "{}", RX), List.of(0.1, 0.5, 100.0));
    write("web-1", ts, List.of(NET, CPU, DISK), List.of(RX, "{}", "{}"), List.of(7.0, 0.2, 3.0));

    assertThat(values("web-1", ts))
        .containsExactlyInAnyOrder(
            CPU + " {} 0.2", MEM + " {} 0.5", NET + " " + jsonb(RX) + " 7.0", DISK + " {} 3.0");
    assertThat(count("SELECT count(*) FROM samples_raw")).isEqualTo(1);

    // a replay of the first snapshot rewrites its own series, the others stay
    write("web-1", ts, List.of(CPU, MEM, NET), List.of("{}", "{}", RX), List.of(0.1, 0.5, 100.0));
    List<String> afterReplay =
        query("SELECT metric::text || attrs::text || value::text FROM" + " samples_raw");
    assertThat(values("web-1", ts))
        .containsExactlyInAnyOrder(
            CPU + " {} 0.1", MEM + " {} 0.5", NET + " " + jsonb(RX) + " 100.0", DISK + " {} 3.0");
    write("web-1", ts, List.of(CPU, MEM, NET), List.of("{}", "{}", RX), List.of(0.1, 0.5, 100.0));
    assertThat(query("SELECT metric::text || attrs::text || value::text FROM samples_raw"))
        .isEqualTo(afterReplay);
  }

  @Test
  void aRowInsertedIntoTheViewIsMergedIntoItsSnapshotRow() throws SQLException {
    String insert =
        "INSERT INTO samples (host_id, metric, attrs, ts, value) VALUES (?, ?, ?::jsonb, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(insert)) {
      insertRow(ps, "web-1", CPU, "{}", T0, 0.25);
      insertRow(ps, "web-1", NET, "{ \"direction\" : \"receive\", \"device\": \"eth0\" }", T0, 9);
      insertRow(ps, "web-1", CPU, "{}", T0.plusSeconds(1), 0.5);
      ps.executeBatch();
      insertRow(ps, "web-1", CPU, "{}", T0, 0.75);
      ps.executeBatch();
    }

    assertThat(count("SELECT count(*) FROM samples_raw")).isEqualTo(2);
    // stored as the job writes attrs: canonical JSON text
    assertThat(storedAttrs("web-1", T0)).containsExactlyInAnyOrder("{}", RX);
    assertThat(values("web-1", T0))
        .containsExactlyInAnyOrder(CPU + " {} 0.75", NET + " " + jsonb(RX) + " 9.0");
  }

  @Test
  void migratingFromVersion2KeepsEveryRawSample() throws SQLException {
    String v2 = POSTGRES.newEmptyDatabase("from_v2");
    flyway(v2, Migrations.LOCATION).target("2").load().migrate();
    try (Connection old = PostgresExtension.connect(v2);
        Statement s = old.createStatement()) {
      s.execute(
          "INSERT INTO samples (host_id, metric, attrs, ts, value) VALUES"
              + " ('web-1', '"
              + CPU
              + "', '{}', '2025-11-23T06:00:00Z', 0.5),"
              + " ('web-1', '"
              + CPU
              + "', '{\"cpu\": \"1\"}', '2025-11-23T06:00:00Z', 0.25),"
              + " ('web-1', '"
              + NET
              + "', '"
              + TX
              + "', '2025-11-23T06:00:00Z', 1e9),"
              + " ('web-1', '"
              + CPU
              + "', '{}', '2025-11-23T06:00:10Z', 0.125),"
              + " ('web-2', '"
              + MEM
              + "', '{}', '2025-11-23T06:00:00Z', 0.75)");
      s.execute("CREATE TABLE before_v3 AS SELECT * FROM samples");

      assertThat(Migrations.apply(v2, "sysmonstm", "sysmonstm")).isEqualTo("4");

      try (ResultSet rs =
          s.executeQuery(
              "SELECT (SELECT count(*) FROM samples), (SELECT count(*) FROM samples_raw),"
                  + " (SELECT count(*) FROM (SELECT * FROM before_v3 EXCEPT ALL"
                  + "  SELECT host_id, metric, attrs, ts, value FROM samples) AS missing)")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(5);
        assertThat(rs.getLong(2)).isEqualTo(3);
        assertThat(rs.getLong(3)).isZero();
      }
    }
    // stored as the job writes attrs: canonical JSON text, no spaces
    try (Connection migrated = PostgresExtension.connect(v2)) {
      assertThat(storedAttrs(migrated, "web-1", T0))
          .containsExactlyInAnyOrder("{}", "{\"cpu\":\"1\"}", TX);
    }
  }

  @Test
  void aDatabaseAlreadyAtVersion4GetsVersion3(@TempDir Path dir) throws Exception {
    for (String file :
        List.of(
            "V1__hosts_samples_rollups.sql",
            "V2__rollup_sketches_late_samples.sql",
            "V4__alerts.sql")) {
      try (InputStream in = getClass().getResourceAsStream("/db/migration/sysmonstm/" + file)) {
        Files.copy(in, dir.resolve(file));
      }
    }
    String v4 = POSTGRES.newEmptyDatabase("at_v4");
    flyway(v4, "filesystem:" + dir).load().migrate();
    try (Connection db = PostgresExtension.connect(v4);
        Statement s = db.createStatement()) {
      s.execute(
          "INSERT INTO samples (host_id, metric, attrs, ts, value)"
              + " VALUES ('web-1', 'm', '{}', '2025-11-23T06:00:00Z', 1)");

      assertThat(Migrations.apply(v4, "sysmonstm", "sysmonstm")).isEqualTo("4");

      try (ResultSet rs =
          s.executeQuery(
              "SELECT (SELECT string_agg(version, ',' ORDER BY installed_rank)"
                  + " FROM flyway_schema_history WHERE success),"
                  + " (SELECT count(*) FROM samples_raw), (SELECT count(*) FROM samples)")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("1,2,4,3");
        assertThat(rs.getLong(2)).isEqualTo(1);
        assertThat(rs.getLong(3)).isEqualTo(1);
      }
    }
  }

  private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(
      String jdbcUrl, String location) {
    return Flyway.configure().dataSource(jdbcUrl, "sysmonstm", "sysmonstm").locations(location);
  }

  /** Writes one snapshot as the job does: the V3 upsert with PgJDBC array parameters. */
  private void write(
      String host, Instant ts, List<String> metrics, List<String> attrs, List<Double> values)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(RawSamples.UPSERT)) {
      ps.setString(1, host);
      ps.setObject(2, odt(ts));
      ps.setArray(3, c.createArrayOf("text", metrics.toArray(String[]::new)));
      ps.setArray(4, c.createArrayOf("text", attrs.toArray(String[]::new)));
      double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
      ps.setArray(5, c.unwrap(PgConnection.class).createArrayOf("float8", v));
      ps.executeUpdate();
    }
  }

  private static void insertRow(
      PreparedStatement ps, String host, String metric, String attrs, Instant ts, double value)
      throws SQLException {
    ps.setString(1, host);
    ps.setString(2, metric);
    ps.setString(3, attrs);
    ps.setObject(4, odt(ts));
    ps.setDouble(5, value);
    ps.addBatch();
  }

  private List<String> storedAttrs(String host, Instant ts) throws SQLException {
    return storedAttrs(c, host, ts);
  }

  /** The attrs array of one samples_raw row. */
  private static List<String> storedAttrs(Connection db, String host, Instant ts)
      throws SQLException {
    try (PreparedStatement ps =
        db.prepareStatement("SELECT attrs FROM samples_raw WHERE host_id = ? AND ts = ?")) {
      ps.setString(1, host);
      ps.setObject(2, odt(ts));
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("row of %s at %s", host, ts).isTrue();
        return List.of((String[]) rs.getArray(1).getArray());
      }
    }
  }

  /** "metric attrs value" of one host and time, through the view (attrs in jsonb text form). */
  private List<String> values(String host, Instant ts) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT metric, attrs::text, value FROM samples WHERE host_id = ? AND ts = ?")) {
      ps.setString(1, host);
      ps.setObject(2, odt(ts));
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getDouble(3));
        }
      }
      return out;
    }
  }

  /** {@code attrs} as PostgreSQL prints the jsonb. */
  private String jsonb(String attrs) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT ?::jsonb::text")) {
      ps.setString(1, attrs);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** Canonical attrs written another way (key order, spaces): equal as jsonb, not as text. */
  private static String reordered(String canonical) {
    return switch (canonical) {
      case "{}" -> "{ }";
      case RX -> "{\"direction\": \"receive\", \"device\": \"eth0\"}";
      case TX -> "{ \"direction\" : \"transmit\" , \"device\" : \"eth0\" }";
      case "{\"cpu\":\"0\"}" -> "{\"cpu\": \"0\"}";
      case ODD -> "{\"direction\": \"read\", \"device\": \"C:\\\\ \\\"x\\\"\"}";
      default -> throw new IllegalArgumentException(canonical);
    };
  }

  private static OffsetDateTime odt(Instant t) {
    return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  private void execute(String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private long count(String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private List<String> query(String sql) throws SQLException {
    return Rows.of(c, sql);
  }
}
