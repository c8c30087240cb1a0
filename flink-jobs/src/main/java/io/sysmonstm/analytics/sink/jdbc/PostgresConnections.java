package io.sysmonstm.analytics.sink.jdbc;

import org.apache.flink.connector.jdbc.JdbcConnectionOptions;

/**
 * The connection options of every JDBC sink of the job, so that each one gets the same timeouts. A
 * sink writes through the connector's writer thread; without {@code socketTimeout} a connection
 * lost without a FIN (a PostgreSQL host that vanished, a dropped route) leaves that thread waiting
 * for an answer that never comes, and the checkpoint that flushes the sink never completes.
 */
public final class PostgresConnections {

  static final String DRIVER = "org.postgresql.Driver";

  /**
   * Longest wait for an answer from PostgreSQL, in seconds (pgjdbc {@code socketTimeout}): a chunk
   * takes well under a second, so a longer wait is a lost connection, and the write fails (and is
   * retried, then fails the task) instead of hanging the sink's writer thread.
   */
  public static final int SOCKET_TIMEOUT_S = 300;

  /** How long the connector waits for {@code Connection.isValid} before it reconnects. */
  static final int CONNECTION_CHECK_TIMEOUT_S = 30;

  private PostgresConnections() {}

  /**
   * Options for a sink that sends its batch row by row: {@code url} with {@code socketTimeout}
   * ({@link #SOCKET_TIMEOUT_S}) unless it sets one.
   */
  public static JdbcConnectionOptions options(String url, String user, String password) {
    return build(url(url), user, password);
  }

  /**
   * Options for a sink whose batches hold distinct keys ({@link DistinctKeySink}): as {@link
   * #options}, and with {@link #batchedUrl}.
   */
  public static JdbcConnectionOptions batchedUpsertOptions(
      String url, String user, String password) {
    return build(batchedUrl(url), user, password);
  }

  private static JdbcConnectionOptions build(String url, String user, String password) {
    return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
        .withUrl(url)
        .withDriverName(DRIVER)
        .withUsername(user)
        .withPassword(password)
        .withConnectionCheckTimeoutSeconds(CONNECTION_CHECK_TIMEOUT_S)
        .build();
  }

  /** {@code url} with {@code socketTimeout} ({@link #SOCKET_TIMEOUT_S}) unless it sets one. */
  static String url(String url) {
    return withDefault(url, "socketTimeout", Integer.toString(SOCKET_TIMEOUT_S));
  }

  /**
   * {@link #url} with, unless it sets it, pgjdbc's {@code reWriteBatchedInserts=true}: a batch of
   * upserts goes as multi-row {@code INSERT}s, which cost PostgreSQL a fraction of one statement
   * per row (bench: 40 % less PostgreSQL CPU per sample). Such a statement fails if two of its rows
   * have the same key, so only sinks that keep the keys of a batch distinct may use it.
   */
  static String batchedUrl(String url) {
    return url(withDefault(url, "reWriteBatchedInserts", "true"));
  }

  private static String withDefault(String url, String parameter, String value) {
    int query = url.indexOf('?');
    if (query >= 0) {
      for (String p : url.substring(query + 1).split("&")) {
        if (p.startsWith(parameter + "=")) {
          return url;
        }
      }
    }
    return url + (query >= 0 ? "&" : "?") + parameter + "=" + value;
  }
}
