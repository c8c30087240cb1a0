package io.sysmonstm.analytics;

import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import io.sysmonstm.analytics.testing.Fleet;
import io.sysmonstm.analytics.testing.Fleet.Batch;
import io.sysmonstm.analytics.testing.Probe;
import io.sysmonstm.analytics.testing.TestFlink;
import io.sysmonstm.analytics.testing.TestJob;
import io.sysmonstm.embedded.KafkaExtension;
import io.sysmonstm.embedded.PostgresExtension;
import io.sysmonstm.embedded.RedisExtension;
import io.sysmonstm.sql.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert transitions exactly once through failures: the production job (RocksDB, Kafka source,
 * exactly-once Kafka alert sink, PostgreSQL and Redis sinks) on a mini-cluster against a real Kafka
 * broker, PostgreSQL and Redis, tasks failed on purpose after completed checkpoints, and resent
 * batches. Every transition to firing and to resolved is compared with an independent computation
 * from the input: each appears exactly once on {@code sysmonstm.alerts} (read committed) and once
 * in the {@code alerts} table.
 */
class AlertsExactlyOnceIT {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension(Migrations::apply);

  @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.perClass();

  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  @RegisterExtension static final MiniClusterExtension FLINK = TestFlink.cluster(2);

  static final Duration INTERVAL = Duration.ofSeconds(20);
  static final Duration WAIT = Duration.ofSeconds(120);
  static final String CPU = "system.cpu.utilization";
  static final String MEM = "system.memory.utilization";

  /** An instant rule with hysteresis and a sustained one, over Fleet's uniform 0..1 values. */
  static final String RULES =
      """
      [{"id": "cpu-flap", "metric": "system.cpu.utilization", "match": {"cpu": ""},
        "op": ">", "threshold": 0.8, "resolve": 0.3},
       {"id": "mem-held", "metric": "system.memory.utilization", "op": ">", "threshold": 0.5,
        "for": "40s"}]
      """;

  @TempDir Path dir;

  @Test
  void everyTransitionOnceThroughFailuresAndResends() throws Exception {
    // 10 hosts x 10 series x 150 snapshots (20 s apart, 5 per batch: 30 batches per host)
    int hosts = 10;
    int rounds = 30;
    String id = UUID.randomUUID().toString();
    String samples = "samples-" + id;
    String rules = "rules-" + id;
    String alerts = "alerts-" + id;
    KAFKA.createTopic(samples, 2);
    KAFKA.createTopic(rules, 1, Map.of("cleanup.policy", "compact"));
    KAFKA.createTopic(alerts, 2);
    String jdbcUrl = POSTGRES.newDatabase("alerts_once");
    Path rulesFile = Files.writeString(dir.resolve("rules.json"), RULES);

    Batch[][] batch = new Batch[hosts][rounds];
    List<Batch> produced = new ArrayList<>();
    List<List<Batch>> chunks = new ArrayList<>();
    int[] starts = {0, 8, 16, 24, rounds};
    for (int h = 0; h < hosts; h++) {
      for (int r = 0; r < rounds; r++) {
        batch[h][r] = Fleet.batch(Fleet.host(h), r + 1, T0, 5, INTERVAL, 10);
      }
    }
    for (int c = 0; c + 1 < starts.length; c++) {
      List<Batch> chunk = new ArrayList<>();
      for (int r = starts[c]; r < starts[c + 1]; r++) {
        for (int h = 0; h < hosts; h++) {
          chunk.add(batch[h][r]);
          // a collector that lost an ack resends a batch two rounds later
          if (r >= 2 && (h + r) % 5 == 0) {
            chunk.add(batch[h][r - 2]);
          }
        }
      }
      chunks.add(chunk);
      produced.addAll(chunk);
    }
    List<String> expected = expected(produced);
    assertThat(expected).as("the data makes both rules fire and resolve").hasSizeGreaterThan(100);

    Probe probe = new Probe(List.of(batch[3][8].id(), batch[3][16].id(), batch[3][24].id()));
    List<String> args =
        TestJob.args(
            KAFKA.bootstrapServers(),
            samples,
            "alerts-" + id,
            jdbcUrl,
            REDIS.url(),
            dir.resolve("checkpoints"));
    args.addAll(
        List.of(
            "--rules-topic",
            rules,
            "--alerts-topic",
            alerts,
            "--rules-file",
            rulesFile.toString(),
            "--checkpoint-interval",
            "300ms",
            // the data is from 2025: neither a lagging pipeline nor back-fill to the job
            "--pipeline-lag",
            "3650d",
            "--alert-retro-after",
            "3650d"));
    JobConfig cfg = TestJob.config(args);
    Configuration conf = TestFlink.restarting(10, Duration.ofMillis(50));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    AnalyticsJob.configure(env, cfg);
    env.configure(conf);
    AnalyticsJob.productionBuilder(cfg).afterSource(probe::apply).build().build(env);
    JobClient job = env.executeAsync(AnalyticsJob.NAME);
    try {
      for (int c = 0; c < chunks.size(); c++) {
        Fleet.produce(KAFKA.bootstrapServers(), samples, chunks.get(c));
        int failures = c;
        await().atMost(WAIT).until(() -> probe.failures() >= failures);
        List<String> ids = chunks.get(c).stream().map(Batch::id).toList();
        await().atMost(WAIT).until(() -> probe.sawAll(ids));
        long seen = probe.lastCompletedCheckpoint();
        await().atMost(WAIT).until(() -> probe.lastCompletedCheckpoint() >= seen + 2);
      }
      assertThat(probe.failures()).as("tasks failed on purpose").isEqualTo(3);

      List<String> onTopic = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer = consumer()) {
        consumer.subscribe(List.of(alerts));
        await()
            .atMost(WAIT)
            .untilAsserted(
                () -> {
                  for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    onTopic.add(line(r.value()));
                  }
                  assertThat(onTopic).hasSizeGreaterThanOrEqualTo(expected.size());
                });
        // two more checkpoints: a duplicate would have been committed by now
        long seen = probe.lastCompletedCheckpoint();
        await().atMost(WAIT).until(() -> probe.lastCompletedCheckpoint() >= seen + 2);
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
          onTopic.add(line(r.value()));
        }
      }
      assertThat(onTopic).containsExactlyInAnyOrderElementsOf(expected);
      await()
          .atMost(WAIT)
          .untilAsserted(() -> assertThat(table(jdbcUrl)).isEqualTo(Set.copyOf(expected)));
      assertThat(table(jdbcUrl)).hasSameSizeAs(expected);
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * The transitions the rules give, computed here: per host, the batches in the order sent, a
   * resent batch ignored, each series judged on its samples in time order.
   */
  static List<String> expected(List<Batch> produced) {
    Set<String> seenBatches = new HashSet<>();
    Map<String, Long> lastTs = new HashMap<>();
    Map<String, Long> since = new HashMap<>(); // series -> start of breach (pending or firing)
    Map<String, Long> firingAt = new LinkedHashMap<>();
    List<String> out = new ArrayList<>();
    for (Batch b : produced) {
      if (!seenBatches.add(b.id())) {
        continue;
      }
      for (HostSnapshot s : b.snapshots()) {
        for (Sample x : s.samples()) {
          boolean cpu = x.metric().equals(CPU) && x.attrs().equals("{}");
          boolean mem = x.metric().equals(MEM);
          if (!cpu && !mem) {
            continue;
          }
          String key = s.hostId() + " " + x.metric();
          long ts = s.timestampMs();
          Long last = lastTs.put(key, ts);
          double v = x.value();
          String rule = cpu ? "cpu-flap" : "mem-held";
          Long firing = firingAt.get(key);
          if (firing != null) {
            if (cpu ? v <= 0.3 : v <= 0.5) {
              out.add("resolved " + rule + " " + key + " " + firing + "-" + ts + " " + v);
              firingAt.remove(key);
              since.remove(key);
            }
            continue;
          }
          if (cpu) {
            if (v > 0.8) {
              firingAt.put(key, ts);
              out.add("firing " + rule + " " + key + " " + ts + " " + v);
            }
            continue;
          }
          // mem-held: breaching for 40 s (gaps over max_gap 1m reset; none in this data)
          if (v <= 0.5) {
            since.remove(key);
          } else {
            long start = since.computeIfAbsent(key, k -> ts);
            if (last != null && ts - last > 60_000) {
              since.put(key, ts);
              start = ts;
            }
            if (ts - start >= 40_000) {
              firingAt.put(key, ts);
              out.add("firing " + rule + " " + key + " " + ts + " " + v);
            }
          }
        }
      }
    }
    return out;
  }

  static final ObjectMapper JSON = new ObjectMapper();

  static String line(String json) throws Exception {
    JsonNode n = JSON.readTree(json);
    String key = n.path("host_id").asText() + " " + n.path("series").asText();
    String rule = n.path("rule_id").asText();
    return n.path("state").asText().equals("firing")
        ? "firing "
            + rule
            + " "
            + key
            + " "
            + n.path("starts_at").asLong()
            + " "
            + n.path("value").asDouble()
        : "resolved "
            + rule
            + " "
            + key
            + " "
            + n.path("starts_at").asLong()
            + "-"
            + n.path("ends_at").asLong()
            + " "
            + n.path("value").asDouble();
  }

  static Set<String> table(String jdbcUrl) throws Exception {
    Set<String> rows = new HashSet<>();
    try (Connection c = PostgresExtension.connect(jdbcUrl);
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT state, rule_id, host_id, series, starts_at, ends_at, value FROM alerts"
                        + " WHERE rule_id <> 'pipeline-lag'")) {
      while (rs.next()) {
        String key = rs.getString(3) + " " + rs.getString(4);
        long start = rs.getTimestamp(5).getTime();
        rows.add(
            rs.getString(1).equals("firing")
                ? "firing " + rs.getString(2) + " " + key + " " + start + " " + rs.getDouble(7)
                : "resolved "
                    + rs.getString(2)
                    + " "
                    + key
                    + " "
                    + start
                    + "-"
                    + rs.getTimestamp(6).getTime()
                    + " "
                    + rs.getDouble(7));
      }
    }
    return rows;
  }

  static KafkaConsumer<String, String> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }
}
