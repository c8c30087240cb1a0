package io.sysmonstm.local;

import io.sysmonstm.analytics.AnalyticsJob;
import io.sysmonstm.analytics.JobConfig;
import io.sysmonstm.analytics.minicluster.OnMiniCluster;
import io.sysmonstm.collector.Collector;
import io.sysmonstm.collector.CollectorConfig;
import io.sysmonstm.config.Durations;
import io.sysmonstm.config.Setting;
import io.sysmonstm.config.Settings;
import io.sysmonstm.config.StartupException;
import io.sysmonstm.embedded.EmbeddedKafka;
import io.sysmonstm.embedded.EmbeddedPostgresServer;
import io.sysmonstm.embedded.EmbeddedRedis;
import io.sysmonstm.embedded.Ports;
import io.sysmonstm.ingress.IngressConfig;
import io.sysmonstm.ingress.IngressServer;
import io.sysmonstm.relay.RelayConfig;
import io.sysmonstm.relay.RelayServer;
import io.sysmonstm.sql.Migrations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one JVM: Kafka, PostgreSQL and Redis (embedded unless external URLs are
 * given), the schema migrated, the analytics job on a Flink mini-cluster with its web UI, ingress,
 * the dashboard relay and a collector sampling this machine. Closing stops everything in reverse
 * order of start.
 */
public final class LocalStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

  /** Topics created on the embedded broker. */
  public static final String SAMPLES_TOPIC = "sysmonstm.samples";

  public static final String RULES_TOPIC = "sysmonstm.rules";
  public static final String ALERTS_TOPIC = "sysmonstm.alerts";

  private final LocalConfig cfg;
  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private String kafkaBootstrap;
  private String redisUrl;
  private String jdbcUrl;
  private MiniCluster flink;
  private JobID jobId;
  private IngressServer ingress;
  private RelayServer relay;

  private LocalStack(LocalConfig cfg) {
    this.cfg = cfg;
  }

  /** Starts everything; on failure, stops what had started and rethrows. */
  public static LocalStack start(LocalConfig cfg) throws Exception {
    LocalStack stack = new LocalStack(cfg);
    try {
      stack.checkPorts();
      stack.startStorage();
      stack.startJob();
      stack.startServices();
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  /** One line per port that is taken, naming the setting that moves it. */
  private void checkPorts() {
    Map<Setting<Integer>, Integer> wanted = new java.util.LinkedHashMap<>();
    wanted.put(LocalConfig.RELAY_PORT, cfg.relayPort());
    wanted.put(LocalConfig.FLINK_UI_PORT, cfg.flinkUiPort());
    wanted.put(LocalConfig.INGRESS_PORT, cfg.ingressPort());
    if (cfg.kafkaBootstrap().isEmpty()) {
      wanted.put(LocalConfig.KAFKA_PORT, cfg.kafkaPort());
    }
    if (cfg.redisUrl().isEmpty()) {
      wanted.put(LocalConfig.REDIS_PORT, cfg.redisPort());
    }
    if (cfg.jdbcUrl().isEmpty()) {
      wanted.put(LocalConfig.POSTGRES_PORT, cfg.postgresPort());
    }
    List<String> taken = new ArrayList<>();
    wanted.forEach(
        (setting, port) -> {
          if (port != 0 && !Ports.isFree(port)) {
            taken.add(
                "port "
                    + port
                    + " is in use (set "
                    + setting.flag()
                    + " / "
                    + setting.env()
                    + " to move it)");
          }
        });
    if (!taken.isEmpty()) {
      throw new StartupException(String.join("; ", taken));
    }
  }

  private Path dir(String name) throws IOException {
    if (cfg.dataDir().isPresent()) {
      Path p = cfg.dataDir().get().resolve(name);
      Files.createDirectories(p);
      return p;
    }
    return null;
  }

  private void startStorage() throws Exception {
    if (cfg.kafkaBootstrap().isPresent()) {
      kafkaBootstrap = cfg.kafkaBootstrap().get();
    } else {
      EmbeddedKafka kafka = EmbeddedKafka.start(port(cfg.kafkaPort()), dir("kafka"));
      running.push(kafka);
      kafka.createTopic(SAMPLES_TOPIC, Math.max(2, cfg.parallelism()));
      // rule changes: one partition (one order of changes), compacted (the latest per rule)
      kafka.createTopic(RULES_TOPIC, 1, Map.of("cleanup.policy", "compact"));
      kafka.createTopic(ALERTS_TOPIC, Math.max(2, cfg.parallelism()));
      kafkaBootstrap = kafka.bootstrapServers();
    }
    if (cfg.redisUrl().isPresent()) {
      redisUrl = cfg.redisUrl().get();
    } else {
      EmbeddedRedis redis = EmbeddedRedis.start(port(cfg.redisPort()));
      running.push(redis);
      redisUrl = redis.url();
    }
    if (cfg.jdbcUrl().isPresent()) {
      jdbcUrl = cfg.jdbcUrl().get();
    } else {
      EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(cfg.postgresPort(), dir("postgres"));
      running.push(pg);
      jdbcUrl = pg.createDatabase(LocalConfig.DB, cfg.jdbcUser(), cfg.jdbcPassword());
    }
    Migrations.apply(jdbcUrl, cfg.jdbcUser(), cfg.jdbcPassword());
  }

  private static int port(int configured) {
    return configured == 0 ? Ports.free() : configured;
  }

  private void startJob() throws Exception {
    Path checkpoints = dir("checkpoints");
    if (checkpoints == null) {
      checkpoints = Files.createTempDirectory("sysmonstm-checkpoints");
    }
    Configuration conf = new Configuration();
    conf.set(RestOptions.PORT, cfg.flinkUiPort());
    conf.set(RestOptions.BIND_ADDRESS, "0.0.0.0");
    conf.set(RestOptions.ADDRESS, "localhost");
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, cfg.parallelism());
    flink = OnMiniCluster.start(conf, cfg.parallelism());
    running.push(() -> flink.closeAsync().get(30, TimeUnit.SECONDS));

    JobConfig jobCfg =
        JobConfig.from(
            Settings.parse(
                connectedTo(
                    "--checkpoint-interval",
                    cfg.checkpointInterval().toMillis() + "ms",
                    "--checkpoint-dir",
                    checkpoints.toUri().toString(),
                    "--state-backend",
                    "hashmap",
                    "--parallelism",
                    String.valueOf(cfg.parallelism()),
                    "--starting-offsets",
                    "earliest"),
                Map.of()));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    AnalyticsJob.configure(env, jobCfg);
    AnalyticsJob.fromConfig(jobCfg).build(env);
    jobId = OnMiniCluster.submit(flink, env);
    running.push(() -> OnMiniCluster.cancel(flink, jobId));
    JobStatus status = OnMiniCluster.awaitRunning(flink, jobId, Duration.ofSeconds(60));
    if (status != JobStatus.RUNNING) {
      throw new StartupException(
          "Flink job " + AnalyticsJob.NAME + " did not start (status " + status + ")");
    }
  }

  /**
   * The flags that point a service at this stack's Kafka, PostgreSQL and Redis (the schema was
   * migrated once, at start), followed by {@code more}.
   */
  private String[] connectedTo(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--kafka-bootstrap",
                kafkaBootstrap,
                "--jdbc-url",
                jdbcUrl,
                "--jdbc-user",
                cfg.jdbcUser(),
                "--jdbc-password",
                cfg.jdbcPassword(),
                "--redis-url",
                redisUrl,
                "--migrate",
                "false"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private void startServices() throws Exception {
    ingress =
        IngressServer.start(
            IngressConfig.from(
                Settings.parse(
                    new String[] {
                      "--port", String.valueOf(cfg.ingressPort()),
                      "--kafka-bootstrap", kafkaBootstrap,
                      "--topic", SAMPLES_TOPIC
                    },
                    Map.of())));
    running.push(ingress);
    relay =
        RelayServer.start(
            RelayConfig.from(
                Settings.parse(
                    connectedTo(
                        "--port",
                        String.valueOf(cfg.relayPort()),
                        "--rules-topic",
                        RULES_TOPIC,
                        "--stale-after",
                        Durations.format(cfg.staleAfter())),
                    Map.of())));
    running.push(relay);
    if (cfg.collector()) {
      Collector collector =
          Collector.start(
              CollectorConfig.from(
                  Settings.parse(
                      new String[] {
                        "--ingress", "localhost:" + ingress.port(),
                        "--interval", cfg.interval().toMillis() + "ms"
                      },
                      Map.of())));
      running.push(collector);
    }
  }

  public String kafkaBootstrap() {
    return kafkaBootstrap;
  }

  public String redisUrl() {
    return redisUrl;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public int ingressPort() {
    return ingress.port();
  }

  public int relayPort() {
    return relay.port();
  }

  public JobID jobId() {
    return jobId;
  }

  public MiniCluster flink() {
    return flink;
  }

  /** The banner printed once everything runs. */
  public String banner() {
    String psqlUrl =
        jdbcUrl.replaceFirst(
            "^jdbc:postgresql://",
            "postgresql://" + cfg.jdbcUser() + ":" + cfg.jdbcPassword() + "@");
    return String.join(
        System.lineSeparator(),
        "",
        "sysmonstm is running.",
        "  Dashboard      http://localhost:" + relay.port() + "/",
        "  Hosts API      http://localhost:" + relay.port() + "/api/hosts",
        "  Flink web UI   http://localhost:"
            + cfg.flinkUiPort()
            + "/  (job "
            + AnalyticsJob.NAME
            + ")",
        "  Ingress gRPC   localhost:" + ingress.port(),
        "  Kafka          " + kafkaBootstrap + "   Redis " + redisUrl,
        "  PostgreSQL     psql " + psqlUrl,
        "  Minute rollups psql "
            + psqlUrl
            + " -c \"SELECT bucket, host_id, round((avg*100)::numeric,1) AS cpu_pct"
            + " FROM rollup_1m WHERE metric='system.cpu.utilization' AND attrs='{}'"
            + " ORDER BY bucket DESC LIMIT 10\"",
        "  (no psql? java -cp local/target/sysmonstm-local.jar io.sysmonstm.local.Sql \"SELECT ...\")",
        "Press Ctrl-C to stop.",
        "");
  }

  @Override
  public void close() {
    while (!running.isEmpty()) {
      AutoCloseable c = running.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("Stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
