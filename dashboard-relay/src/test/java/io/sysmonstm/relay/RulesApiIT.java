package io.sysmonstm.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sysmonstm.embedded.KafkaExtension;
import io.sysmonstm.embedded.Ports;
import io.sysmonstm.embedded.PostgresExtension;
import io.sysmonstm.embedded.RedisExtension;
import io.sysmonstm.rules.Rule;
import io.sysmonstm.rules.RuleCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rules API against real PostgreSQL, Redis and an in-process Kafka broker: what a change leaves
 * in table {@code alert_rules} and on the rules topic, and that a refused or failed change leaves
 * nothing in either.
 */
@ExtendWith(VertxExtension.class)
class RulesApiIT {
  private static final String TOPIC = "it.rules";
  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
  private static final String TOKEN = "it-admin-token";

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();
  @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.perClass();

  private static String jdbcUrl;
  private static RelayServer relay;
  private static WebClient web;
  private static long offsetAfterStart;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    KAFKA.createTopic(TOPIC, 1, Map.of("cleanup.policy", "compact"));
    jdbcUrl = POSTGRES.newDatabase("relay");
    relay = RelayServer.start(config(KAFKA.bootstrapServers()));
    offsetAfterStart = endOffset();
    web = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    if (relay != null) {
      relay.close();
    }
  }

  private static RelayConfig config(String kafkaBootstrap) {
    return new RelayConfig(
        0,
        "127.0.0.1",
        URI.create(REDIS.url()),
        jdbcUrl,
        PostgresExtension.USER,
        PostgresExtension.PASSWORD,
        true,
        Duration.ofSeconds(30),
        kafkaBootstrap,
        TOPIC,
        Optional.of(TOKEN));
  }

  // ------------------------------------------------------------------ Kafka and database

  private static KafkaConsumer<String, String> consumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.bootstrapServers(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false),
        new StringDeserializer(),
        new StringDeserializer());
  }

  private static long endOffset() {
    try (KafkaConsumer<String, String> c = consumer()) {
      return c.endOffsets(List.of(PARTITION)).get(PARTITION);
    }
  }

  /** The {@code n} records from {@code offset} on (a change is acknowledged before its answer). */
  private static List<ConsumerRecord<String, String>> records(long offset, int n) {
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c = consumer()) {
      c.assign(List.of(PARTITION));
      c.seek(PARTITION, offset);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= n;
              });
    }
    return out;
  }

  /** The stored rule, or null. */
  private static JsonObject row(String id) throws Exception {
    try (Connection c = PostgresExtension.connect(jdbcUrl);
        PreparedStatement ps =
            c.prepareStatement("SELECT rule::text FROM alert_rules WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new JsonObject(rs.getString(1)) : null;
      }
    }
  }

  // ------------------------------------------------------------------ HTTP

  private static HttpResponse<Buffer> send(HttpRequest<Buffer> req, String body) throws Exception {
    Future<HttpResponse<Buffer>> f =
        body == null ? req.send() : req.sendBuffer(Buffer.buffer(body));
    return f.await(30, TimeUnit.SECONDS);
  }

  private static HttpRequest<Buffer> put(int port, String id, String token) {
    HttpRequest<Buffer> req =
        web.put(port, "127.0.0.1", "/api/rules/" + id)
            .putHeader("Content-Type", "application/json");
    return token == null ? req : req.putHeader("Authorization", "Bearer " + token);
  }

  private static HttpResponse<Buffer> put(String id, String body) throws Exception {
    return send(put(relay.port(), id, TOKEN), body);
  }

  private static HttpResponse<Buffer> delete(int port, String id, String token) throws Exception {
    HttpRequest<Buffer> req = web.delete(port, "127.0.0.1", "/api/rules/" + id);
    return send(token == null ? req : req.putHeader("Authorization", "Bearer " + token), null);
  }

  private static HttpResponse<Buffer> get(String path) throws Exception {
    return send(web.get(relay.port(), "127.0.0.1", path), null);
  }

  // ------------------------------------------------------------------ tests

  @Test
  void anEmptyTableIsSeededWithTheDefaultsWithoutPublishing() throws Exception {
    assertThat(offsetAfterStart).isZero();
    HttpResponse<Buffer> r = get("/api/rules");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonArray rules = r.bodyAsJsonArray();
    for (Rule d : RuleCodec.defaults()) {
      assertThat(rules).contains(new JsonObject(RuleCodec.toJson(d)));
    }
    List<String> ids = rules.stream().map(o -> ((JsonObject) o).getString("id")).toList();
    assertThat(ids).isSorted().contains("cpu-high", "disk-full", "host-down", "memory-high");

    HttpResponse<Buffer> one = get("/api/rules/cpu-high");
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.bodyAsJsonObject().getString("kind")).isEqualTo("threshold");
    HttpResponse<Buffer> none = get("/api/rules/no-such-rule");
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.bodyAsJsonObject().getString("error")).contains("no-such-rule");
  }

  @Test
  void aValidRuleIsStoredPublishedAndAnsweredCanonical() throws Exception {
    String id = "it-cpu-web";
    String body =
        "{\"metric\":\"system.cpu.utilization\",\"match\":{\"cpu\":\"\"},\"hosts\":\"web-*\","
            + "\"op\":\">\",\"threshold\":0.8,\"for\":\"1m\",\"severity\":\"warning\"}";
    String canonical = RuleCodec.toJson(RuleCodec.parse(body, id));
    long offset = endOffset();

    HttpResponse<Buffer> created = put(id, body);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.getHeader("Location")).isEqualTo("/api/rules/" + id);
    assertThat(created.bodyAsString()).isEqualTo(canonical);
    assertThat(row(id)).isEqualTo(new JsonObject(canonical));
    List<ConsumerRecord<String, String>> first = records(offset, 1);
    assertThat(first).hasSize(1);
    assertThat(first.get(0).key()).isEqualTo(id);
    assertThat(first.get(0).value()).isEqualTo(canonical);

    String changed = body.replace("0.8", "0.85");
    HttpResponse<Buffer> replaced = put(id, changed);
    assertThat(replaced.statusCode()).as(replaced.bodyAsString()).isEqualTo(200);
    assertThat(replaced.bodyAsJsonObject().getDouble("threshold")).isEqualTo(0.85);
    assertThat(row(id).getDouble("threshold")).isEqualTo(0.85);
    List<ConsumerRecord<String, String>> both = records(offset, 2);
    assertThat(both).hasSize(2);
    assertThat(both.get(1).value()).isEqualTo(replaced.bodyAsString());
    assertThat(get("/api/rules/" + id).bodyAsString()).isEqualTo(replaced.bodyAsString());

    assertThat(get("/metrics").bodyAsString())
        .containsPattern(
            "sysmonstm_relay_rule_writes_total\\{op=\"put\",outcome=\"created\"} [1-9]")
        .containsPattern(
            "sysmonstm_relay_rule_writes_total\\{op=\"put\",outcome=\"replaced\"} [1-9]");
  }

  @Test
  void anInvalidRuleIs400NamingTheFieldAndChangesNothing() throws Exception {
    long offset = endOffset();
    String id = "it-bad";

    HttpResponse<Buffer> r =
        put(id, "{\"metric\":\"system.cpu.utilization\",\"op\":\">\",\"threshold\":\"high\"}");
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("field")).isEqualTo("threshold");
    assertThat(r.bodyAsJsonObject().getString("error")).startsWith("threshold");

    assertThat(put(id, "{\"metric\":").bodyAsJsonObject().getString("field")).isEqualTo("body");
    assertThat(put(id, "{\"id\":\"other\",\"metric\":\"m\",\"op\":\">\",\"threshold\":1}"))
        .satisfies(x -> assertThat(x.statusCode()).isEqualTo(400))
        .satisfies(x -> assertThat(x.bodyAsJsonObject().getString("field")).isEqualTo("id"));
    HttpResponse<Buffer> then =
        put(id, "{\"metric\":\"m\",\"op\":\">\",\"threshold\":1,\"then\":{\"metric\":\"n\"}}");
    assertThat(then.statusCode()).isEqualTo(400);
    assertThat(then.bodyAsJsonObject().getString("field")).startsWith("then");

    assertThat(row(id)).isNull();
    assertThat(endOffset()).isEqualTo(offset);
  }

  @Test
  void changesNeedTheAdminToken() throws Exception {
    long offset = endOffset();
    String body = "{\"metric\":\"m\",\"op\":\">\",\"threshold\":1}";

    HttpResponse<Buffer> none = send(put(relay.port(), "it-anon", null), body);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(none.bodyAsJsonObject().getString("error")).contains("admin token");
    assertThat(send(put(relay.port(), "it-anon", "wrong"), body).statusCode()).isEqualTo(401);
    assertThat(delete(relay.port(), "host-down", null).statusCode()).isEqualTo(401);
    assertThat(delete(relay.port(), "host-down", TOKEN + "x").statusCode()).isEqualTo(401);

    assertThat(row("it-anon")).isNull();
    assertThat(row("host-down")).isNotNull();
    assertThat(endOffset()).isEqualTo(offset);
  }

  @Test
  void deleteTombstonesTheRuleAndRemovesTheRow() throws Exception {
    String id = "it-gone";
    assertThat(put(id, "{\"kind\":\"host_down\",\"absent_for\":\"1m\"}").statusCode())
        .isEqualTo(201);
    long offset = endOffset();

    HttpResponse<Buffer> r = delete(relay.port(), id, TOKEN);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(204);
    List<ConsumerRecord<String, String>> tombstone = records(offset, 1);
    assertThat(tombstone).hasSize(1);
    assertThat(tombstone.get(0).key()).isEqualTo(id);
    assertThat(tombstone.get(0).value()).isNull();
    assertThat(row(id)).isNull();
    assertThat(get("/api/rules/" + id).statusCode()).isEqualTo(404);

    assertThat(delete(relay.port(), id, TOKEN).statusCode()).isEqualTo(404);
    assertThat(endOffset()).isEqualTo(offset + 1);
  }

  @Test
  void aBodyOver64KiBIs413() throws Exception {
    long offset = endOffset();
    String big =
        "{\"metric\":\"m\",\"op\":\">\",\"threshold\":1,\"summary\":\""
            + "x".repeat(70 * 1024)
            + "\"}";
    HttpResponse<Buffer> r = put("it-big", big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.bodyAsJsonObject().getString("error")).contains("64 KiB");
    assertThat(row("it-big")).isNull();
    assertThat(endOffset()).isEqualTo(offset);
  }

  @Test
  void whenKafkaIsUnreachableChangesAre503AndNothingChanges() throws Exception {
    try (RelayServer offline = RelayServer.start(config("localhost:" + Ports.free()))) {
      // both at once: each waits for Kafka's metadata until the producer gives up
      Future<HttpResponse<Buffer>> put =
          put(offline.port(), "it-offline", TOKEN)
              .sendBuffer(Buffer.buffer("{\"metric\":\"m\",\"op\":\">\",\"threshold\":1}"));
      Future<HttpResponse<Buffer>> delete =
          web.delete(offline.port(), "127.0.0.1", "/api/rules/memory-high")
              .putHeader("Authorization", "Bearer " + TOKEN)
              .send();
      for (HttpResponse<Buffer> r :
          List.of(put.await(30, TimeUnit.SECONDS), delete.await(30, TimeUnit.SECONDS))) {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(503);
        assertThat(r.bodyAsJsonObject().getString("error"))
            .contains("Kafka is unreachable")
            .contains("nothing was changed");
      }
      assertThat(row("it-offline")).isNull();
      assertThat(row("memory-high")).isNotNull();
      // reads do not need Kafka
      HttpResponse<Buffer> list = send(web.get(offline.port(), "127.0.0.1", "/api/rules"), null);
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(send(web.get(offline.port(), "127.0.0.1", "/metrics"), null).bodyAsString())
          .contains(
              "sysmonstm_relay_rule_writes_total{op=\"delete\",outcome=\"kafka_unavailable\"} 1")
          .contains(
              "sysmonstm_relay_rule_writes_total{op=\"put\",outcome=\"kafka_unavailable\"} 1");
    }
  }
}
