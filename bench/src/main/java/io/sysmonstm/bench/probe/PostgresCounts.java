package io.sysmonstm.bench.probe;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Counts the rows one run's hosts ({@code host_id LIKE 'sim-<tag>-%'}) produced: samples in the
 * run's time range, 1-minute rollups of the whole minutes inside it, alert transitions.
 */
public final class PostgresCounts implements AutoCloseable {
  private final Connection connection;
  private final String hostPattern;
  private final OffsetDateTime from;
  private final OffsetDateTime to;
  private final OffsetDateTime minutesFrom;
  private final OffsetDateTime minutesTo;

  /**
   * Connects to {@code jdbcUrl}.
   *
   * @param hostPrefix prefix of the run's host ids
   * @param from start of the run's event time (inclusive)
   * @param to end of the run's event time (exclusive)
   * @param minutesFrom first minute bucket counted in {@code rollup_1m} (inclusive)
   * @param minutesTo end of the minute buckets counted (exclusive)
   */
  public PostgresCounts(
      String jdbcUrl,
      String user,
      String password,
      String hostPrefix,
      Instant from,
      Instant to,
      Instant minutesFrom,
      Instant minutesTo)
      throws SQLException {
    this.connection = DriverManager.getConnection(jdbcUrl, user, password);
    this.hostPattern =
        hostPrefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    this.from = OffsetDateTime.ofInstant(from, ZoneOffset.UTC);
    this.to = OffsetDateTime.ofInstant(to, ZoneOffset.UTC);
    this.minutesFrom = OffsetDateTime.ofInstant(minutesFrom, ZoneOffset.UTC);
    this.minutesTo = OffsetDateTime.ofInstant(minutesTo, ZoneOffset.UTC);
  }

  /** Rows in {@code rollup_1m}. */
  public long rollup1m() throws SQLException {
    return count("rollup_1m", "bucket", minutesFrom, minutesTo);
  }

  /** Rows in {@code samples}. */
  public long samples() throws SQLException {
    return count("samples", "ts", from, to);
  }

  /** Rows in {@code alerts} (transitions) of the rules {@code ruleIds}. */
  public long alerts(List<String> ruleIds) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT count(*) FROM alerts WHERE host_id LIKE ? AND rule_id = ANY (?)")) {
      ps.setString(1, hostPattern);
      ps.setArray(2, connection.createArrayOf("text", ruleIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private long count(String table, String timeColumn, OffsetDateTime from, OffsetDateTime to)
      throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT count(*) FROM "
                + table
                + " WHERE host_id LIKE ? AND "
                + timeColumn
                + " >= ? AND "
                + timeColumn
                + " < ?")) {
      ps.setString(1, hostPattern);
      ps.setObject(2, from);
      ps.setObject(3, to);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
