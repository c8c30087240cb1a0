package io.sysmonstm.bench.probe;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Counts the rows one run's hosts ({@code host_id LIKE 'sim-<tag>-%'}) produced in a time range.
 */
public final class PostgresCounts implements AutoCloseable {
  private final Connection connection;
  private final String hostPattern;
  private final OffsetDateTime from;
  private final OffsetDateTime to;

  /**
   * Connects to {@code jdbcUrl}.
   *
   * @param hostPrefix prefix of the run's host ids
   * @param from start of the run's event time (inclusive)
   * @param to end of the run's event time (exclusive)
   */
  public PostgresCounts(
      String jdbcUrl, String user, String password, String hostPrefix, Instant from, Instant to)
      throws SQLException {
    this.connection = DriverManager.getConnection(jdbcUrl, user, password);
    this.hostPattern =
        hostPrefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    this.from = OffsetDateTime.ofInstant(from, ZoneOffset.UTC);
    this.to = OffsetDateTime.ofInstant(to, ZoneOffset.UTC);
  }

  /** Rows in {@code rollup_1m}. */
  public long rollup1m() throws SQLException {
    return count("rollup_1m", "bucket");
  }

  /** Rows in {@code samples}. */
  public long samples() throws SQLException {
    return count("samples", "ts");
  }

  private long count(String table, String timeColumn) throws SQLException {
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
