package io.sysmonstm.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft, broker and controller in one) running inside this JVM. Real Kafka:
 * the same server classes a cluster runs, storage formatted as {@code kafka-storage format} does.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final KafkaRaftServer server;
  private final Path dataDir;
  private final boolean deleteOnClose;
  private final int port;

  private EmbeddedKafka(KafkaRaftServer server, Path dataDir, boolean deleteOnClose, int port) {
    this.server = server;
    this.dataDir = dataDir;
    this.deleteOnClose = deleteOnClose;
    this.port = port;
  }

  /** Starts a broker on a free port with a temporary data directory (tests). */
  public static EmbeddedKafka start() throws IOException {
    return start(Ports.free(), null);
  }

  /**
   * Starts a broker listening on {@code localhost:port}.
   *
   * @param dataDir where the log lives; {@code null} for a temporary directory deleted on close
   */
  public static EmbeddedKafka start(int port, Path dataDir) throws IOException {
    boolean temporary = dataDir == null;
    Path dir = temporary ? Files.createTempDirectory("sysmonstm-kafka") : dataDir;
    Files.createDirectories(dir);
    int controllerPort = Ports.free();

    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
    props.put(
        "listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", dir.toString());
    // Single node: internal topics with one replica, or __consumer_offsets is never created
    // and offset commits on checkpoint hang.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("share.coordinator.state.topic.num.partitions", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");
    props.put("num.partitions", "1");
    props.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));

    KafkaConfig config = KafkaConfig.fromProps(props, false);
    if (!Files.exists(dir.resolve("meta.properties"))) {
      format(dir);
    }
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    EmbeddedKafka kafka = new EmbeddedKafka(server, dir, temporary, port);
    kafka.awaitReady(Duration.ofSeconds(60));
    LOG.info("Kafka broker (KRaft) listening on localhost:{}", port);
    return kafka;
  }

  private static void format(Path dir) throws IOException {
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setClusterId(Uuid.randomUuid().toString())
          .setNodeId(1)
          .setDirectories(List.of(dir.toString()))
          .setMetadataLogDirectory(dir.toString())
          .setControllerListenerName("CONTROLLER")
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setHasDynamicQuorum(false)
          .run();
    } catch (Exception e) {
      throw new IOException("formatting Kafka storage in " + dir + " failed", e);
    }
  }

  private void awaitReady(Duration timeout) throws IOException {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      close();
      throw new IOException("Kafka broker did not become ready within " + timeout, e);
    }
  }

  public String bootstrapServers() {
    return "localhost:" + port;
  }

  public int port() {
    return port;
  }

  /** An admin client for this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /** Creates a topic unless it exists. */
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("creating topic " + name + " failed", e.getCause());
      }
    } catch (Exception e) {
      throw new IllegalStateException("creating topic " + name + " failed", e);
    }
  }

  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    if (deleteOnClose) {
      Files2.deleteRecursively(dataDir);
    }
  }
}
