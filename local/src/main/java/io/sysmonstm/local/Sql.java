package io.sysmonstm.local;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal {@code psql -c} for machines without a PostgreSQL client: runs one statement against
 * the local stack's database and prints the result as a table.
 *
 * <pre>java -cp local/target/sysmonstm-local.jar io.sysmonstm.local.Sql "SELECT * FROM hosts"</pre>
 *
 * The URL, user and password default to the local stack's and can be set with {@code
 * SYSMONSTM_JDBC_URL}, {@code SYSMONSTM_JDBC_USER}, {@code SYSMONSTM_JDBC_PASSWORD}.
 */
public final class Sql {
  private Sql() {}

  public static void main(String[] args) throws SQLException {
    if (args.length != 1) {
      System.err.println("usage: Sql \"SELECT …\"");
      System.exit(2);
    }
    String url =
        System.getenv()
            .getOrDefault("SYSMONSTM_JDBC_URL", "jdbc:postgresql://localhost:5432/sysmonstm");
    String user = System.getenv().getOrDefault("SYSMONSTM_JDBC_USER", LocalConfig.DB);
    String password = System.getenv().getOrDefault("SYSMONSTM_JDBC_PASSWORD", LocalConfig.DB);
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      if (s.execute(args[0])) {
        try (ResultSet rs = s.getResultSet()) {
          System.out.print(format(rs));
        }
      } else {
        System.out.println(s.getUpdateCount() + " row(s)");
      }
    }
  }

  /** Formats a result set as an aligned text table with a row count, like psql. */
  static String format(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[n];
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      header[i] = md.getColumnLabel(i + 1);
      width[i] = header[i].length();
    }
    while (rs.next()) {
      String[] row = new String[n];
      for (int i = 0; i < n; i++) {
        String v = rs.getString(i + 1);
        row[i] = v == null ? "" : v;
        width[i] = Math.max(width[i], row[i].length());
      }
      rows.add(row);
    }
    StringBuilder b = new StringBuilder();
    appendRow(b, header, width);
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    b.append('\n');
    for (String[] row : rows) {
      appendRow(b, row, width);
    }
    b.append('(').append(rows.size()).append(rows.size() == 1 ? " row)\n" : " rows)\n");
    return b.toString();
  }

  private static void appendRow(StringBuilder b, String[] cells, int[] width) {
    for (int i = 0; i < cells.length; i++) {
      b.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", cells[i]));
    }
    b.append('\n');
  }
}
