package io.sysmonstm.analytics;

import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysmonstm.analytics.sketch.ValueSketch;
import io.sysmonstm.analytics.source.KafkaSnapshotSource;
import io.sysmonstm.analytics.startup.DependencyCheck;
import io.sysmonstm.analytics.testing.TestFlink;
import io.sysmonstm.analytics.testing.TestJob;
import io.sysmonstm.config.StartupException;
import io.sysmonstm.embedded.KafkaExtension;
import io.sysmonstm.embedded.Ports;
import io.sysmonstm.embedded.PostgresExtension;
import io.sysmonstm.embedded.RedisExtension;
import io.sysmonstm.proto.v1.HostFacts;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.Sample;
import io.sysmonstm.proto.v1.Snapshot;
import io.sysmonstm.sql.Migrations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;

/**
 * The job as it runs in production, on a mini-cluster with RocksDB and checkpoints, against a real
 * Kafka broker, PostgreSQL and Redis; only the Kafka source is made bounded.
 */
class AnalyticsJobIT {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension(Migrations::apply);

  @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.perClass();

  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  @RegisterExtension static final MiniClusterExtension FLINK = TestFlink.cluster(2);

  static final String CPU = "system.cpu.utilization";
  static final String NET = "system.network.io.rate";
  static final String NET_ATTRS = "{\"device\":\"eth0\",\"direction\":\"receive\"}";

  static String jdbcUrl;

  @TempDir Path checkpoints;

  @BeforeAll
  static void startServers() throws Exception {
    jdbcUrl = POSTGRES.newDatabase("sysmonstm");
  }

  static Instant sec(int s) {
    return T0.plusSeconds(s);
  }

  static MetricBatch batch(String host, long seq, Snapshot... snapshots) {
    return MetricBatch.newBuilder()
        .setHostId(host)
        .setRunId("run-" + host)
        .setSeq(seq)
        .setFacts(
            HostFacts.newBuilder()
                .setHostname(host + ".example")
                .setOs("Debian GNU/Linux 12")
                .setCores(4)
                .setMemoryTotalBytes(8_000_000_000L)
                .setCollectorVersion("0.1.0"))
        .addAllSnapshots(List.of(snapshots))
        .build();
  }

  static Snapshot snapshot(Instant at, Sample... samples) {
    return Snapshot.newBuilder()
        .setTimestampMs(at.toEpochMilli())
        .addAllSamples(List.of(samples))
        .build();
  }

  static Sample cpu(double v) {
    return Sample.newBuilder().setMetric(CPU).setValue(v).build();
  }

  static Sample net(double v) {
    return Sample.newBuilder()
        .setMetric(NET)
        .putAttributes("direction", "receive")
        .putAttributes("device", "eth0")
        .setValue(v)
        .build();
  }

  JobConfig config(String topic, String... more) {
    List<String> args =
        TestJob.args(
            KAFKA.bootstrapServers(), topic, "it-" + topic, jdbcUrl, REDIS.url(), checkpoints);
    args.addAll(
        List.of(
            "--checkpoint-interval",
            "1s",
            // bounded input: the rules topic would keep the job running (AlertsExactlyOnceIT)
            "--alerts",
            "false"));
    args.addAll(List.of(more));
    return TestJob.config(args);
  }

  void produce(String topic, List<MetricBatch> batches, byte[] garbage) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, "web-1", garbage)).get();
      for (MetricBatch b : batches) {
        producer.send(new ProducerRecord<>(topic, b.getHostId(), b.toByteArray())).get();
      }
    }
  }

  @Test
  void writesRollupsSamplesHostsAndLiveValuesFromKafka() throws Exception {
    String topic = "samples-" + UUID.randomUUID();
    KAFKA.createTopic(topic, 2);
    produce(
        topic,
        List.of(
            batch(
                "web-1",
                1,
                snapshot(sec(10), cpu(0.2), net(1000)),
                snapshot(sec(40), cpu(0.4), net(3000))),
            batch("web-2", 1, snapshot(sec(20), cpu(0.5))),
            batch("web-1", 2, snapshot(sec(70), cpu(0.6)))),
        "not a MetricBatch".getBytes(StandardCharsets.UTF_8));
    Queue<String> published = new ConcurrentLinkedQueue<>();
    Subscriber subscriber = Subscriber.start(REDIS.port(), published);

    try {
      JobConfig cfg = config(topic);
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      AnalyticsJob.configure(env, cfg);
      AnalyticsJob.productionBuilder(cfg)
          .source(KafkaSnapshotSource.builder(cfg).setBounded(OffsetsInitializer.latest()).build())
          .build()
          .build(env);
      env.execute(AnalyticsJob.NAME);

      await().atMost(Duration.ofSeconds(10)).until(() -> published.size() >= 3);
    } finally {
      subscriber.close();
    }

    try (Connection c = PostgresExtension.connect(jdbcUrl)) {
      assertRollup(c, "rollup_1m", "web-1", CPU, "{}", sec(0), 2, 0.6, 0.2, 0.4, 0.4, sec(40));
      assertRollup(
          c, "rollup_1m", "web-1", NET, NET_ATTRS, sec(0), 2, 4000, 1000, 3000, 3000, sec(40));
      assertRollup(c, "rollup_1m", "web-1", CPU, "{}", sec(60), 1, 0.6, 0.6, 0.6, 0.6, sec(70));
      assertRollup(c, "rollup_1m", "web-2", CPU, "{}", sec(0), 1, 0.5, 0.5, 0.5, 0.5, sec(20));
      assertThat(count(c, "rollup_1m")).isEqualTo(4);

      assertRollup(c, "rollup_1h", "web-1", CPU, "{}", sec(0), 3, 1.2, 0.2, 0.6, 0.6, sec(70));
      assertRollup(
          c, "rollup_1h", "web-1", NET, NET_ATTRS, sec(0), 2, 4000, 1000, 3000, 3000, sec(40));
      assertRollup(c, "rollup_1h", "web-2", CPU, "{}", sec(0), 1, 0.5, 0.5, 0.5, 0.5, sec(20));
      assertThat(count(c, "rollup_1h")).isEqualTo(3);

      // quantiles from the sketch (values 0.2 and 0.4; rank floor(q * 1) = 0 for p50..p99)
      // and the sketch itself, which merges: the hour's holds the minutes' 3 values
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT m.p50, m.p95, m.p99, m.sketch, h.sketch FROM rollup_1m m JOIN rollup_1h h"
                  + " ON h.host_id = m.host_id AND h.metric = m.metric AND h.attrs = m.attrs"
                  + " WHERE m.host_id = 'web-1' AND m.metric = ? AND m.attrs = '{}'"
                  + " AND m.bucket = ?")) {
        ps.setString(1, CPU);
        ps.setTimestamp(2, Timestamp.from(sec(0)));
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getDouble(1)).isCloseTo(0.2, within(0.2 * ValueSketch.RELATIVE_ACCURACY));
          assertThat(rs.getDouble(2)).isCloseTo(0.2, within(0.2 * ValueSketch.RELATIVE_ACCURACY));
          assertThat(rs.getDouble(3)).isCloseTo(0.2, within(0.2 * ValueSketch.RELATIVE_ACCURACY));
          assertThat(ValueSketch.decode(rs.getBytes(4)).count()).isEqualTo(2);
          assertThat(ValueSketch.decode(rs.getBytes(5)).count()).isEqualTo(3);
        }
      }
      assertThat(count(c, "late_samples")).isZero();

      assertThat(count(c, "samples")).isEqualTo(6);
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT value FROM samples WHERE host_id = ? AND metric = ? AND attrs = ?::jsonb"
                  + " AND ts = ?")) {
        ps.setString(1, "web-1");
        ps.setString(2, NET);
        ps.setString(3, "{\"direction\": \"receive\", \"device\": \"eth0\"}");
        ps.setTimestamp(4, Timestamp.from(sec(40)));
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getDouble(1)).isEqualTo(3000);
        }
      }

      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT hostname, os, cores, memory_total_bytes, first_seen, last_seen"
                      + " FROM hosts WHERE host_id = 'web-1'");
          ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("web-1.example");
        assertThat(rs.getString(2)).isEqualTo("Debian GNU/Linux 12");
        assertThat(rs.getInt(3)).isEqualTo(4);
        assertThat(rs.getLong(4)).isEqualTo(8_000_000_000L);
        assertThat(rs.getTimestamp(5).toInstant()).isEqualTo(sec(10));
        assertThat(rs.getTimestamp(6).toInstant()).isEqualTo(sec(70));
      }
      assertThat(count(c, "hosts")).isEqualTo(2);
    }

    try (JedisPooled jedis = new JedisPooled(REDIS.url())) {
      Map<String, String> web1 = jedis.hgetAll("sysmonstm:host:web-1");
      assertThat(web1)
          .containsEntry("host_id", "web-1")
          .containsEntry("hostname", "web-1.example")
          .containsEntry("os", "Debian GNU/Linux 12")
          .containsEntry("cores", "4")
          .containsEntry("memory_total_bytes", "8000000000")
          .containsEntry("last_seen", Long.toString(sec(70).toEpochMilli()))
          .containsEntry(CPU, "0.6")
          .containsEntry(NET + NET_ATTRS, "3000.0");
      // the live TTL (5 minutes) plus at most one refresh (30 s)
      assertThat(jedis.ttl("sysmonstm:host:web-1")).isBetween(1L, 330L);
      assertThat(jedis.zscore("sysmonstm:hosts", "web-1"))
          .isEqualTo((double) sec(70).toEpochMilli());
      assertThat(jedis.hget("sysmonstm:host:web-2", CPU)).isEqualTo("0.5");

      // the 5-minute recent stream: entries in event-time order, the newest = the live values
      List<redis.clients.jedis.resps.StreamEntry> recent =
          jedis.xrange("sysmonstm:recent:web-1", "-", "+");
      assertThat(recent).isNotEmpty();
      assertThat(recent).extracting(e -> e.getID().getTime()).isSorted();
      var newest = recent.get(recent.size() - 1);
      assertThat(newest.getID())
          .isEqualTo(new redis.clients.jedis.StreamEntryID(sec(70).toEpochMilli(), 0));
      // an entry holds exactly what its snapshot carried (the hash keeps older fields too)
      assertThat(newest.getFields()).containsExactly(Map.entry(CPU, "0.6"));
      assertThat(jedis.ttl("sysmonstm:recent:web-1")).isBetween(1L, 330L);
    }

    ObjectMapper json = new ObjectMapper();
    List<JsonNode> messages = new ArrayList<>();
    for (String m : published) {
      messages.add(json.readTree(m));
    }
    assertThat(messages)
        .anySatisfy(
            m -> {
              assertThat(m.get("type").asText()).isEqualTo("host");
              assertThat(m.get("host_id").asText()).isEqualTo("web-1");
              assertThat(m.get("last_seen").asLong()).isEqualTo(sec(40).toEpochMilli());
              assertThat(m.get("cores").asInt()).isEqualTo(4);
              assertThat(m.get("values").get(CPU).asDouble()).isEqualTo(0.4);
              assertThat(m.get("values").get(NET + NET_ATTRS).asDouble()).isEqualTo(3000);
            })
        .anySatisfy(m -> assertThat(m.get("host_id").asText()).isEqualTo("web-2"));
  }

  @Test
  void startupCheckNamesTheFlagOfAnUnreachableDependency() throws Exception {
    JobConfig ok = config("unused");
    DependencyCheck.all(ok, Duration.ofSeconds(5));

    int closed = Ports.free();
    assertThatThrownBy(
            () ->
                DependencyCheck.redis(
                    config("t", "--redis-url", "redis://localhost:" + closed),
                    Duration.ofSeconds(2)))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("--redis-url");
    assertThatThrownBy(
            () ->
                DependencyCheck.postgres(
                    config("t", "--jdbc-user", "nobody"), Duration.ofSeconds(2)))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("--jdbc-user");
    assertThatThrownBy(
            () ->
                DependencyCheck.kafka(
                    config("t", "--kafka-bootstrap", "localhost:" + closed), Duration.ofSeconds(2)))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("--kafka-bootstrap");
  }

  static void assertRollup(
      Connection c,
      String table,
      String host,
      String metric,
      String attrs,
      Instant bucket,
      long count,
      double sum,
      double min,
      double max,
      double last,
      Instant lastTs)
      throws Exception {
    String row = table + " " + host + " " + metric + attrs + " @" + bucket;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count, sum, min, max, avg, last, last_ts FROM "
                + table
                + " WHERE host_id = ? AND metric = ? AND attrs = ?::jsonb AND bucket = ?")) {
      ps.setString(1, host);
      ps.setString(2, metric);
      ps.setString(3, attrs);
      ps.setTimestamp(4, Timestamp.from(bucket));
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as(row).isTrue();
        assertThat(rs.getLong(1)).as(row + " count").isEqualTo(count);
        assertThat(rs.getDouble(2)).as(row + " sum").isCloseTo(sum, within(1e-9));
        assertThat(rs.getDouble(3)).as(row + " min").isEqualTo(min);
        assertThat(rs.getDouble(4)).as(row + " max").isEqualTo(max);
        assertThat(rs.getDouble(5)).as(row + " avg").isCloseTo(sum / count, within(1e-9));
        assertThat(rs.getDouble(6)).as(row + " last").isEqualTo(last);
        assertThat(rs.getTimestamp(7).toInstant()).as(row + " last_ts").isEqualTo(lastTs);
      }
    }
  }

  static long count(Connection c, String table) throws Exception {
    try (var s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Subscribes to sysmonstm:live on its own thread; ready once the subscription is confirmed. */
  static final class Subscriber implements AutoCloseable {
    private final Jedis jedis;
    private final JedisPubSub pubSub;
    private final Thread thread;

    private Subscriber(Jedis jedis, JedisPubSub pubSub, Thread thread) {
      this.jedis = jedis;
      this.pubSub = pubSub;
      this.thread = thread;
    }

    static Subscriber start(int port, Queue<String> into) throws InterruptedException {
      CountDownLatch subscribed = new CountDownLatch(1);
      JedisPubSub pubSub =
          new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
              into.add(message);
            }

            @Override
            public void onSubscribe(String channel, int count) {
              subscribed.countDown();
            }
          };
      Jedis jedis = new Jedis("localhost", port);
      Thread thread = new Thread(() -> jedis.subscribe(pubSub, "sysmonstm:live"), "live-sub");
      thread.setDaemon(true);
      thread.start();
      assertThat(subscribed.await(10, TimeUnit.SECONDS)).as("subscribed").isTrue();
      return new Subscriber(jedis, pubSub, thread);
    }

    @Override
    public void close() throws InterruptedException {
      pubSub.unsubscribe();
      thread.join(5_000);
      jedis.close();
    }
  }
}
