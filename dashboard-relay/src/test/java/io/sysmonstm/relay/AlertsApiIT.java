package io.sysmonstm.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sysmonstm.embedded.PostgresExtension;
import io.sysmonstm.embedded.RedisExtension;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/** {@code GET /api/alerts} on rows the job would have written, and alerts over {@code /ws}. */
@ExtendWith(VertxExtension.class)
class AlertsApiIT {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private static final String CPU = "system.cpu.utilization";

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  private static String jdbcUrl;
  private static RelayServer relay;
  private static WebClient web;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    jdbcUrl = POSTGRES.newDatabase("relay");
    relay = RelayServer.start(TestRelayConfig.of(REDIS.url(), jdbcUrl));
    web = WebClient.create(vertx);
    seedAlerts();
  }

  @AfterAll
  static void stop() throws Exception {
    if (relay != null) {
      relay.close();
    }
  }

  private static Instant ago(Duration d) {
    return NOW.minus(d);
  }

  /**
   * A: cpu-high fired 2 h ago, resolved 1 h ago. B: memory-high firing for 30 min. C: disk-full
   * firing for 3 days. D: web-3 down for 10 min. E: pipeline lag 5 h to 4 h ago (retro). F:
   * cpu-high on web-9, 3 days to 2 days ago.
   */
  private static void seedAlerts() throws Exception {
    try (Connection c = PostgresExtension.connect(jdbcUrl);
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO alerts (fingerprint, state, starts_at, ends_at, rule_id, host_id,"
                    + " series, severity, value, threshold, summary, retro)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      Instant a = ago(Duration.ofHours(2));
      row(ps, "a", a, null, "cpu-high", "web-1", CPU, "critical", 0.95, 0.9, false);
      row(
          ps,
          "a",
          a,
          ago(Duration.ofHours(1)),
          "cpu-high",
          "web-1",
          CPU,
          "critical",
          0.7,
          0.9,
          false);
      row(
          ps,
          "b",
          ago(Duration.ofMinutes(30)),
          null,
          "memory-high",
          "web-2",
          "system.memory.utilization",
          "warning",
          0.93,
          0.9,
          false);
      row(
          ps,
          "c",
          ago(Duration.ofDays(3)),
          null,
          "disk-full",
          "db-1",
          "system.filesystem.utilization{\"device\":\"sda1\",\"mountpoint\":\"/\"}",
          "critical",
          0.97,
          0.9,
          false);
      row(
          ps,
          "d",
          ago(Duration.ofMinutes(10)),
          null,
          "host-down",
          "web-3",
          "",
          "critical",
          null,
          null,
          false);
      Instant e = ago(Duration.ofHours(5));
      row(ps, "e", e, null, "pipeline-lag", "", "", "warning", 120.0, 60.0, true);
      row(
          ps,
          "e",
          e,
          ago(Duration.ofHours(4)),
          "pipeline-lag",
          "",
          "",
          "warning",
          10.0,
          60.0,
          true);
      Instant f = ago(Duration.ofDays(3));
      row(ps, "f", f, null, "cpu-high", "web-9", CPU, "critical", 0.99, 0.9, false);
      row(
          ps,
          "f",
          f,
          ago(Duration.ofDays(2)),
          "cpu-high",
          "web-9",
          CPU,
          "critical",
          0.5,
          0.9,
          false);
      ps.executeBatch();
    }
    try (Connection c = PostgresExtension.connect(jdbcUrl);
        Statement s = c.createStatement()) {
      // an event's labels are its rule's
      s.execute(
          "UPDATE alert_rules SET rule = jsonb_set(rule, '{labels}', '{\"team\":\"infra\"}')"
              + " WHERE id = 'memory-high'");
    }
  }

  /** Fingerprints are 16 hex chars; here the letter repeated. */
  private static String fp(String letter) {
    return letter.repeat(16);
  }

  private static void row(
      PreparedStatement ps,
      String letter,
      Instant starts,
      Instant ends,
      String rule,
      String host,
      String series,
      String severity,
      Double value,
      Double threshold,
      boolean retro)
      throws Exception {
    ps.setString(1, fp(letter));
    ps.setString(2, ends == null ? "firing" : "resolved");
    ps.setObject(3, OffsetDateTime.ofInstant(starts, ZoneOffset.UTC));
    ps.setObject(4, ends == null ? null : OffsetDateTime.ofInstant(ends, ZoneOffset.UTC));
    ps.setString(5, rule);
    ps.setString(6, host);
    ps.setString(7, series);
    ps.setString(8, severity);
    if (value == null) {
      ps.setNull(9, Types.DOUBLE);
      ps.setNull(10, Types.DOUBLE);
    } else {
      ps.setDouble(9, value);
      ps.setDouble(10, threshold);
    }
    ps.setString(11, rule + " on " + host);
    ps.setBoolean(12, retro);
    ps.addBatch();
  }

  private static HttpResponse<Buffer> get(String path, String... query) throws Exception {
    HttpRequest<Buffer> req = web.get(relay.port(), "127.0.0.1", path);
    for (int i = 0; i < query.length; i += 2) {
      req.addQueryParam(query[i], query[i + 1]);
    }
    return req.send().await(10, TimeUnit.SECONDS);
  }

  private static JsonArray alerts(String... query) throws Exception {
    HttpResponse<Buffer> r = get("/api/alerts", query);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    return r.bodyAsJsonArray();
  }

  /** Each transition as fingerprint letter + state, newest first. */
  private static List<String> transitions(String... query) throws Exception {
    return alerts(query).stream()
        .map(o -> (JsonObject) o)
        .map(o -> o.getString("fingerprint").substring(0, 1) + ":" + o.getString("state"))
        .toList();
  }

  private static String error(String... query) throws Exception {
    HttpResponse<Buffer> r = get("/api/alerts", query);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    return r.bodyAsJsonObject().getString("error");
  }

  @Test
  void firingAnswersTheActiveAlertsHoweverOld() throws Exception {
    assertThat(transitions("state", "firing")).containsExactly("d:firing", "b:firing", "c:firing");
    assertThat(transitions("state", "firing", "since", ago(Duration.ofDays(1)).toString()))
        .containsExactly("d:firing", "b:firing");
  }

  @Test
  void resolvedAndAllFilterOnTheTransitionTimeOfTheLastDayByDefault() throws Exception {
    assertThat(transitions("state", "resolved")).containsExactly("a:resolved", "e:resolved");
    assertThat(transitions())
        .containsExactly(
            "d:firing", "b:firing", "a:resolved", "a:firing", "e:resolved", "e:firing");
    assertThat(transitions("state", "all", "since", ago(Duration.ofMinutes(90)).toString()))
        .containsExactly("d:firing", "b:firing", "a:resolved");
    String twoDaysAgo = String.valueOf(ago(Duration.ofDays(2)).toEpochMilli());
    assertThat(transitions("state", "resolved", "since", twoDaysAgo))
        .containsExactly("a:resolved", "e:resolved", "f:resolved");
    assertThat(transitions("limit", "2")).containsExactly("d:firing", "b:firing");
  }

  @Test
  void eventsHaveTheShapeTheJobPublishes() throws Exception {
    JsonArray all = alerts("state", "all");
    JsonObject down = all.getJsonObject(0);
    assertThat(down)
        .isEqualTo(
            new JsonObject()
                .put("type", "alert")
                .put("fingerprint", fp("d"))
                .put("rule_id", "host-down")
                .put("host_id", "web-3")
                .put("series", "")
                .put("severity", "critical")
                .put("state", "firing")
                .putNull("value")
                .putNull("threshold")
                .put("starts_at", ago(Duration.ofMinutes(10)).toEpochMilli())
                .putNull("ends_at")
                .put("summary", "host-down on web-3")
                .put("retro", false)
                .put("labels", new JsonObject()));
    assertThat(all.getJsonObject(1).getJsonObject("labels"))
        .isEqualTo(new JsonObject().put("team", "infra"));
    JsonObject resolved = all.getJsonObject(2);
    assertThat(resolved.getDouble("value")).isEqualTo(0.7);
    assertThat(resolved.getDouble("threshold")).isEqualTo(0.9);
    assertThat(resolved.getLong("starts_at")).isEqualTo(ago(Duration.ofHours(2)).toEpochMilli());
    assertThat(resolved.getLong("ends_at")).isEqualTo(ago(Duration.ofHours(1)).toEpochMilli());
    JsonObject lag = all.getJsonObject(4);
    assertThat(lag.getString("rule_id")).isEqualTo("pipeline-lag");
    assertThat(lag.getString("host_id")).isEmpty();
    assertThat(lag.getBoolean("retro")).isTrue();
  }

  @Test
  void badParametersAre400sNamingTheParameter() throws Exception {
    assertThat(error("state", "open")).startsWith("invalid parameter 'state'");
    assertThat(error("since", "last week")).startsWith("invalid parameter 'since'");
    assertThat(error("limit", "0")).startsWith("invalid parameter 'limit'");
    assertThat(error("limit", "5001")).startsWith("invalid parameter 'limit'");
    assertThat(error("state", "firing", "limit", "many")).startsWith("invalid parameter 'limit'");
  }

  @Test
  void alertTransitionsOnRedisReachWebSocketClientsUnchanged(Vertx vertx) throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    WebSocket ws =
        vertx
            .createWebSocketClient()
            .connect(relay.port(), "127.0.0.1", "/ws")
            .await(10, TimeUnit.SECONDS);
    ws.textMessageHandler(received::add);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> get("/metrics").bodyAsString().contains("sysmonstm_relay_websocket_clients 1\n"));
    String firing =
        "{\"type\":\"alert\",\"fingerprint\":\"3f2a9c0011223344\",\"rule_id\":\"cpu-high\","
            + "\"host_id\":\"web-1\",\"series\":\"system.cpu.utilization\",\"severity\":\"critical\","
            + "\"state\":\"firing\",\"value\":0.95,\"threshold\":0.9,\"starts_at\":1763884800000,"
            + "\"ends_at\":null,\"summary\":\"CPU on web-1 at 0.95 <b>\",\"retro\":false,"
            + "\"labels\":{}}";
    String resolved =
        firing
            .replace("\"firing\"", "\"resolved\"")
            .replace("\"ends_at\":null", "\"ends_at\":1763885100000");
    try (Jedis j = new Jedis("127.0.0.1", REDIS.port())) {
      assertThat(j.publish("sysmonstm:alerts", firing)).isEqualTo(1);
      j.publish("sysmonstm:alerts", resolved);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 2);
    assertThat(received).containsExactly(firing, resolved);
    ws.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void thePageHasAnAlertsPanelAndARulesView() throws Exception {
    assertThat(get("/").bodyAsString())
        .contains("data-field=\"alerts-active\"")
        .contains("data-field=\"alerts-history\"")
        .contains("data-field=\"rules\"");
    assertThat(get("/app.js").bodyAsString())
        .contains("api/alerts?state=firing")
        .contains("api/rules")
        .doesNotContain("innerHTML");
  }
}
