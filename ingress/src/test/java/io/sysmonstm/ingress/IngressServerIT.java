package io.sysmonstm.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.TlsTesting;
import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.Settings;
import io.sysmonstm.config.StartupException;
import io.sysmonstm.embedded.KafkaExtension;
import io.sysmonstm.embedded.Ports;
import io.sysmonstm.proto.v1.MetricsServiceGrpc;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link IngressServer#start} for real: Netty on a TCP port, TLS, a real Kafka broker. */
class IngressServerIT {
  @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.perRun();

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TOKEN = "it-token";

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private static IngressConfig config(String... extraArgs) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--port",
                "0",
                "--kafka-bootstrap",
                KAFKA.bootstrapServers(),
                "--topic",
                KafkaExtension.freshTopic("samples"),
                "--tokens",
                TOKEN));
    args.addAll(Arrays.asList(extraArgs));
    Settings s = Settings.parse(args.toArray(String[]::new), Map.of());
    IngressConfig cfg = IngressConfig.from(s);
    s.rejectUnknown();
    return cfg;
  }

  private IngressServer start(IngressConfig cfg) {
    IngressServer server = IngressServer.start(cfg);
    toClose.add(server);
    return server;
  }

  private ManagedChannel channel(int port, ChannelCredentials creds, String authority) {
    var builder = Grpc.newChannelBuilderForAddress("localhost", port, creds);
    if (authority != null) {
      builder.overrideAuthority(authority);
    }
    ManagedChannel channel = builder.build();
    toClose.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return channel;
  }

  private static ServingStatus health(ManagedChannel channel, String service) {
    return HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build())
        .getStatus();
  }

  private static MetricsServiceGrpc.MetricsServiceStub authorized(ManagedChannel channel) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
    return MetricsServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  @Test
  void anUnreachableKafkaStopsStartWithinTheTimeoutNamingTheSetting() {
    int nothingListens = Ports.free();
    IngressConfig cfg =
        config("--kafka-bootstrap", "localhost:" + nothingListens, "--kafka-timeout", "3s");

    long started = System.nanoTime();
    StartupException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(15),
            () -> {
              try {
                IngressServer.start(cfg).close();
                return null;
              } catch (StartupException thrown) {
                return thrown;
              }
            });

    assertThat(e)
        .isNotNull()
        .hasMessage(
            "cannot reach Kafka at localhost:"
                + nothingListens
                + " within 3s (set --kafka-bootstrap / SYSMONSTM_KAFKA_BOOTSTRAP)");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
  }

  @Test
  void startCreatesTheTopicServesHealthAndAcksOverTcp() throws Exception {
    IngressConfig cfg = config("--topic-partitions", "3");
    IngressServer server = start(cfg);
    assertThat(server.port()).isPositive();

    try (Admin admin = KAFKA.admin()) {
      TopicDescription topic =
          admin
              .describeTopics(List.of(cfg.topic()))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get(cfg.topic());
      assertThat(topic.partitions()).hasSize(3);
    }

    ManagedChannel channel = channel(server.port(), InsecureChannelCredentials.create(), null);
    assertThat(health(channel, "")).isEqualTo(ServingStatus.SERVING);
    assertThat(health(channel, "sysmonstm.v1.MetricsService")).isEqualTo(ServingStatus.SERVING);

    PublishClient call = PublishClient.open(authorized(channel));
    call.send(TestBatches.valid("web-1", 1), TestBatches.valid("web-1", 2)).finish();
    assertThat(call.awaitEnd(WAIT).getCode()).isEqualTo(Status.Code.OK);
    assertThat(call.acks).containsExactly(1L, 2L);
    assertThat(TopicContents.read(KAFKA.bootstrapServers(), cfg.topic())).hasSize(2);
  }

  @Test
  void closeReportsNotServingThenFreesThePort() throws Exception {
    IngressServer server = start(config());
    int port = server.port();
    ManagedChannel channel = channel(port, InsecureChannelCredentials.create(), null);
    List<ServingStatus> seen = new CopyOnWriteArrayList<>();
    HealthGrpc.newStub(channel)
        .watch(
            HealthCheckRequest.newBuilder().setService("sysmonstm.v1.MetricsService").build(),
            new ClientResponseObserver<HealthCheckRequest, HealthCheckResponse>() {
              private ClientCallStreamObserver<HealthCheckRequest> call;

              @Override
              public void beforeStart(ClientCallStreamObserver<HealthCheckRequest> call) {
                this.call = call;
              }

              @Override
              public void onNext(HealthCheckResponse r) {
                seen.add(r.getStatus());
                if (r.getStatus() == ServingStatus.NOT_SERVING) {
                  call.cancel("seen NOT_SERVING", null); // lets close() finish at once
                }
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
    await().atMost(WAIT).until(() -> seen.contains(ServingStatus.SERVING));

    server.close();

    assertThat(seen).containsExactly(ServingStatus.SERVING, ServingStatus.NOT_SERVING);
    assertThat(Ports.isFree(port)).isTrue();
  }

  @Test
  void aTakenPortIsOneLineNamingTheSettingThatMovesIt() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(0));
      int port = taken.getLocalPort();
      IngressConfig cfg = config("--port", String.valueOf(port));

      assertThatThrownBy(() -> start(cfg))
          .isInstanceOf(StartupException.class)
          .hasMessage("port " + port + " is in use (set --port / SYSMONSTM_PORT to move it)");
    }
  }

  @Test
  void tlsWhenCertificateAndKeyAreGiven(@TempDir Path dir) throws Exception {
    Path cert = copy("server1.pem", dir);
    Path key = copy("server1.key", dir);
    Path ca = copy("ca.pem", dir);
    IngressServer server =
        start(config("--tls-cert", cert.toString(), "--tls-key", key.toString()));

    ManagedChannel tls =
        channel(
            server.port(),
            TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build(),
            "foo.test.google.fr");
    assertThat(health(tls, "")).isEqualTo(ServingStatus.SERVING);
    PublishClient call = PublishClient.open(authorized(tls));
    call.send(TestBatches.valid("web-1", 1)).finish();
    assertThat(call.awaitEnd(WAIT).getCode()).isEqualTo(Status.Code.OK);
    assertThat(call.acks).containsExactly(1L);

    ManagedChannel plain = channel(server.port(), InsecureChannelCredentials.create(), null);
    assertThatThrownBy(() -> health(plain, ""))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void unusableTlsFilesAreAConfigurationErrorNamingTheSettings(@TempDir Path dir) throws Exception {
    Path notPem = Files.writeString(dir.resolve("cert.pem"), "not a certificate");
    Path key = copy("server1.key", dir);
    IngressConfig cfg = config("--tls-cert", notPem.toString(), "--tls-key", key.toString());

    assertThatThrownBy(() -> start(cfg))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid setting --tls-cert / --tls-key")
        .hasMessageContaining(notPem.toString());

    IngressConfig missing =
        config("--tls-cert", dir.resolve("nope.pem").toString(), "--tls-key", key.toString());
    assertThatThrownBy(() -> start(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid setting --tls-cert / --tls-key");
  }

  private static Path copy(String resource, Path dir) throws Exception {
    Path target = dir.resolve(resource);
    try (InputStream in = TlsTesting.loadCert(resource)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }
}
