package io.sysmonstm.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sysmonstm.embedded.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The alert tables of V4 on a real PostgreSQL, and the alerts-per-rule example query. */
class AlertSchemaIT {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension(Migrations::apply);

  static String url;
  Connection c;

  /** Noon, eight days ago: inside the query's twelve weeks whatever the day. */
  static final Instant WEEK_NOON =
      Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(8)).plusSeconds(12 * 3600);

  @BeforeAll
  static void database() {
    url = POSTGRES.newDatabase("alerts");
  }

  @BeforeEach
  void connect() throws SQLException {
    c = PostgresExtension.connect(url);
    c.createStatement().execute("TRUNCATE alerts, alert_rules");
  }

  @Test
  void aReplayedTransitionRewritesItsOwnRow() throws SQLException {
    String upsert =
        "INSERT INTO alerts (fingerprint, state, starts_at, ends_at, rule_id, host_id, series,"
            + " severity, value, threshold, summary)"
            + " VALUES ('fp1', 'firing', ?, NULL, 'cpu-high', 'web-1', 'system.cpu.utilization',"
            + " 'critical', ?, 0.9, 'CPU high') ON CONFLICT (fingerprint, starts_at, state)"
            + " DO UPDATE SET value = EXCLUDED.value";
    for (double v : new double[] {0.95, 0.97}) {
      try (PreparedStatement st = c.prepareStatement(upsert)) {
        st.setTimestamp(1, Timestamp.from(WEEK_NOON));
        st.setDouble(2, v);
        st.executeUpdate();
      }
    }
    assertThat(query("SELECT state, value FROM alerts")).containsExactly("firing 0.97");
  }

  @Test
  void aResolvedTransitionNeedsItsEndAndAFiringOneMustNotHaveIt() {
    assertThatThrownBy(() -> alert("fp1", "resolved", WEEK_NOON, null, "cpu-high", "web-1", false))
        .hasMessageContaining("alerts_check");
    assertThatThrownBy(
            () ->
                alert(
                    "fp1",
                    "firing",
                    WEEK_NOON,
                    WEEK_NOON.plusSeconds(60),
                    "cpu-high",
                    "web-1",
                    false))
        .hasMessageContaining("alerts_check");
    assertThatThrownBy(() -> alert("fp1", "pending", WEEK_NOON, null, "cpu-high", "web-1", false))
        .hasMessageContaining("alerts_state_check");
  }

  @Test
  void ruleIdsAreCheckedLikeTheRelayChecksThem() {
    assertThatThrownBy(
            () ->
                c.createStatement()
                    .execute("INSERT INTO alert_rules (id, rule) VALUES ('a b', '{}')"))
        .hasMessageContaining("alert_rules_id_check");
  }

  @Test
  void alertsPerRuleWeeklyCountsFiringsHostsAndMinutes() throws SQLException {
    Instant t = WEEK_NOON;
    // cpu-high: fired twice on web-1 (10 min, 20 min) and once on web-2 (5 min)
    alert("a", "firing", t, null, "cpu-high", "web-1", false);
    alert("a", "resolved", t, t.plusSeconds(600), "cpu-high", "web-1", false);
    alert("a", "firing", t.plusSeconds(3600), null, "cpu-high", "web-1", false);
    alert("a", "resolved", t.plusSeconds(3600), t.plusSeconds(4800), "cpu-high", "web-1", false);
    alert("b", "firing", t, null, "cpu-high", "web-2", false);
    alert("b", "resolved", t, t.plusSeconds(300), "cpu-high", "web-2", false);
    // host-down: one retro alert (back-filled), resolved after 1 min
    alert("c", "firing", t, null, "host-down", "web-3", true);
    alert("c", "resolved", t, t.plusSeconds(60), "host-down", "web-3", true);

    String week =
        query("SELECT date_trunc('week', to_timestamp(" + t.getEpochSecond() + "))").get(0);
    assertThat(query(Migrations.exampleQuery("alerts_per_rule_weekly")))
        .containsExactly(week + " cpu-high 3 0 2 35.0", week + " host-down 0 1 1 1.0");
  }

  private void alert(
      String fingerprint,
      String state,
      Instant startsAt,
      Instant endsAt,
      String rule,
      String host,
      boolean retro)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO alerts (fingerprint, state, starts_at, ends_at, rule_id, host_id,"
                + " severity, retro) VALUES (?, ?, ?, ?, ?, ?, 'warning', ?)")) {
      st.setString(1, fingerprint);
      st.setString(2, state);
      st.setTimestamp(3, Timestamp.from(startsAt));
      st.setTimestamp(4, endsAt == null ? null : Timestamp.from(endsAt));
      st.setString(5, rule);
      st.setString(6, host);
      st.setBoolean(7, retro);
      st.executeUpdate();
    }
  }

  private List<String> query(String sql) throws SQLException {
    return Rows.of(c, sql);
  }
}
