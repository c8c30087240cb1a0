package io.sysmonstm.analytics.testing;

import io.sysmonstm.analytics.rollup.RollupRow;
import io.sysmonstm.analytics.series.SeriesKey;
import io.sysmonstm.analytics.testing.ExpectedRollups.Key;
import io.sysmonstm.embedded.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads what the job wrote to PostgreSQL. */
public final class RollupTables {
  private RollupTables() {}

  /** The whole table {@code rollup_1m} or {@code rollup_1h}, by primary key (attrs canonical). */
  public static Map<Key, RollupRow> dump(String jdbcUrl, String table) throws SQLException {
    Map<Key, RollupRow> rows = new TreeMap<>();
    try (Connection c = PostgresExtension.connect(jdbcUrl);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT host_id, metric, attrs::text, bucket, count, sum, min, max, avg, last,"
                    + " last_ts, p50, p95, p99, sketch FROM "
                    + table)) {
      while (rs.next()) {
        RollupRow r =
            new RollupRow(
                rs.getString(1),
                rs.getString(2),
                SeriesKey.canonicalAttrs(SeriesKey.parseAttrs(rs.getString(3))),
                rs.getTimestamp(4).getTime(),
                rs.getLong(5),
                rs.getDouble(6),
                rs.getDouble(7),
                rs.getDouble(8),
                rs.getDouble(9),
                rs.getDouble(10),
                rs.getTimestamp(11).getTime(),
                rs.getDouble(12),
                rs.getDouble(13),
                rs.getDouble(14),
                rs.getBytes(15));
        rows.put(Key.of(r), r);
      }
    }
    return rows;
  }

  /** Rows of {@code sql} (one column each) as strings. */
  public static List<String> query(String jdbcUrl, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = PostgresExtension.connect(jdbcUrl);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** A single number from {@code sql}. */
  public static long count(String jdbcUrl, String sql) throws SQLException {
    return Long.parseLong(query(jdbcUrl, sql).get(0));
  }
}
