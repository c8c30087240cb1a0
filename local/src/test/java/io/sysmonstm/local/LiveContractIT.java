package io.sysmonstm.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysmonstm.analytics.alert.AlertEvent;
import io.sysmonstm.analytics.series.SeriesKey;
import io.sysmonstm.analytics.sink.alert.AlertSinks;
import io.sysmonstm.analytics.sink.alert.RedisAlertSink;
import io.sysmonstm.analytics.sink.redis.RedisLiveSink;
import io.sysmonstm.analytics.snapshot.HostFacts;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import io.sysmonstm.embedded.EmbeddedPostgresServer;
import io.sysmonstm.embedded.EmbeddedRedis;
import io.sysmonstm.live.AlertFields;
import io.sysmonstm.live.HostFields;
import io.sysmonstm.live.Messages;
import io.sysmonstm.live.RedisKeys;
import io.sysmonstm.relay.alerts.AlertsQuery;
import io.sysmonstm.relay.alerts.AlertsReader;
import io.sysmonstm.relay.health.DependencyStatus;
import io.sysmonstm.relay.hosts.Health;
import io.sysmonstm.relay.hosts.HostSummary;
import io.sysmonstm.relay.hosts.HostsReader;
import io.sysmonstm.relay.live.RedisSubscriber;
import io.sysmonstm.relay.series.Point;
import io.sysmonstm.relay.series.RecentReader;
import io.sysmonstm.relay.series.SeriesQuery;
import io.sysmonstm.relay.series.Step;
import io.sysmonstm.sql.Migrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The live contract ({@link io.sysmonstm.live}) at its seam: the job's real Redis writers ({@link
 * RedisLiveSink}, {@link RedisAlertSink}, and the alerts table through {@link AlertSinks#jdbc}) run
 * on a mini-cluster against a real Redis and PostgreSQL, and the relay's real readers ({@link
 * HostsReader}, {@link RecentReader}, {@link RedisSubscriber}, {@link AlertsReader}) read back what
 * they wrote. Every field a reader expects must be there with the value written; a failure names
 * the key or channel and the field on which the two sides disagree.
 */
class LiveContractIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String USER = "sysmonstm";
  static final String HOST = "hôst-1";
  static final String CPU = "system.cpu.utilization";
  static final String FS = "system.filesystem.utilization";
  static final String UPTIME = "system.uptime";

  static final Instant T1 = Instant.parse("2025-11-23T10:00:01.250Z");
  static final Instant T2 = T1.plusSeconds(1);

  /**
   * The time the relay's readers run at: both snapshots are recent (up, in the stream's window).
   */
  static final Instant NOW = T2.plusSeconds(2);

  static final HostFacts FACTS =
      new HostFacts(
          "hôst-1.example", "Debian GNU/Linux 12 \"bookworm\"", 8, 16_777_216_000L, "0.1");

  static final HostSnapshot FIRST =
      snapshot(
          T1,
          new Sample(CPU, SeriesKey.NO_ATTRS, 0.25),
          new Sample(CPU, SeriesKey.canonicalAttrs(Map.of("cpu", "0")), 0.5),
          new Sample(FS, SeriesKey.canonicalAttrs(Map.of("mountpoint", "/mnt/\"q\" é")), 0.75),
          new Sample(UPTIME, SeriesKey.NO_ATTRS, 86_400.0));

  static final HostSnapshot SECOND =
      snapshot(
          T2,
          new Sample(CPU, SeriesKey.NO_ATTRS, 0.1 + 0.2),
          new Sample(CPU, SeriesKey.canonicalAttrs(Map.of("cpu", "0")), 1e-7),
          new Sample(FS, SeriesKey.canonicalAttrs(Map.of("mountpoint", "/mnt/\"q\" é")), 0.5),
          new Sample(UPTIME, SeriesKey.NO_ATTRS, 86_401.0));

  /** Stays firing: in the active hash. */
  static final AlertEvent FIRING =
      new AlertEvent(
          "fp-cpu",
          "cpu-high",
          HOST,
          CPU,
          "warning",
          AlertEvent.FIRING,
          0.95,
          0.9,
          T1.toEpochMilli(),
          0,
          "CPU at 95 % on " + HOST,
          false,
          "{}");

  /** Fires, then resolves: out of the active hash again; no value nor threshold (host down). */
  static final AlertEvent DOWN =
      new AlertEvent(
          "fp-down",
          "host-down",
          HOST,
          "",
          "critical",
          AlertEvent.FIRING,
          Double.NaN,
          Double.NaN,
          T1.toEpochMilli(),
          0,
          HOST + " sends nothing",
          false,
          "{}");

  static final AlertEvent DOWN_RESOLVED = DOWN.resolvedAt(T2.toEpochMilli(), Double.NaN, false);

  static EmbeddedRedis redis;
  static EmbeddedPostgresServer postgres;
  static String jdbcUrl;
  static JedisPooled jedis;
  static Vertx vertx;
  static Redis relayRedis;
  static Pool relayPg;
  static RedisSubscriber subscriber;
  static final List<String> relayed = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void writeWithTheJob() throws Exception {
    redis = EmbeddedRedis.start();
    jedis = new JedisPooled(URI.create(redis.url()));
    postgres = EmbeddedPostgresServer.start();
    jdbcUrl = postgres.createDatabase("contract", USER, USER);
    Migrations.apply(jdbcUrl, USER, USER);

    vertx = Vertx.vertx();
    RedisOptions options =
        new RedisOptions()
            .setConnectionString(redis.url())
            .setPreferredProtocolVersion(ProtocolVersion.RESP2);
    relayRedis = Redis.createClient(vertx, options);
    relayPg =
        PgBuilder.pool()
            .connectingTo(
                new PgConnectOptions()
                    .setHost("localhost")
                    .setPort(postgres.port())
                    .setDatabase("contract")
                    .setUser(USER)
                    .setPassword(USER))
            .using(vertx)
            .build();
    // the relay subscribes before the job publishes
    subscriber = new RedisSubscriber(vertx, options, redis.url(), relayed::add);
    get(subscriber.start());

    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
    env.fromData(FIRST, SECOND)
        .sinkTo(new RedisLiveSink(URI.create(redis.url()), RedisKeys.DEFAULT_LIVE_TTL))
        .name("live");
    env.fromData(FIRING, DOWN, DOWN_RESOLVED)
        .sinkTo(new RedisAlertSink(URI.create(redis.url())))
        .name("alerts-redis");
    env.fromData(FIRING, DOWN, DOWN_RESOLVED)
        .sinkTo(AlertSinks.jdbc(jdbcUrl, USER, USER))
        .name("alerts-jdbc");
    env.execute("live contract");
  }

  @AfterAll
  static void stop() throws Exception {
    if (subscriber != null) {
      get(subscriber.close());
    }
    if (vertx != null) {
      get(vertx.close());
    }
    if (jedis != null) {
      jedis.close();
    }
    if (redis != null) {
      redis.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void theRelaysHostListReadsEveryFactAndValueTheJobWrote() throws Exception {
    String key = RedisKeys.hostKey(HOST);
    Map<String, String> hash = jedis.hgetAll(key);
    for (String field : HostFields.FACTS) {
      assertThat(hash)
          .as("hash %s has no field '%s', which the relay's HostsMerge reads", key, field)
          .containsKey(field);
    }
    assertThat(jedis.zscore(RedisKeys.HOSTS, HOST))
        .as("score of %s in %s (last seen), read by HostsReader", HOST, RedisKeys.HOSTS)
        .isEqualTo((double) T2.toEpochMilli());

    List<HostSummary> hosts = get(hostsReader().read());
    assertThat(hosts)
        .as("hosts read by HostsReader from %s and %s", RedisKeys.HOSTS, key)
        .extracting(HostSummary::hostId)
        .containsExactly(HOST);
    HostSummary host = hosts.get(0);
    // the table hosts is empty: every fact comes from the hash, or is missing
    String from = "read by HostsReader from hash " + key + ", field ";
    assertThat(host.hostname()).as(from + HostFields.HOSTNAME).isEqualTo(FACTS.hostname());
    assertThat(host.os()).as(from + HostFields.OS).isEqualTo(FACTS.os());
    assertThat(host.cores()).as(from + HostFields.CORES).isEqualTo(FACTS.cores());
    assertThat(host.memoryTotalBytes())
        .as(from + HostFields.MEMORY_TOTAL_BYTES)
        .isEqualTo(FACTS.memoryTotalBytes());
    assertThat(host.lastSeenMs()).as(from + HostFields.LAST_SEEN).isEqualTo(T2.toEpochMilli());
    assertThat(host.health()).as("health of a host seen 2 s before").isEqualTo(Health.UP);
    assertThat(host.values())
        .as("series values read by HostsReader from hash %s (every non-fact field)", key)
        .isEqualTo(values(SECOND));
  }

  @Test
  void theRelaysRecentReaderFindsEverySeriesTheJobStreamed() throws Exception {
    String key = RedisKeys.recentKey(HOST);
    List<StreamEntry> stream = jedis.xrange(key, (StreamEntryID) null, (StreamEntryID) null);
    assertThat(stream)
        .as("entry ids of stream %s", key)
        .extracting(e -> e.getID().toString())
        .containsExactly(
            RedisKeys.recentEntryId(T1.toEpochMilli()), RedisKeys.recentEntryId(T2.toEpochMilli()));
    assertThat(RecentReader.covers(query(CPU, SeriesKey.NO_ATTRS), NOW)).isTrue();
    RecentReader reader = new RecentReader(relayRedis);
    for (Sample s : FIRST.samples()) {
      List<Point> points = get(reader.read(query(s.metric(), s.attrs()), 100));
      assertThat(points)
          .as(
              "points RecentReader reads for series '%s' from stream %s; the job wrote fields %s",
              s.seriesKey(), key, stream.get(0).getFields().keySet())
          .extracting(Point::t, Point::last)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(T1, s.value()),
              org.assertj.core.groups.Tuple.tuple(T2, valueOf(SECOND, s.seriesKey())));
    }
  }

  @Test
  void theHostMessageTheRelayForwardsHasWhatThePageMergesWithTheHostList() throws Exception {
    JsonNode message = awaitMessage(Messages.HOST, 2).get(1);
    String where = "host message on " + RedisKeys.LIVE_CHANNEL;
    for (String field : HostFields.FACTS) {
      assertThat(fieldNames(message)).as("fields of the %s", where).contains(field);
    }
    assertThat(message.path(HostFields.VALUES).isObject())
        .as("%s has an object '%s'", where, HostFields.VALUES)
        .isTrue();

    // the page merges /api/hosts items and these messages: same names, same values
    HostSummary listed = get(hostsReader().read()).get(0);
    JsonNode item = JSON.readTree(listed.toJson().encode());
    for (String field : HostFields.FACTS) {
      assertThat(item.path(field).asText())
          .as("field '%s' of the /api/hosts item (HostsReader) and of the %s", field, where)
          .isEqualTo(message.path(field).asText());
    }
    Map<String, Double> messageValues = new TreeMap<>();
    message
        .path(HostFields.VALUES)
        .fields()
        .forEachRemaining(e -> messageValues.put(e.getKey(), e.getValue().asDouble()));
    Map<String, Double> itemValues = new TreeMap<>();
    item.path(HostFields.VALUES)
        .fields()
        .forEachRemaining(e -> itemValues.put(e.getKey(), e.getValue().asDouble()));
    assertThat(itemValues)
        .as("'%s' of the /api/hosts item (HostsReader) and of the %s", HostFields.VALUES, where)
        .isEqualTo(messageValues)
        .isEqualTo(values(SECOND));
  }

  @Test
  void alertMessagesTheActiveHashAndTheAlertsApiCarryTheSameFields() throws Exception {
    List<JsonNode> messages = awaitMessage(Messages.ALERT, 3);
    String where = "alert message on " + RedisKeys.ALERTS_CHANNEL;
    for (JsonNode m : messages) {
      for (String field : AlertFields.ALL) {
        assertThat(fieldNames(m)).as("fields of an %s", where).contains(field);
      }
    }
    assertThat(messages)
        .extracting(
            m ->
                m.path(AlertFields.FINGERPRINT).asText() + " " + m.path(AlertFields.STATE).asText())
        .containsExactly("fp-cpu firing", "fp-down firing", "fp-down resolved");
    JsonNode firing = messages.get(0);
    assertThat(firing.path(AlertFields.STARTS_AT).asLong()).isEqualTo(T1.toEpochMilli());
    assertThat(firing.path(AlertFields.VALUE).asDouble()).isEqualTo(0.95);
    assertThat(firing.path(AlertFields.ENDS_AT).isNull()).isTrue();
    assertThat(messages.get(2).path(AlertFields.ENDS_AT).asLong()).isEqualTo(T2.toEpochMilli());
    assertThat(messages.get(2).path(AlertFields.VALUE).isNull()).isTrue();

    // the active hash holds the firing one only, as the same JSON
    Map<String, String> active = jedis.hgetAll(RedisKeys.ALERTS_ACTIVE);
    assertThat(active)
        .as("fields (fingerprints) of hash %s", RedisKeys.ALERTS_ACTIVE)
        .containsOnlyKeys("fp-cpu");
    assertThat(JSON.readTree(active.get("fp-cpu")))
        .as("value of field fp-cpu of hash %s", RedisKeys.ALERTS_ACTIVE)
        .isEqualTo(firing);

    // /api/alerts (from the table the job writes) and /ws: the page merges them by these fields
    List<JsonObject> listed =
        awaitListed(
            new AlertsReader(relayPg, new DependencyStatus("PostgreSQL")),
            new AlertsQuery(AlertsQuery.State.ALL, T1.minusSeconds(60), 100));
    for (JsonNode m : messages) {
      String id =
          m.path(AlertFields.FINGERPRINT).asText() + " " + m.path(AlertFields.STATE).asText();
      JsonNode item =
          listed.stream()
              .map(j -> tree(j.encode()))
              .filter(
                  j ->
                      (j.path(AlertFields.FINGERPRINT).asText()
                              + " "
                              + j.path(AlertFields.STATE).asText())
                          .equals(id))
              .findFirst()
              .orElseThrow(() -> new AssertionError("/api/alerts has no event " + id));
      assertThat(item.path(Messages.TYPE).asText())
          .as("field '%s' of /api/alerts event %s", Messages.TYPE, id)
          .isEqualTo(m.path(Messages.TYPE).asText());
      for (String field : AlertFields.ALL) {
        assertThat(fieldNames(item))
            .as("fields of /api/alerts event %s (AlertsReader); the %s has '%s'", id, where, field)
            .contains(field);
        assertThat(item.get(field).asText())
            .as("field '%s' of event %s on /api/alerts and in the %s", field, id, where)
            .isEqualTo(m.get(field).asText());
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  static HostSnapshot snapshot(Instant at, Sample... samples) {
    return new HostSnapshot(HOST, "run-1", at.getEpochSecond(), at.toEpochMilli(), FACTS, samples);
  }

  /** Series key → value of a snapshot, as the job keys them. */
  static Map<String, Double> values(HostSnapshot s) {
    Map<String, Double> out = new TreeMap<>();
    for (Sample sample : s.samples()) {
      out.put(sample.seriesKey(), sample.value());
    }
    return out;
  }

  static double valueOf(HostSnapshot s, String seriesKey) {
    return Objects.requireNonNull(values(s).get(seriesKey), seriesKey);
  }

  /** The relay's query of a series' raw points of the minute before {@link #NOW}. */
  static SeriesQuery query(String metric, String attrs) {
    return new SeriesQuery(
        HOST,
        metric,
        new TreeMap<>(SeriesKey.parseAttrs(attrs)),
        NOW.minusSeconds(60),
        NOW,
        Step.RAW);
  }

  /**
   * The relay's host list as of {@link #NOW}, however long the test takes: the table hosts is
   * empty, so all it knows comes from Redis.
   */
  static HostsReader hostsReader() {
    return new HostsReader(
        relayRedis,
        relayPg,
        new DependencyStatus("Redis"),
        new DependencyStatus("PostgreSQL"),
        Duration.ofSeconds(30),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The first {@code count} messages of type {@code type} the relay's subscriber received. */
  static List<JsonNode> awaitMessage(String type, int count) {
    List<JsonNode> out = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              out.clear();
              for (String text : relayed) {
                JsonNode m = tree(text);
                if (type.equals(m.path(Messages.TYPE).asText())) {
                  out.add(m);
                }
              }
              assertThat(out)
                  .as(
                      "messages with %s '%s' the relay received on %s (all: %s)",
                      Messages.TYPE,
                      type,
                      RedisSubscriber.CHANNELS,
                      relayed.stream()
                          .map(t -> t.substring(0, Math.min(60, t.length())))
                          .collect(Collectors.toList()))
                  .hasSizeGreaterThanOrEqualTo(count);
            });
    return out.subList(0, count);
  }

  static List<JsonObject> awaitListed(AlertsReader reader, AlertsQuery q) {
    List<JsonObject> out = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              out.clear();
              out.addAll(get(reader.read(q)));
              assertThat(out).as("events on /api/alerts").hasSize(3);
            });
    return out;
  }

  static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
