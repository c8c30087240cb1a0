package io.sysmonstm.analytics.testing;

import io.sysmonstm.embedded.EmbeddedPostgresServer;
import io.sysmonstm.sql.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for every integration test in this JVM (it takes seconds to start; failsafe
 * runs the module's ITs in one JVM), stopped when the JVM exits. Each caller gets a database of its
 * own, with the schema migrated.
 */
public final class TestPostgres {
  public static final String USER = "sysmonstm";
  public static final String PASSWORD = "sysmonstm";

  private static EmbeddedPostgresServer server;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private TestPostgres() {}

  /**
   * A fresh database with the project's schema; returns its JDBC URL. {@code name} is a prefix for
   * reading logs: the database's name gets a number, so names never clash.
   */
  public static String migratedDatabase(String name) {
    String url = server().createDatabase(name + "_" + DATABASES.incrementAndGet(), USER, PASSWORD);
    Migrations.apply(url, USER, PASSWORD);
    return url;
  }

  private static synchronized EmbeddedPostgresServer server() {
    if (server == null) {
      try {
        server = EmbeddedPostgresServer.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedPostgresServer started = server;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      started.close();
                    } catch (Exception e) {
                      // the JVM is exiting
                    }
                  }));
    }
    return server;
  }
}
