package io.sysmonstm.analytics.sink.alert;

import static io.sysmonstm.analytics.sink.alert.Alerts.at;
import static io.sysmonstm.analytics.sink.alert.Alerts.firing;
import static io.sysmonstm.analytics.sink.alert.Alerts.hostDown;
import static io.sysmonstm.analytics.sink.alert.Alerts.resolved;
import static io.sysmonstm.analytics.sink.alert.Alerts.retro;
import static io.sysmonstm.analytics.sink.alert.Alerts.withSummary;
import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.analytics.alert.AlertEvent;
import io.sysmonstm.analytics.testing.TestFlink;
import io.sysmonstm.embedded.PostgresExtension;
import io.sysmonstm.sql.Migrations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Alert events into the {@code alerts} table of a real PostgreSQL, on a mini-cluster. */
class AlertSinkJdbcIT {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension(Migrations::apply);

  @RegisterExtension static final MiniClusterExtension FLINK = TestFlink.cluster(2);

  static String database(String name) {
    return POSTGRES.newDatabase(name);
  }

  /** One row of {@code alerts}, NULLs as null. */
  record Row(
      String fingerprint,
      String state,
      Instant startsAt,
      Instant endsAt,
      String ruleId,
      String hostId,
      String series,
      String severity,
      Double value,
      Double threshold,
      String summary,
      boolean retro) {

    static Row of(AlertEvent e) {
      return new Row(
          e.fingerprint(),
          e.state(),
          Instant.ofEpochMilli(e.startsAtMs()),
          e.firing() ? null : Instant.ofEpochMilli(e.endsAtMs()),
          e.ruleId(),
          e.hostId(),
          e.series(),
          e.severity(),
          Double.isNaN(e.value()) ? null : e.value(),
          Double.isNaN(e.threshold()) ? null : e.threshold(),
          e.summary(),
          e.retro());
    }
  }

  static final Comparator<Row> KEY =
      Comparator.comparing(Row::fingerprint).thenComparing(Row::startsAt).thenComparing(Row::state);

  static List<Row> rows(String url) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (Connection c = PostgresExtension.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT fingerprint, state, starts_at, ends_at, rule_id, host_id, series,"
                    + " severity, value, threshold, summary, retro FROM alerts"
                    + " ORDER BY fingerprint, starts_at, state")) {
      while (rs.next()) {
        OffsetDateTime ends = rs.getObject(4, OffsetDateTime.class);
        rows.add(
            new Row(
                rs.getString(1),
                rs.getString(2),
                rs.getObject(3, OffsetDateTime.class).toInstant(),
                ends == null ? null : ends.toInstant(),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getObject(9, Double.class),
                rs.getObject(10, Double.class),
                rs.getString(11),
                rs.getBoolean(12)));
      }
    }
    return rows;
  }

  static void run(String url, List<AlertEvent> events) throws Exception {
    StreamExecutionEnvironment env = TestFlink.env(2);
    env.fromData(events, Alerts.TYPE)
        .sinkTo(AlertSinks.jdbc(url, PostgresExtension.USER, PostgresExtension.PASSWORD))
        .name("alerts-jdbc");
    env.execute("alerts-to-postgres");
  }

  static List<Row> expected(List<AlertEvent> events) {
    return events.stream().map(Row::of).sorted(KEY).toList();
  }

  @Test
  void everyTransitionIsOneRowWithNullWhereThereIsNoValueOrEnd() throws Exception {
    String url = database("alerts_rows");
    AlertEvent cpu = firing("fp-cpu", "web-1", 0);
    AlertEvent again = firing("fp-cpu", "web-1", 600);
    AlertEvent down = hostDown("fp-down", "db-1", 30);
    AlertEvent back = firing("fp-back", "web-2", 0);
    List<AlertEvent> events =
        List.of(
            cpu,
            resolved(cpu, 300),
            again,
            down,
            down.resolvedAt(at(90), Double.NaN, false),
            retro(back),
            retro(resolved(back, 45)));

    run(url, events);

    List<Row> rows = rows(url);
    assertThat(rows).containsExactlyElementsOf(expected(events));
    Row downFiring = rows.stream().filter(r -> r.fingerprint().equals("fp-down")).findFirst().get();
    assertThat(downFiring.value()).isNull();
    assertThat(downFiring.threshold()).isNull();
    assertThat(downFiring.endsAt()).isNull();
  }

  @Test
  void aReplayedTransitionRewritesItsOwnRow() throws Exception {
    String url = database("alerts_replay");
    AlertEvent cpu = firing("fp-cpu", "web-1", 0);
    AlertEvent down = hostDown("fp-down", "db-1", 30);
    List<AlertEvent> first = List.of(cpu, down, resolved(cpu, 300));
    run(url, first);
    assertThat(rows(url)).containsExactlyElementsOf(expected(first));

    // the replay after a restore: the same transitions (rendered anew), and one more
    List<AlertEvent> replay =
        List.of(
            withSummary(cpu, "CPU on web-1 at 97%", 0.97),
            withSummary(down, "db-1 silent for 2m", Double.NaN),
            withSummary(resolved(cpu, 300), "CPU on web-1 back to 50%", 0.5),
            down.resolvedAt(at(150), 0.1, false));
    run(url, replay);

    List<Row> rows = rows(url);
    assertThat(rows).hasSize(4).containsExactlyElementsOf(expected(replay));
  }
}
