package io.sysmonstm.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real PostgreSQL for every test class of the run that registers this extension (it takes
 * seconds to start; failsafe runs a module's ITs in one JVM), stopped by JUnit when the run ends.
 * Each caller of {@link #newDatabase} gets a database of its own, so tests never see each other's
 * rows.
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension(Migrations::apply);
 * ...
 * String url = POSTGRES.newDatabase("alerts");
 * }</pre>
 */
public final class PostgresExtension implements BeforeAllCallback {
  public static final String USER = "sysmonstm";
  public static final String PASSWORD = "sysmonstm";

  /** What every new database gets before a test sees it (the schema, usually). */
  @FunctionalInterface
  public interface DatabaseSetup {
    void apply(String jdbcUrl, String user, String password);
  }

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static volatile EmbeddedPostgresServer server;

  private final DatabaseSetup setup;

  /** New databases are empty. */
  public PostgresExtension() {
    this((url, user, password) -> {});
  }

  /** New databases get {@code setup} (e.g. {@code Migrations::apply}). */
  public PostgresExtension(DatabaseSetup setup) {
    this.setup = setup;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(
            PostgresExtension.class,
            key -> {
              try {
                server = EmbeddedPostgresServer.start();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              return (AutoCloseable) server::close;
            },
            AutoCloseable.class);
  }

  /** The server (started before the first test class that registers this extension). */
  public EmbeddedPostgresServer server() {
    EmbeddedPostgresServer s = server;
    if (s == null) {
      throw new IllegalStateException(
          "PostgreSQL is not started: register PostgresExtension with @RegisterExtension on a"
              + " static field");
    }
    return s;
  }

  /**
   * A new database owned by {@link #USER}, set up; returns its JDBC URL. {@code name} is a prefix
   * for reading logs: the database's name gets a number, so names never clash.
   */
  public String newDatabase(String name) {
    String url = newEmptyDatabase(name);
    setup.apply(url, USER, PASSWORD);
    return url;
  }

  /** As {@link #newDatabase}, without the set-up: for tests of the set-up itself. */
  public String newEmptyDatabase(String name) {
    return server().createDatabase(name + "_" + DATABASES.incrementAndGet(), USER, PASSWORD);
  }

  /** A connection to {@code jdbcUrl} as {@link #USER}. */
  public static Connection connect(String jdbcUrl) throws SQLException {
    return DriverManager.getConnection(jdbcUrl, USER, PASSWORD);
  }
}
