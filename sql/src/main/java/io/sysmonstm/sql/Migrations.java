package io.sysmonstm.sql;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the sysmonstm schema (the Flyway migrations packaged from {@code sql/migrations}). The
 * job, the relay and the local stack all call this, so they agree on one schema; Flyway's lock
 * makes concurrent calls safe.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  /** Classpath location of the packaged migrations. */
  public static final String LOCATION = "classpath:db/migration/sysmonstm";

  private Migrations() {}

  /**
   * Brings the database at {@code jdbcUrl} to the newest schema version.
   *
   * @return the schema version after migrating
   */
  public static String apply(String jdbcUrl, String user, String password) {
    Flyway flyway =
        Flyway.configure()
            .dataSource(jdbcUrl, user, password)
            .locations(LOCATION)
            // V3 (raw samples per snapshot) came after V4 (alerts): a database already at V4
            // gets V3 applied instead of failing validation. The versions touch separate tables.
            .outOfOrder(true)
            .connectRetries(3)
            .load();
    MigrateResult result = flyway.migrate();
    // the highest version applied (the migrate result names the last one applied, which is not
    // the highest when an older version was applied out of order)
    String version = flyway.info().current().getVersion().getVersion();
    LOG.info(
        "Database schema at version {} ({} migration(s) applied)",
        version,
        result.migrationsExecuted);
    return version;
  }

  /** Reads one of the example queries from {@code sql/queries}, e.g. {@code host_memory_hourly}. */
  public static String exampleQuery(String name) {
    String path = "/sysmonstm/queries/" + name + ".sql";
    try (var in = Migrations.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no example query " + path);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
