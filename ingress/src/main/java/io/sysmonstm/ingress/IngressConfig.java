package io.sysmonstm.ingress;

import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.Durations;
import io.sysmonstm.config.ServiceSettings;
import io.sysmonstm.config.Setting;
import io.sysmonstm.config.Settings;
import io.sysmonstm.ingress.validation.BatchLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything ingress is configured with, read once from flags and environment variables; each
 * setting is described once, in {@link #SETTINGS} ({@code --help}, the README's table).
 *
 * @param port gRPC port; 0 picks a free one
 * @param kafkaBootstrap Kafka bootstrap servers, {@code host:port[,host:port…]}
 * @param topic the topic batches are written to
 * @param topicPartitions partitions of the topic when ingress has to create it
 * @param tokens accepted bearer tokens; empty = authentication off
 * @param tlsCert PEM certificate chain; present exactly when {@code tlsKey} is
 * @param tlsKey PEM private key (PKCS#8)
 * @param maxFutureSkew how far ahead of this server's clock a timestamp may be
 * @param maxAge how old a timestamp may be (collectors back-fill after an outage)
 * @param maxSamples samples per batch
 * @param maxAttributes attributes per sample
 * @param maxAttributeLength characters of an attribute key or value
 * @param kafkaTimeout start-up reachability check; bounds how long a write may take
 */
public record IngressConfig(
    int port,
    String kafkaBootstrap,
    String topic,
    int topicPartitions,
    List<String> tokens,
    Optional<Path> tlsCert,
    Optional<Path> tlsKey,
    Duration maxFutureSkew,
    Duration maxAge,
    int maxSamples,
    int maxAttributes,
    int maxAttributeLength,
    Duration kafkaTimeout) {

  private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");

  public static final Setting<Integer> PORT =
      Setting.port("port").defaultValue(50051).doc("gRPC port; `0` picks a free one");
  public static final Setting<String> KAFKA_BOOTSTRAP =
      Setting.hostPorts("kafka-bootstrap")
          .defaultValue("localhost:9092")
          .doc("Kafka bootstrap servers, `host:port[,host:port]`");
  public static final Setting<String> TOPIC =
      Setting.string("topic")
          .defaultValue("sysmonstm.samples")
          .matches(
              TOPIC_NAME,
              shown -> "'" + shown + "' is not a Kafka topic name ([A-Za-z0-9._-], 1-249)")
          .doc("topic batches are written to");
  public static final Setting<Integer> TOPIC_PARTITIONS =
      Setting.integer("topic-partitions")
          .defaultValue(6)
          .between(1, 10_000)
          .doc("partitions when ingress creates the missing topic (replication: broker default)");
  public static final Setting<List<String>> TOKENS =
      Setting.of("tokens", IngressConfig::splitTokens, t -> t.size() + " (hidden)", true)
          .secret()
          .check(
              tokens ->
                  tokens.stream()
                      .noneMatch(t -> t.isEmpty() || t.chars().anyMatch(c -> c <= ' ' || c == 127)),
              shown -> "a token is empty or contains a space or control character")
          .doc(
              "comma-separated accepted bearer tokens (one per host or per fleet); none ="
                  + " authentication off, warned at start");
  public static final Setting<Path> TLS_CERT =
      Setting.path("tls-cert").doc("PEM certificate chain; TLS when given, with `--tls-key`");
  public static final Setting<Path> TLS_KEY =
      Setting.path("tls-key").doc("PEM private key (PKCS#8); both `--tls-cert` and it, or neither");
  public static final Setting<Duration> MAX_FUTURE_SKEW =
      Setting.duration("max-future-skew")
          .defaultValue(Duration.ofMinutes(5))
          .atLeast(Duration.ZERO)
          .doc("how far ahead of ingress's clock a snapshot timestamp may be");
  public static final Setting<Duration> MAX_AGE =
      Setting.duration("max-age")
          .defaultValue(Duration.ofDays(7))
          .atLeast(Duration.ofMinutes(1))
          .doc("oldest snapshot timestamp accepted (collectors back-fill after an outage)");
  public static final Setting<Integer> MAX_SAMPLES =
      Setting.integer("max-samples")
          .defaultValue(20_000)
          .between(1, 1_000_000)
          .doc("samples per batch");
  public static final Setting<Integer> MAX_ATTRIBUTES =
      Setting.integer("max-attributes")
          .defaultValue(16)
          .between(0, 1_000)
          .doc("attributes per sample");
  public static final Setting<Integer> MAX_ATTRIBUTE_LENGTH =
      Setting.integer("max-attribute-length")
          .defaultValue(256)
          .between(1, 65_536)
          .doc("characters of an attribute key or value, and of each host fact");
  public static final Setting<Duration> KAFKA_TIMEOUT =
      Setting.duration("kafka-timeout")
          .defaultValue(Duration.ofSeconds(15))
          .atLeast(Duration.ofSeconds(1))
          .doc(
              "Kafka must answer at start within this; a write blocks at most this long and fails"
                  + " after at most twice this");

  /** Every ingress setting, in the order of {@code --help} and the README. */
  public static final ServiceSettings<IngressConfig> SETTINGS =
      ServiceSettings.of(
          "ingress",
          "java -jar sysmonstm-ingress-<version>-all.jar",
          IngressConfig::from,
          PORT,
          KAFKA_BOOTSTRAP,
          TOPIC,
          TOPIC_PARTITIONS,
          TOKENS,
          TLS_CERT,
          TLS_KEY,
          MAX_FUTURE_SKEW,
          MAX_AGE,
          MAX_SAMPLES,
          MAX_ATTRIBUTES,
          MAX_ATTRIBUTE_LENGTH,
          KAFKA_TIMEOUT);

  public IngressConfig {
    Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(kafkaTimeout, "kafkaTimeout");
    tokens = List.copyOf(tokens);
    tlsCert = Objects.requireNonNull(tlsCert, "tlsCert");
    tlsKey = Objects.requireNonNull(tlsKey, "tlsKey");
    PORT.check(port);
    TOPIC.check(topic);
    TOPIC_PARTITIONS.check(topicPartitions);
    TOKENS.check(tokens);
    if (tlsCert.isPresent() != tlsKey.isPresent()) {
      Setting<Path> missing = tlsCert.isPresent() ? TLS_KEY : TLS_CERT;
      throw missing.invalid("TLS needs both --tls-cert and --tls-key, or neither");
    }
    MAX_FUTURE_SKEW.check(maxFutureSkew);
    MAX_AGE.check(maxAge);
    KAFKA_TIMEOUT.check(kafkaTimeout);
    MAX_SAMPLES.check(maxSamples);
    MAX_ATTRIBUTES.check(maxAttributes);
    MAX_ATTRIBUTE_LENGTH.check(maxAttributeLength);
  }

  /**
   * Reads every ingress setting from {@code s}; throws {@link ConfigException} naming a bad one.
   */
  public static IngressConfig from(Settings s) {
    return new IngressConfig(
        PORT.get(s),
        KAFKA_BOOTSTRAP.get(s),
        TOPIC.get(s),
        TOPIC_PARTITIONS.get(s),
        TOKENS.optional(s).orElse(List.of()),
        TLS_CERT.optional(s),
        TLS_KEY.optional(s),
        MAX_FUTURE_SKEW.get(s),
        MAX_AGE.get(s),
        MAX_SAMPLES.get(s),
        MAX_ATTRIBUTES.get(s),
        MAX_ATTRIBUTE_LENGTH.get(s),
        KAFKA_TIMEOUT.get(s));
  }

  /** The tokens of a comma-separated list; the message never echoes a token. */
  private static List<String> splitTokens(String raw) {
    List<String> tokens =
        Arrays.stream(raw.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("no token in '" + raw.replaceAll("[^,\\s]", "*") + "'");
    }
    return tokens;
  }

  /** The limits a batch is checked against. */
  public BatchLimits limits() {
    return new BatchLimits(maxFutureSkew, maxAge, maxSamples, maxAttributes, maxAttributeLength);
  }

  /** Whether bearer tokens are required. */
  public boolean authEnabled() {
    return !tokens.isEmpty();
  }

  /** Whether the server speaks TLS. */
  public boolean tlsEnabled() {
    return tlsCert.isPresent();
  }

  /** Tokens are secrets: never printed. */
  @Override
  public String toString() {
    return "IngressConfig[port="
        + port
        + ", kafkaBootstrap="
        + kafkaBootstrap
        + ", topic="
        + topic
        + ", topicPartitions="
        + topicPartitions
        + ", tokens="
        + (tokens.isEmpty() ? "(none)" : tokens.size() + " (hidden)")
        + ", tlsCert="
        + tlsCert.map(Path::toString).orElse("(none)")
        + ", tlsKey="
        + tlsKey.map(Path::toString).orElse("(none)")
        + ", maxFutureSkew="
        + Durations.format(maxFutureSkew)
        + ", maxAge="
        + Durations.format(maxAge)
        + ", maxSamples="
        + maxSamples
        + ", maxAttributes="
        + maxAttributes
        + ", maxAttributeLength="
        + maxAttributeLength
        + ", kafkaTimeout="
        + Durations.format(kafkaTimeout)
        + "]";
  }
}
