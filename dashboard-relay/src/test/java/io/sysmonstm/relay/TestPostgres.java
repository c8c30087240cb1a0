package io.sysmonstm.relay;

import io.sysmonstm.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for every integration test in this JVM (it takes seconds to start); each test
 * class gets a database of its own.
 */
final class TestPostgres {
  static final String USER = "sysmonstm";
  static final String PASSWORD = "sysmonstm";

  private static EmbeddedPostgresServer server;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private TestPostgres() {}

  /** A fresh, empty database; returns its JDBC URL. */
  static synchronized String newDatabase() {
    if (server == null) {
      try {
        server = EmbeddedPostgresServer.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.close();
                    } catch (IOException e) {
                      // the JVM is exiting
                    }
                  }));
    }
    return server.createDatabase("relay" + DATABASES.incrementAndGet(), USER, PASSWORD);
  }

  static Connection connect(String jdbcUrl) throws SQLException {
    return DriverManager.getConnection(jdbcUrl, USER, PASSWORD);
  }
}
