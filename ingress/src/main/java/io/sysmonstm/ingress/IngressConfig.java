package io.sysmonstm.ingress;

import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.Durations;
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
 * Everything ingress is configured with, read once from flags and environment variables.
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

  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

  public IngressConfig {
    Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(kafkaTimeout, "kafkaTimeout");
    tokens = List.copyOf(tokens);
    tlsCert = Objects.requireNonNull(tlsCert, "tlsCert");
    tlsKey = Objects.requireNonNull(tlsKey, "tlsKey");
    if (port < 0 || port > 65535) {
      throw invalid("port", "must be between 0 and 65535, got " + port);
    }
    if (!TOPIC.matcher(topic).matches()) {
      throw invalid("topic", "'" + topic + "' is not a Kafka topic name ([A-Za-z0-9._-], 1-249)");
    }
    if (topicPartitions < 1) {
      throw invalid("topic-partitions", "must be at least 1, got " + topicPartitions);
    }
    for (String token : tokens) {
      if (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c == 127)) {
        throw invalid("tokens", "a token is empty or contains a space or control character");
      }
    }
    if (tlsCert.isPresent() != tlsKey.isPresent()) {
      String missing = tlsCert.isPresent() ? "tls-key" : "tls-cert";
      throw invalid(missing, "TLS needs both --tls-cert and --tls-key, or neither");
    }
    if (maxFutureSkew.isNegative()) {
      throw invalid("max-future-skew", "must not be negative");
    }
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw invalid("max-age", "must be positive");
    }
    if (kafkaTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw invalid("kafka-timeout", "must be at least 1s");
    }
    if (maxSamples < 1) {
      throw invalid("max-samples", "must be at least 1, got " + maxSamples);
    }
    if (maxAttributes < 0) {
      throw invalid("max-attributes", "must not be negative, got " + maxAttributes);
    }
    if (maxAttributeLength < 1) {
      throw invalid("max-attribute-length", "must be at least 1, got " + maxAttributeLength);
    }
  }

  /** Reads every ingress setting from {@code s}; see the README for the table. */
  public static IngressConfig from(Settings s) {
    return new IngressConfig(
        s.port("port", 50051),
        s.hostPorts("kafka-bootstrap", "localhost:9092"),
        s.string("topic", "sysmonstm.samples"),
        s.integer("topic-partitions", 6, 1, 10_000),
        s.secret("tokens").map(IngressConfig::splitTokens).orElse(List.of()),
        s.optional("tls-cert").map(Path::of),
        s.optional("tls-key").map(Path::of),
        s.duration("max-future-skew", Duration.ofMinutes(5), Duration.ZERO),
        s.duration("max-age", Duration.ofDays(7), Duration.ofMinutes(1)),
        s.integer("max-samples", 20_000, 1, 1_000_000),
        s.integer("max-attributes", 16, 0, 1_000),
        s.integer("max-attribute-length", 256, 1, 65_536),
        s.duration("kafka-timeout", Duration.ofSeconds(15), Duration.ofSeconds(1)));
  }

  private static List<String> splitTokens(String raw) {
    List<String> tokens =
        Arrays.stream(raw.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    if (tokens.isEmpty()) {
      throw invalid("tokens", "no token in '" + raw.replaceAll("[^,\\s]", "*") + "'");
    }
    return tokens;
  }

  private static ConfigException invalid(String name, String why) {
    return new ConfigException(
        name, "invalid setting --" + name + " (" + Settings.envName(name) + "): " + why);
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
