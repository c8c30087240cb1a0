package io.sysmonstm.analytics.sink.jdbc;

import io.sysmonstm.analytics.JobConfig;
import io.sysmonstm.analytics.sink.alert.AlertSinks;
import io.sysmonstm.config.Settings;
import io.sysmonstm.embedded.PostgresExtension;
import io.sysmonstm.sql.Migrations;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.datasource.connections.JdbcConnectionProvider;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every JDBC sink of the job opens connections that give up on PostgreSQL after {@link
 * PostgresConnections#SOCKET_TIMEOUT_S}: each sink's own connection provider connects to a real
 * PostgreSQL, and the connection's network timeout is read back from pgjdbc. (The alerts sink once
 * built its own options without the timeout, and its writer thread could hang on a lost
 * connection.)
 */
class SinkTimeoutsIT {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension(Migrations::apply);

  @Test
  void everySinkConnectionTimesOutOnALostServer() throws Exception {
    JobConfig cfg =
        JobConfig.from(
            Settings.parse(
                new String[] {
                  "--jdbc-url",
                  POSTGRES.newDatabase("timeouts"),
                  "--jdbc-user",
                  PostgresExtension.USER,
                  "--jdbc-password",
                  PostgresExtension.PASSWORD
                },
                Map.of()));
    Map<String, Sink<?>> sinks = new LinkedHashMap<>();
    sinks.put("samples_raw", JdbcSinks.samples(cfg));
    sinks.put("late_samples", JdbcSinks.lateSamples(cfg));
    sinks.put("rollup_1m", JdbcSinks.rollup1m(cfg));
    sinks.put("rollup_1h", JdbcSinks.rollup1h(cfg));
    sinks.put("hosts", JdbcSinks.hosts(cfg));
    sinks.put("alerts", AlertSinks.jdbc(cfg));

    SoftAssertions softly = new SoftAssertions();
    for (Map.Entry<String, Sink<?>> sink : sinks.entrySet()) {
      try (JdbcConnectionProvider provider = provider(sink.getValue())) {
        Connection c = provider.getOrEstablishConnection();
        softly
            .assertThat(c.getNetworkTimeout())
            .as("network timeout of the %s sink's connection, ms", sink.getKey())
            .isEqualTo(PostgresConnections.SOCKET_TIMEOUT_S * 1000);
      }
    }
    softly.assertAll();
  }

  /**
   * The connection provider inside {@code sink}: the connector's {@code JdbcSink} holds one, and
   * our wrappers ({@link DistinctKeySink}) hold the connector's sink.
   */
  static JdbcConnectionProvider provider(Object sink) throws IllegalAccessException {
    for (Class<?> c = sink.getClass(); c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        if (JdbcConnectionProvider.class.isAssignableFrom(f.getType())
            || Sink.class.isAssignableFrom(f.getType())) {
          f.setAccessible(true);
          Object value = f.get(sink);
          return value instanceof JdbcConnectionProvider p ? p : provider(value);
        }
      }
    }
    throw new AssertionError(sink.getClass().getName() + " holds no JDBC connection provider");
  }
}
