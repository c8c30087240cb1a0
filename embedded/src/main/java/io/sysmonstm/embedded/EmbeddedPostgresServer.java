package io.sysmonstm.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server as a child process (binaries from a Maven artifact). Creates a
 * database and a login role named as asked, so a JDBC URL for it looks like production's.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts PostgreSQL on a free port in a temporary data directory (tests). */
  public static EmbeddedPostgresServer start() throws IOException {
    return start(0, null);
  }

  /**
   * Starts PostgreSQL.
   *
   * @param port 0 for a free port
   * @param dataDir data directory, kept across runs; {@code null} for a temporary one
   */
  public static EmbeddedPostgresServer start(int port, Path dataDir) throws IOException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setPGStartupWait(Duration.ofSeconds(60))
            // the owner stops it, after its clients; a JVM hook would race with them
            .setRegisterShutdownHook(false)
            .setServerConfig("max_connections", "200")
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("full_page_writes", "off");
    if (port > 0) {
      builder.setPort(port);
    }
    if (dataDir != null) {
      builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
    }
    EmbeddedPostgres pg = builder.start();
    LOG.info("PostgreSQL listening on localhost:{}", pg.getPort());
    return new EmbeddedPostgresServer(pg);
  }

  public int port() {
    return postgres.getPort();
  }

  /** JDBC URL of database {@code db}. */
  public String jdbcUrl(String db) {
    return "jdbc:postgresql://localhost:" + port() + "/" + db;
  }

  /**
   * Creates role {@code user} with {@code password} owning a new database {@code db} (if they do
   * not exist yet) and returns its JDBC URL.
   */
  public String createDatabase(String db, String user, String password) {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      try (var rs =
          s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + sqlLiteral(user) + "'")) {
        if (!rs.next()) {
          s.execute(
              "CREATE ROLE " + ident(user) + " LOGIN PASSWORD '" + sqlLiteral(password) + "'");
        }
      }
      try (var rs =
          s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + sqlLiteral(db) + "'")) {
        if (!rs.next()) {
          s.execute("CREATE DATABASE " + ident(db) + " OWNER " + ident(user));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("creating database " + db + " failed", e);
    }
    return jdbcUrl(db);
  }

  private static String sqlLiteral(String s) {
    return s.replace("'", "''");
  }

  private static String ident(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
