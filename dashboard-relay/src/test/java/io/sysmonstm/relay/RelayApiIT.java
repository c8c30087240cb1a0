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
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.XAddParams;

/** The relay's HTTP API, page and WebSocket against real Redis and PostgreSQL. */
@ExtendWith(VertxExtension.class)
class RelayApiIT {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final String CPU = "system.cpu.utilization";

  /** Not the default (30 s), so the page's threshold is seen to come from the setting. */
  private static final Duration STALE_AFTER = Duration.ofSeconds(45);

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  private static String jdbcUrl;
  private static RelayServer relay;
  private static WebClient web;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    jdbcUrl = POSTGRES.newDatabase("relay");
    // a fresh database: the relay applies the migrations itself
    relay = RelayServer.start(TestRelayConfig.of(REDIS.url(), jdbcUrl, STALE_AFTER));
    web = WebClient.create(vertx);
    seedHistory();
  }

  @AfterAll
  static void stop() throws Exception {
    if (relay != null) {
      relay.close();
    }
  }

  /** Raw samples every 10 s, 1-minute and 1-hour rollups, for the whole machine and for cpu 0. */
  private static void seedHistory() throws Exception {
    try (Connection c = PostgresExtension.connect(jdbcUrl)) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO samples (host_id, metric, attrs, ts, value) VALUES (?, ?, ?::jsonb, ?, ?)")) {
        for (int i = 0; i < 6; i++) {
          sample(ps, "{}", T0.plusSeconds(10L * i), 0.1 * (i + 1));
          sample(ps, "{\"cpu\": \"0\"}", T0.plusSeconds(10L * i), 0.9);
        }
        ps.executeBatch();
      }
      for (String table : List.of("rollup_1m", "rollup_1h")) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + table
                    + " (host_id, metric, attrs, bucket, count, sum, min, max, avg, last, last_ts,"
                    + " p50, p95, p99)"
                    + " VALUES ('web-1', ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          Duration width = table.equals("rollup_1m") ? Duration.ofMinutes(1) : Duration.ofHours(1);
          double base = table.equals("rollup_1m") ? 0 : 100;
          for (int i = 0; i < 3; i++) {
            Instant bucket = T0.plus(width.multipliedBy(i));
            rollup(ps, "{}", bucket, 6, base + i, bucket.plus(width).minusSeconds(1));
            rollup(
                ps,
                "{\"cpu\":\"0\"}",
                bucket,
                6,
                base + 50 + i,
                bucket.plus(width).minusSeconds(1));
          }
          ps.executeBatch();
        }
      }
      try (Statement s = c.createStatement()) {
        // more raw points than one answer may hold
        s.execute(
            "INSERT INTO samples (host_id, metric, attrs, ts, value)"
                + " SELECT 'busy', 'm', '{}', timestamptz '2025-01-01 00:00:00+00'"
                + " + n * interval '10 milliseconds', n FROM generate_series(0, 10000) n");
      }
    }
  }

  private static void sample(PreparedStatement ps, String attrs, Instant ts, double v)
      throws Exception {
    ps.setString(1, "web-1");
    ps.setString(2, CPU);
    ps.setString(3, attrs);
    ps.setTimestamp(4, Timestamp.from(ts));
    ps.setDouble(5, v);
    ps.addBatch();
  }

  /**
   * A bucket of {@code count} samples: min = base, max = base + 2, avg = base + 1; p50 = base + 1,
   * p95 = base + 1.9, p99 = base + 1.99.
   */
  private static void rollup(
      PreparedStatement ps, String attrs, Instant bucket, long count, double base, Instant lastTs)
      throws Exception {
    ps.setString(1, CPU);
    ps.setString(2, attrs);
    ps.setTimestamp(3, Timestamp.from(bucket));
    ps.setLong(4, count);
    ps.setDouble(5, (base + 1) * count);
    ps.setDouble(6, base);
    ps.setDouble(7, base + 2);
    ps.setDouble(8, base + 1);
    ps.setDouble(9, base + 0.5);
    ps.setTimestamp(10, Timestamp.from(lastTs));
    ps.setDouble(11, base + 1);
    ps.setDouble(12, base + 1.9);
    ps.setDouble(13, base + 1.99);
    ps.addBatch();
  }

  private static HttpResponse<Buffer> get(String path, String... query) throws Exception {
    HttpRequest<Buffer> req = web.get(relay.port(), "127.0.0.1", path);
    for (int i = 0; i < query.length; i += 2) {
      req.addQueryParam(query[i], query[i + 1]);
    }
    return req.send().await(10, TimeUnit.SECONDS);
  }

  private static JsonObject series(String... query) throws Exception {
    HttpResponse<Buffer> r = get("/api/hosts/web-1/series", query);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static String error(int status, String path, String... query) throws Exception {
    HttpResponse<Buffer> r = get(path, query);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    return r.bodyAsJsonObject().getString("error");
  }

  private static String ms(Instant t) {
    return String.valueOf(t.toEpochMilli());
  }

  @Test
  void hostsMergeLiveHashesWithTheHostsTable() throws Exception {
    long now = System.currentTimeMillis();
    try (Jedis j = new Jedis("127.0.0.1", REDIS.port());
        Connection c = PostgresExtension.connect(jdbcUrl);
        Statement s = c.createStatement()) {
      j.hset(
          "sysmonstm:host:web-1",
          Map.of(
              "host_id",
              "web-1",
              "hostname",
              "web-1.example",
              "os",
              "Linux 6.1",
              "cores",
              "8",
              "memory_total_bytes",
              "16777216000",
              "last_seen",
              String.valueOf(now - 1_000),
              CPU,
              "0.25",
              CPU + "{\"cpu\":\"0\"}",
              "0.5",
              "system.filesystem.utilization{\"device\":\"sda1\",\"mountpoint\":\"/\"}",
              "0.7"));
      j.zadd("sysmonstm:hosts", now - 1_000, "web-1");
      j.hset(
          "sysmonstm:host:web-2",
          Map.of(
              "host_id",
              "web-2",
              "hostname",
              "<img src=x onerror=alert(1)>",
              "last_seen",
              String.valueOf(now - 120_000),
              CPU,
              "0.1"));
      j.zadd("sysmonstm:hosts", now - 120_000, "web-2");
      s.execute(
          "INSERT INTO hosts (host_id, hostname, os, cores, memory_total_bytes, first_seen,"
              + " last_seen) VALUES ('db-1', 'db-1.example', 'FreeBSD 14', 4, 8000000000,"
              + " '2025-01-01T00:00:00Z', '2025-01-01T00:10:00Z')");
    }

    HttpResponse<Buffer> r = get("/api/hosts");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonArray hosts = r.bodyAsJsonArray();
    assertThat(hosts.stream().map(h -> ((JsonObject) h).getString("host_id")))
        .containsExactly("db-1", "web-1", "web-2");

    JsonObject db = hosts.getJsonObject(0);
    assertThat(db.getString("health")).isEqualTo("down");
    assertThat(db.getString("hostname")).isEqualTo("db-1.example");
    assertThat(db.getString("os")).isEqualTo("FreeBSD 14");
    assertThat(db.getLong("last_seen"))
        .isEqualTo(Instant.parse("2025-01-01T00:10:00Z").toEpochMilli());
    assertThat(db.getString("last_seen_iso")).isEqualTo("2025-01-01T00:10:00Z");
    assertThat(db.getJsonObject("values")).isEmpty();

    JsonObject web1 = hosts.getJsonObject(1);
    assertThat(web1.getString("health")).isEqualTo("up");
    assertThat(web1.getInteger("cores")).isEqualTo(8);
    assertThat(web1.getLong("memory_total_bytes")).isEqualTo(16_777_216_000L);
    assertThat(web1.getLong("last_seen")).isEqualTo(now - 1_000);
    assertThat(web1.getJsonObject("values").getMap())
        .containsOnlyKeys(
            CPU,
            CPU + "{\"cpu\":\"0\"}",
            "system.filesystem.utilization{\"device\":\"sda1\",\"mountpoint\":\"/\"}")
        .containsEntry(CPU, 0.25);

    JsonObject web2 = hosts.getJsonObject(2);
    assertThat(web2.getString("health")).isEqualTo("stale");
    // the API returns the name as data; the page sets it as text
    assertThat(web2.getString("hostname")).isEqualTo("<img src=x onerror=alert(1)>");
  }

  @Test
  void configGivesThePageTheHealthThresholdsOfTheHostList() throws Exception {
    HttpResponse<Buffer> r = get("/api/config");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    assertThat(r.getHeader("Cache-Control")).isEqualTo("no-store");
    JsonObject config = r.bodyAsJsonObject();
    assertThat(config.fieldNames()).containsExactlyInAnyOrder("stale_after_ms", "down_after_ms");
    // the relay's --stale-after, and the job's default --live-ttl (the live hash's expiry)
    assertThat(config.getLong("stale_after_ms")).isEqualTo(45_000L);
    assertThat(config.getLong("down_after_ms")).isEqualTo(300_000L);
  }

  @Test
  void rawStepServesSamplesAsPoints() throws Exception {
    JsonObject s =
        series("metric", CPU, "from", T0.toString(), "to", ms(T0.plusSeconds(30)), "step", "raw");
    assertThat(s.getString("host_id")).isEqualTo("web-1");
    assertThat(s.getString("metric")).isEqualTo(CPU);
    assertThat(s.getJsonObject("attrs")).isEmpty();
    assertThat(s.getString("step")).isEqualTo("raw");
    JsonArray points = s.getJsonArray("points");
    assertThat(points).hasSize(3); // 'to' is exclusive
    for (int i = 0; i < 3; i++) {
      JsonObject p = points.getJsonObject(i);
      double v = 0.1 * (i + 1);
      assertThat(p.getString("t")).isEqualTo(T0.plusSeconds(10L * i).toString());
      assertThat(p.getLong("count")).isEqualTo(1);
      assertThat(p.getDouble("min")).isEqualTo(v);
      assertThat(p.getDouble("max")).isEqualTo(v);
      assertThat(p.getDouble("avg")).isEqualTo(v);
      assertThat(p.getDouble("last")).isEqualTo(v);
      assertThat(p.getDouble("p50")).isEqualTo(v);
      assertThat(p.getDouble("p95")).isEqualTo(v);
      assertThat(p.getDouble("p99")).isEqualTo(v);
    }
  }

  @Test
  void minuteStepServesTheBucketsOverlappingTheRange() throws Exception {
    JsonObject s =
        series(
            "metric",
            CPU,
            "from",
            T0.plusSeconds(30).toString(),
            "to",
            T0.plusSeconds(120).toString(),
            "step",
            "1m");
    assertThat(s.getString("step")).isEqualTo("1m");
    assertThat(s.getJsonArray("points"))
        .containsExactly(point(T0, 6, 0, 2, 1, 0.5), point(T0.plusSeconds(60), 6, 1, 3, 2, 1.5));
  }

  @Test
  void hourStepServesHourlyRollups() throws Exception {
    JsonObject s =
        series(
            "metric",
            CPU,
            "from",
            T0.toString(),
            "to",
            T0.plus(Duration.ofHours(3)).toString(),
            "step",
            "1h");
    assertThat(s.getString("step")).isEqualTo("1h");
    assertThat(s.getJsonArray("points"))
        .containsExactly(
            point(T0, 6, 100, 102, 101, 100.5),
            point(T0.plus(Duration.ofHours(1)), 6, 101, 103, 102, 101.5),
            point(T0.plus(Duration.ofHours(2)), 6, 102, 104, 103, 102.5));
  }

  private static JsonObject point(
      Instant t, long count, double min, double max, double avg, double last) {
    return new JsonObject()
        .put("t", t.toString())
        .put("count", count)
        .put("min", min)
        .put("max", max)
        .put("avg", avg)
        .put("p50", min + 1)
        .put("p95", min + 1.9)
        .put("p99", min + 1.99)
        .put("last", last);
  }

  @Test
  void autoStepPicksTheTierThatCoversTheRange() throws Exception {
    JsonObject tenMinutes =
        series("metric", CPU, "from", T0.toString(), "to", T0.plusSeconds(600).toString());
    assertThat(tenMinutes.getString("step")).isEqualTo("raw");
    assertThat(tenMinutes.getJsonArray("points")).hasSize(6);

    JsonObject twoHours =
        series(
            "metric", CPU, "from", ms(T0), "to", ms(T0.plus(Duration.ofHours(2))), "step", "auto");
    assertThat(twoHours.getString("step")).isEqualTo("1m");
    assertThat(twoHours.getJsonArray("points")).hasSize(3);
    assertThat(twoHours.getJsonArray("points").getJsonObject(0).getDouble("avg")).isEqualTo(1.0);

    JsonObject threeDays =
        series("metric", CPU, "from", ms(T0), "to", ms(T0.plus(Duration.ofDays(3))));
    assertThat(threeDays.getString("step")).isEqualTo("1h");
    assertThat(threeDays.getJsonArray("points").getJsonObject(0).getDouble("avg")).isEqualTo(101.0);
  }

  @Test
  void theLastFiveMinutesComeFromTheRecentStreamElseFromTheDatabase() throws Exception {
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    String key = "sysmonstm:recent:web-1";
    try (Jedis j = new Jedis("127.0.0.1", REDIS.port())) {
      for (int i = 3; i >= 1; i--) {
        Instant t = now.minusSeconds(30L * i);
        j.xadd(
            key,
            XAddParams.xAddParams().id(t.toEpochMilli(), 0),
            Map.of(CPU, String.valueOf(0.1 * i), CPU + "{\"cpu\":\"0\"}", "0.9"));
      }
      JsonObject fromRedis =
          series("metric", CPU, "from", now.minusSeconds(120).toString(), "step", "raw");
      assertThat(fromRedis.getJsonArray("points"))
          .extracting(
              p -> ((JsonObject) p).getString("t") + "=" + ((JsonObject) p).getDouble("avg"))
          .containsExactly(
              now.minusSeconds(90) + "=" + 0.30000000000000004,
              now.minusSeconds(60) + "=" + 0.2,
              now.minusSeconds(30) + "=" + 0.1);
      JsonObject core =
          series(
              "metric",
              CPU,
              "attrs",
              "cpu=0",
              "from",
              now.minusSeconds(120).toString(),
              "step",
              "raw");
      assertThat(core.getJsonArray("points")).hasSize(3);

      // no stream (an older job, or Redis restarted): the same query reads the samples table
      j.del(key);
      try (Connection c = PostgresExtension.connect(jdbcUrl);
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO samples (host_id, metric, attrs, ts, value)"
                      + " VALUES ('web-1', ?, '{}', ?, 0.42)")) {
        ps.setString(1, CPU);
        ps.setTimestamp(2, Timestamp.from(now.minusSeconds(45)));
        ps.executeUpdate();
      }
      JsonObject fromDb =
          series("metric", CPU, "from", now.minusSeconds(120).toString(), "step", "raw");
      assertThat(fromDb.getJsonArray("points"))
          .extracting(p -> ((JsonObject) p).getDouble("avg"))
          .containsExactly(0.42);
    }
  }

  @Test
  void attrsSelectTheSeriesInEitherForm() throws Exception {
    for (String attrs : List.of("{\"cpu\":\"0\"}", "cpu=0")) {
      JsonObject s =
          series(
              "metric",
              CPU,
              "attrs",
              attrs,
              "from",
              T0.toString(),
              "to",
              T0.plusSeconds(120).toString(),
              "step",
              "1m");
      assertThat(s.getJsonObject("attrs")).isEqualTo(new JsonObject().put("cpu", "0"));
      assertThat(s.getJsonArray("points").stream().map(p -> ((JsonObject) p).getDouble("min")))
          .as(attrs)
          .containsExactly(50.0, 51.0);
    }
    JsonObject raw =
        series("metric", CPU, "attrs", "cpu=0", "from", ms(T0), "to", ms(T0.plusSeconds(60)));
    assertThat(raw.getJsonArray("points").stream().map(p -> ((JsonObject) p).getDouble("avg")))
        .containsOnly(0.9)
        .hasSize(6);
  }

  @Test
  void unknownHostsHaveNoPoints() throws Exception {
    HttpResponse<Buffer> r =
        get(
            "/api/hosts/nobody/series",
            "metric",
            CPU,
            "from",
            ms(T0),
            "to",
            ms(T0.plusSeconds(60)));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getJsonArray("points")).isEmpty();
  }

  @Test
  void badParametersAre400sNamingTheParameter() throws Exception {
    String path = "/api/hosts/web-1/series";
    assertThat(error(400, path)).isEqualTo("missing parameter 'metric'");
    assertThat(error(400, path, "metric", CPU, "from", "last tuesday"))
        .startsWith("invalid parameter 'from'");
    assertThat(error(400, path, "metric", CPU, "to", "2025-02-30T00:00:00Z"))
        .startsWith("invalid parameter 'to'");
    assertThat(error(400, path, "metric", CPU, "from", ms(T0.plusSeconds(60)), "to", ms(T0)))
        .startsWith("invalid parameter 'from'")
        .contains("before 'to'");
    assertThat(error(400, path, "metric", CPU, "step", "5m"))
        .startsWith("invalid parameter 'step'");
    assertThat(error(400, path, "metric", CPU, "attrs", "{cpu:0"))
        .startsWith("invalid parameter 'attrs'");
  }

  @Test
  void tooManyPointsAskForACoarserStep() throws Exception {
    String message =
        error(
            400,
            "/api/hosts/busy/series",
            "metric",
            "m",
            "from",
            ms(T0),
            "to",
            ms(T0.plusSeconds(600)),
            "step",
            "raw");
    assertThat(message).contains("'step'").contains("10000").contains("step=1m");
  }

  @Test
  void liveMessagesReachWebSocketClientsUnchanged(Vertx vertx) throws Exception {
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

    String host =
        "{\"type\":\"host\",\"host_id\":\"web-1\",\"hostname\":\"wéb <1>\",\"last_seen\":1,"
            + "\"values\":{\"system.cpu.utilization{\\\"cpu\\\":\\\"0\\\"}\":0.10}}";
    String alert = "{\"type\":\"alert\",\"rule_id\":\"cpu-high\",\"state\":\"firing\"}";
    try (Jedis j = new Jedis("127.0.0.1", REDIS.port())) {
      assertThat(j.publish("sysmonstm:live", host)).isEqualTo(1);
      j.publish("sysmonstm:alerts", alert);
      j.publish("sysmonstm:other", "{\"not\":\"relayed\"}");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 2);
    assertThat(received).containsExactly(host, alert);
    assertThat(get("/metrics").bodyAsString()).contains("sysmonstm_relay_live_messages_total 2\n");
    ws.close().await(10, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> get("/metrics").bodyAsString().contains("sysmonstm_relay_websocket_clients 0\n"));
  }

  @Test
  void healthIsUpWhenRedisAndPostgresAnswer() throws Exception {
    HttpResponse<Buffer> r = get("/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("status", "up")
                .put("checks", new JsonObject().put("redis", "up").put("postgres", "up")));
  }

  @Test
  void metricsAreCountedPerRouteAndStatus() throws Exception {
    get("/api/hosts/web-1/series", "metric", CPU, "step", "5m");
    get("/api/nothing-here");
    String text = get("/metrics").bodyAsString();
    assertThat(text)
        .contains("# TYPE sysmonstm_relay_websocket_clients gauge")
        .contains("# TYPE sysmonstm_relay_http_requests_total counter")
        .contains("# TYPE sysmonstm_relay_live_messages_total counter")
        .containsPattern(
            "sysmonstm_relay_http_requests_total\\{route=\"/api/hosts/\\{id}/series\",status=\"400\"} [1-9]")
        .containsPattern(
            "sysmonstm_relay_http_requests_total\\{route=\"/api/\\*\",status=\"404\"} [1-9]");
  }

  @Test
  void theDashboardPageIsServedAndSetsCollectorTextAsText() throws Exception {
    HttpResponse<Buffer> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'self'");
    assertThat(page.bodyAsString())
        .contains("<script src=\"app.js\"></script>")
        .contains("style.css")
        // works offline: nothing is loaded from another host
        .doesNotContain("http://")
        .doesNotContain("https://");

    HttpResponse<Buffer> app = get("/app.js");
    assertThat(app.statusCode()).isEqualTo(200);
    assertThat(app.bodyAsString())
        // health thresholds come from the relay
        .contains("getJson('api/config')")
        .contains("textContent")
        .contains("dataset.field", "dataset.hostId")
        .doesNotContain("innerHTML")
        .doesNotContain("outerHTML")
        .doesNotContain("insertAdjacentHTML")
        .doesNotContain("document.write");
    assertThat(get("/style.css").statusCode()).isEqualTo(200);
  }

  @Test
  void unknownApiPathsAreJson404s() throws Exception {
    assertThat(error(404, "/api/nope")).contains("/api/nope");
  }
}
