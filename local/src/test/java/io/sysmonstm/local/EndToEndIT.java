package io.sysmonstm.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.sysmonstm.proto.v1.HostFacts;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.MetricsServiceGrpc;
import io.sysmonstm.proto.v1.PublishAck;
import io.sysmonstm.proto.v1.Sample;
import io.sysmonstm.proto.v1.Snapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * The whole data path on real servers: a test publisher streams known samples for two hosts over
 * gRPC through ingress (with one invalid batch), Kafka carries them, the job on the mini-cluster
 * rolls them up into PostgreSQL and pushes live values to Redis, and the relay pushes them to a
 * WebSocket client. Expected rows are computed here, independently of the job.
 */
class EndToEndIT {
  /** Start of the hour the samples fall in: two hours ago, so ingress accepts the timestamps. */
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));

  static final int SNAPSHOTS = 12; // T0, T0+10s, ... T0+110s: two full minutes
  static final int PER_BATCH = 3;
  static final Instant FLUSH = T0.plus(Duration.ofHours(1)).plusSeconds(30);

  static LocalStack stack;
  static ManagedChannel channel;
  static String hostA;
  static String hostB;
  static final List<String> wsMessages = new CopyOnWriteArrayList<>();
  static WebSocket webSocket;

  @BeforeAll
  static void startStack() throws Exception {
    LocalConfig cfg = TestStacks.onFreePorts(false);
    stack = LocalStack.start(cfg);
    channel =
        NettyChannelBuilder.forAddress("localhost", stack.ingressPort()).usePlaintext().build();
    // Two hosts whose keys land on different partitions, so both source subtasks see data and
    // the final snapshots move every watermark past the hour.
    hostA = hostOnPartition(0);
    hostB = hostOnPartition(1);
    webSocket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://localhost:" + stack.relayPort() + "/ws"),
                new WebSocket.Listener() {
                  final StringBuilder partial = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                      wsMessages.add(partial.toString());
                      partial.setLength(0);
                    }
                    ws.request(1);
                    return null;
                  }
                })
            .get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (webSocket != null) {
      webSocket.abort();
    }
    if (channel != null) {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    if (stack != null) {
      stack.close();
    }
  }

  static String hostOnPartition(int partition) {
    for (int i = 0; ; i++) {
      String id = "e2e-host-" + i;
      int p = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % 2;
      if (p == partition) {
        return id;
      }
    }
  }

  /** The series every snapshot carries, with a value that depends on host and snapshot index. */
  record SeriesDef(String metric, Map<String, String> attrs, String attrsJson, double base) {}

  static final List<SeriesDef> SERIES =
      List.of(
          new SeriesDef("system.cpu.utilization", Map.of(), "{}", 0.10),
          new SeriesDef("system.cpu.utilization", Map.of("cpu", "0"), "{\"cpu\": \"0\"}", 0.20),
          new SeriesDef("system.memory.utilization", Map.of(), "{}", 0.50),
          new SeriesDef(
              "system.network.io.rate",
              Map.of("device", "eth0", "direction", "receive"),
              "{\"device\": \"eth0\", \"direction\": \"receive\"}",
              1000.0));

  static double value(String host, SeriesDef s, int i) {
    double hostShift = host.equals(hostA) ? 0 : 0.05;
    double step = s.base() >= 1 ? 100.0 : 0.01;
    // not monotonic, so min/max/last differ from first/last position
    return s.base() + hostShift * (s.base() >= 1 ? 1000 : 1) + step * ((i * 7) % SNAPSHOTS);
  }

  static Snapshot snapshot(String host, Instant t, int i) {
    Snapshot.Builder b = Snapshot.newBuilder().setTimestampMs(t.toEpochMilli());
    for (SeriesDef s : SERIES) {
      b.addSamples(
          Sample.newBuilder()
              .setMetric(s.metric())
              .putAllAttributes(s.attrs())
              .setValue(value(host, s, i)));
    }
    return b.build();
  }

  static MetricBatch.Builder batch(String host, String runId, long seq) {
    return MetricBatch.newBuilder()
        .setHostId(host)
        .setRunId(runId)
        .setSeq(seq)
        .setFacts(
            HostFacts.newBuilder()
                .setHostname(host + ".example")
                .setOs("TestOS 1")
                .setCores(4)
                .setMemoryTotalBytes(8L << 30)
                .setCollectorVersion("e2e"));
  }

  /** Streams batches on one call; completes with the acked seqs or the status that ended it. */
  static final class Publisher {
    final List<Long> acked = new CopyOnWriteArrayList<>();
    final CompletableFuture<Status> done = new CompletableFuture<>();
    final Map<String, String> trailers = new ConcurrentHashMap<>();
    final StreamObserver<MetricBatch> requests;

    Publisher() {
      requests =
          MetricsServiceGrpc.newStub(channel)
              .publish(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(PublishAck ack) {
                      acked.add(ack.getSeq());
                    }

                    @Override
                    public void onError(Throwable t) {
                      Metadata md = Status.trailersFromThrowable(t);
                      if (md != null) {
                        String seq =
                            md.get(
                                Metadata.Key.of(
                                    "sysmonstm-rejected-seq", Metadata.ASCII_STRING_MARSHALLER));
                        if (seq != null) {
                          trailers.put("sysmonstm-rejected-seq", seq);
                        }
                      }
                      done.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                      done.complete(Status.OK);
                    }
                  });
    }
  }

  @Test
  void samplesFlowThroughEveryPartAndRollUpExactly() throws Exception {
    // 1. valid data for both hosts, PER_BATCH snapshots per batch, acked only after Kafka has it
    for (String host : List.of(hostA, hostB)) {
      Publisher p = new Publisher();
      long seq = 0;
      for (int i = 0; i < SNAPSHOTS; i += PER_BATCH) {
        MetricBatch.Builder b = batch(host, "run-" + host, ++seq);
        for (int j = i; j < i + PER_BATCH; j++) {
          b.addSnapshots(snapshot(host, T0.plusSeconds(10L * j), j));
        }
        p.requests.onNext(b.build());
      }
      long sent = seq;
      await().atMost(Duration.ofSeconds(30)).until(() -> p.acked.size() == sent);
      assertThat(p.acked).containsExactly(1L, 2L, 3L, 4L);

      // 2. one invalid batch (a NaN among valid samples): refused whole, stream ends
      if (host.equals(hostB)) {
        MetricBatch.Builder bad = batch(host, "rejected-run", 1);
        bad.addSnapshots(snapshot(host, T0.plusSeconds(5), 0));
        bad.addSnapshots(
            Snapshot.newBuilder()
                .setTimestampMs(T0.plusSeconds(6).toEpochMilli())
                .addSamples(
                    Sample.newBuilder().setMetric("system.cpu.utilization").setValue(Double.NaN)));
        p.requests.onNext(bad.build());
        Status status = p.done.get(30, TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("NaN");
        assertThat(p.trailers).containsEntry("sysmonstm-rejected-seq", "1");
      } else {
        p.requests.onCompleted();
        assertThat(p.done.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
      }
    }

    // 3. a snapshot past the hour from each host moves the watermark: minute and hour windows close
    for (String host : List.of(hostA, hostB)) {
      Publisher p = new Publisher();
      p.requests.onNext(
          batch(host, "run-" + host, 5).addSnapshots(snapshot(host, FLUSH, SNAPSHOTS)).build());
      await().atMost(Duration.ofSeconds(30)).until(() -> p.acked.contains(5L));
      p.requests.onCompleted();
    }

    // 4. live values: Redis holds the newest snapshot, the relay pushed it over the WebSocket
    try (JedisPooled redis = new JedisPooled(URI.create(stack.redisUrl()))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Map<String, String> h = redis.hgetAll("sysmonstm:host:" + hostA);
                assertThat(h)
                    .containsEntry("last_seen", String.valueOf(FLUSH.toEpochMilli()))
                    .containsEntry("hostname", hostA + ".example");
                assertThat(Double.parseDouble(h.get("system.cpu.utilization")))
                    .isEqualTo(value(hostA, SERIES.get(0), SNAPSHOTS));
                assertThat(Double.parseDouble(h.get("system.cpu.utilization{\"cpu\":\"0\"}")))
                    .isEqualTo(value(hostA, SERIES.get(1), SNAPSHOTS));
              });
    }
    ObjectMapper json = new ObjectMapper();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(wsMessages)
                    .anySatisfy(
                        m -> {
                          JsonNode n = json.readTree(m);
                          assertThat(n.path("type").asText()).isEqualTo("host");
                          assertThat(n.path("host_id").asText()).isEqualTo(hostB);
                          assertThat(n.path("values").path("system.memory.utilization").isNumber())
                              .isTrue();
                        }));

    // 5. the relay lists both hosts
    HttpResponse<String> hosts =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + stack.relayPort() + "/api/hosts"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(hosts.statusCode()).isEqualTo(200);
    assertThat(hosts.body()).contains(hostA).contains(hostB);

    // 6. exact 1-minute and 1-hour rows, computed here from what was sent
    Map<String, Row> expectedMinutes = new TreeMap<>();
    Map<String, Row> expectedHours = new TreeMap<>();
    for (String host : List.of(hostA, hostB)) {
      for (SeriesDef s : SERIES) {
        for (int i = 0; i < SNAPSHOTS; i++) {
          Instant t = T0.plusSeconds(10L * i);
          double v = value(host, s, i);
          expectedMinutes
              .computeIfAbsent(key(host, s, t.truncatedTo(ChronoUnit.MINUTES)), k -> new Row())
              .add(v);
          expectedHours.computeIfAbsent(key(host, s, T0), k -> new Row()).add(v);
        }
      }
    }
    try (Connection c =
        DriverManager.getConnection(stack.jdbcUrl(), LocalConfig.DB, LocalConfig.DB)) {
      // Each sink subtask flushes on its own (batch size, interval, checkpoint), so the hour rows
      // being visible says nothing about another subtask's minute rows: wait for all of them.
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                assertThat(rows(c, "rollup_1h", T0)).isEqualTo(render(expectedHours));
                assertThat(rows(c, "rollup_1m", T0)).isEqualTo(render(expectedMinutes));
                try (ResultSet rs =
                    c.createStatement()
                        .executeQuery(
                            "SELECT count(*) FROM samples WHERE ts < '"
                                + Timestamp.from(FLUSH.minusSeconds(60))
                                + "'")) {
                  rs.next();
                  assertThat(rs.getLong(1)).isEqualTo(2L * SERIES.size() * SNAPSHOTS);
                }
              });
      // the hosts rows come from yet another sink: wait for them as well
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                try (ResultSet rs =
                    c.createStatement()
                        .executeQuery(
                            "SELECT host_id, hostname, cores FROM hosts ORDER BY host_id")) {
                  List<String> got = new ArrayList<>();
                  while (rs.next()) {
                    got.add(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getInt(3));
                  }
                  assertThat(got)
                      .containsExactlyInAnyOrder(
                          hostA + "/" + hostA + ".example/4", hostB + "/" + hostB + ".example/4");
                }
              });
    }

    // 7. nothing of the refused batch reached Kafka
    assertThat(runIdsInTopic())
        .contains("run-" + hostA, "run-" + hostB)
        .doesNotContain("rejected-run");
  }

  static String key(String host, SeriesDef s, Instant bucket) {
    return host + " " + s.metric() + " " + s.attrsJson() + " " + bucket;
  }

  /** An independent rollup: count, sum, min, max, last in arrival (= timestamp) order. */
  static final class Row {
    long count;
    double sum;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double last;

    void add(double v) {
      count++;
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
      last = v;
    }

    @Override
    public String toString() {
      return String.format(
          "count=%d sum=%.6f min=%.6f max=%.6f avg=%.6f last=%.6f",
          count, sum, min, max, sum / count, last);
    }
  }

  static Map<String, String> render(Map<String, Row> rows) {
    Map<String, String> out = new TreeMap<>();
    rows.forEach((k, v) -> out.put(k, v.toString()));
    return out;
  }

  static Map<String, String> rows(Connection c, String table, Instant hour) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (var st =
        c.prepareStatement(
            "SELECT host_id, metric, attrs::text, bucket, count, sum, min, max, avg, last FROM "
                + table
                + " WHERE bucket >= ? AND bucket < ?")) {
      st.setTimestamp(1, Timestamp.from(hour));
      st.setTimestamp(2, Timestamp.from(hour.plus(Duration.ofHours(1))));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.put(
              rs.getString(1)
                  + " "
                  + rs.getString(2)
                  + " "
                  + rs.getString(3)
                  + " "
                  + rs.getTimestamp(4).toInstant(),
              String.format(
                  "count=%d sum=%.6f min=%.6f max=%.6f avg=%.6f last=%.6f",
                  rs.getLong(5),
                  rs.getDouble(6),
                  rs.getDouble(7),
                  rs.getDouble(8),
                  rs.getDouble(9),
                  rs.getDouble(10)));
        }
      }
    }
    return out;
  }

  static List<String> runIdsInTopic() throws Exception {
    List<String> runIds = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<String, byte[]>(
            Map.of("bootstrap.servers", stack.kafkaBootstrap()),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(LocalStack.SAMPLES_TOPIC).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          MetricBatch b = MetricBatch.parseFrom(r.value());
          assertThat(r.key()).isEqualTo(b.getHostId());
          runIds.add(b.getRunId());
        }
      }
      assertThat(parts).allSatisfy(p -> assertThat(consumer.position(p)).isEqualTo(end.get(p)));
    }
    return runIds;
  }
}
