package io.sysmonstm.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sysmonstm.config.StartupException;
import io.sysmonstm.embedded.EmbeddedRedis;
import io.sysmonstm.embedded.Ports;
import io.sysmonstm.embedded.PostgresExtension;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/** What the relay does when its port is taken or Redis / PostgreSQL are not there. */
@ExtendWith(VertxExtension.class)
class RelayFailureIT {
  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  private static String jdbcUrl;

  @BeforeAll
  static void database() {
    jdbcUrl = POSTGRES.newDatabase("relay");
  }

  private static RelayConfig config(int port, String redisUrl, String jdbc, String password) {
    return new RelayConfig(
        port,
        "0.0.0.0",
        URI.create(redisUrl),
        jdbc,
        PostgresExtension.USER,
        password,
        true,
        Duration.ofSeconds(30),
        RelayConfig.DEFAULT_KAFKA_BOOTSTRAP,
        RelayConfig.DEFAULT_RULES_TOPIC,
        Optional.empty());
  }

  private static String closedPortUrl(String scheme) {
    return scheme + "://localhost:" + Ports.free();
  }

  @Test
  void aTakenPortIsOneLineNamingTheSetting() throws Exception {
    try (EmbeddedRedis redis = EmbeddedRedis.start();
        ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(0));
      int port = taken.getLocalPort();
      assertThatThrownBy(
              () ->
                  RelayServer.start(config(port, redis.url(), jdbcUrl, PostgresExtension.PASSWORD)))
          .isInstanceOf(StartupException.class)
          .hasMessage("port " + port + " is in use (set --port / SYSMONSTM_PORT to move it)");
    }
  }

  @Test
  void unreachableRedisNamesRedisUrlWithinTenSeconds() {
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () ->
                RelayServer.start(
                    config(0, closedPortUrl("redis"), jdbcUrl, PostgresExtension.PASSWORD)))
        .isInstanceOf(StartupException.class)
        .hasMessageStartingWith("cannot reach Redis at redis://localhost:")
        .hasMessageContaining("check --redis-url (SYSMONSTM_REDIS_URL)")
        .hasMessageNotContaining("\n");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void unreachablePostgresNamesJdbcUrlAndBadCredentialsNameUserAndPassword() throws Exception {
    try (EmbeddedRedis redis = EmbeddedRedis.start()) {
      long t0 = System.nanoTime();
      String closed = "jdbc:postgresql://localhost:" + Ports.free() + "/sysmonstm";
      assertThatThrownBy(
              () -> RelayServer.start(config(0, redis.url(), closed, PostgresExtension.PASSWORD)))
          .isInstanceOf(StartupException.class)
          .hasMessageStartingWith("cannot reach PostgreSQL at " + closed)
          .hasMessageContaining("check --jdbc-url (SYSMONSTM_JDBC_URL)")
          .hasMessageNotContaining("\n");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));

      // the test server trusts local connections, so an unknown role stands for bad credentials
      RelayConfig unknownRole =
          new RelayConfig(
              0,
              "0.0.0.0",
              URI.create(redis.url()),
              jdbcUrl,
              "nobody",
              "wrong",
              true,
              Duration.ofSeconds(30),
              RelayConfig.DEFAULT_KAFKA_BOOTSTRAP,
              RelayConfig.DEFAULT_RULES_TOPIC,
              Optional.empty());
      assertThatThrownBy(() -> RelayServer.start(unknownRole))
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("check --jdbc-user (SYSMONSTM_JDBC_USER)")
          .hasMessageContaining("--jdbc-password");
    }
  }

  @Test
  void redisGoingAwayIsA503AndTheLiveFeedComesBackWithIt(Vertx vertx) throws Exception {
    int redisPort = Ports.free();
    EmbeddedRedis redis = EmbeddedRedis.start(redisPort);
    try (RelayServer relay =
        RelayServer.start(config(0, redis.url(), jdbcUrl, PostgresExtension.PASSWORD))) {
      WebClient web = WebClient.create(vertx);
      List<String> received = new CopyOnWriteArrayList<>();
      WebSocket ws =
          vertx
              .createWebSocketClient()
              .connect(relay.port(), "localhost", "/ws")
              .await(10, TimeUnit.SECONDS);
      ws.textMessageHandler(received::add);

      redis.close();
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                HttpResponse<Buffer> r = get(web, relay.port(), "/health");
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.bodyAsJsonObject())
                    .isEqualTo(
                        new JsonObject()
                            .put("status", "degraded")
                            .put(
                                "checks",
                                new JsonObject().put("redis", "down").put("postgres", "up")));
              });
      HttpResponse<Buffer> hosts = get(web, relay.port(), "/api/hosts");
      assertThat(hosts.statusCode()).isEqualTo(503);
      assertThat(hosts.bodyAsJsonObject().getString("error")).isEqualTo("Redis is unavailable");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  get(web, relay.port(), "/metrics")
                      .bodyAsString()
                      .contains("sysmonstm_relay_redis_subscription_up 0\n"));

      redis = EmbeddedRedis.start(redisPort);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  get(web, relay.port(), "/metrics")
                      .bodyAsString()
                      .contains("sysmonstm_relay_redis_subscription_up 1\n"));
      try (Jedis j = new Jedis("localhost", redisPort)) {
        j.publish("sysmonstm:live", "{\"type\":\"host\",\"host_id\":\"back\"}");
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
      assertThat(received).containsExactly("{\"type\":\"host\",\"host_id\":\"back\"}");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(web, relay.port(), "/health").statusCode() == 200);
    } finally {
      redis.close();
    }
  }

  private static HttpResponse<Buffer> get(WebClient web, int port, String path) throws Exception {
    return web.get(port, "localhost", path).send().await(10, TimeUnit.SECONDS);
  }
}
