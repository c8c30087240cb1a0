package io.sysmonstm.collector;

import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.Durations;
import io.sysmonstm.config.ServiceSettings;
import io.sysmonstm.config.Setting;
import io.sysmonstm.config.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The collector's configuration, read once from flags and {@code SYSMONSTM_*} variables; each
 * setting is described once, in {@link #SETTINGS} ({@code --help}, the README's table).
 *
 * @param ingressHost host of ingress
 * @param ingressPort port of ingress
 * @param token bearer token, if any
 * @param tls whether to use TLS
 * @param tlsCa PEM file of the CA that signed ingress's certificate, if not a public one
 * @param hostId stable identity of this host
 * @param interval time between samples
 * @param bufferBatches unacknowledged batches kept at most
 * @param backoffMax cap of the reconnect delay
 */
public record CollectorConfig(
    String ingressHost,
    int ingressPort,
    Optional<String> token,
    boolean tls,
    Optional<Path> tlsCa,
    String hostId,
    Duration interval,
    int bufferBatches,
    Duration backoffMax) {

  public static final String DEFAULT_INGRESS = "localhost:50051";
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_BUFFER_BATCHES = 1000;
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(30);

  /** What ingress checks host ids against. */
  public static final Pattern HOST_ID = Pattern.compile("^[A-Za-z0-9._-]{1,253}$");

  private static final Pattern HOST =
      Pattern.compile("^([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.%a-zA-Z]+\\])$");

  public static final Setting<String> INGRESS =
      Setting.hostPorts("ingress")
          .defaultValue(DEFAULT_INGRESS)
          .check(
              v -> !v.contains(","),
              shown -> "'" + shown + "' names more than one address; give one host:port")
          .check(
              (v, shown) ->
                  HOST.matcher(host(v)).matches()
                      ? null
                      : "'" + host(v) + "' is not a host name or address (expected host:port)")
          .check(
              (v, shown) ->
                  port(v) >= 1 && port(v) <= 65535
                      ? null
                      : "port must be between 1 and 65535, got " + port(v))
          .doc("ingress gRPC address, one `host:port`");
  public static final Setting<String> TOKEN =
      Setting.string("token")
          .secret()
          .check(
              t -> !t.isBlank() && t.chars().allMatch(c -> c > 32 && c < 127),
              shown -> "must be printable ASCII without spaces")
          .doc("bearer token, sent as `authorization: Bearer …`; never logged");
  public static final Setting<Boolean> TLS =
      Setting.bool("tls").defaultValue(false).doc("TLS to ingress, trusting the system's CAs");
  public static final Setting<Path> TLS_CA =
      Setting.path("tls-ca")
          .check(
              p -> Files.isRegularFile(p) && Files.isReadable(p),
              shown -> "'" + shown + "' is not a readable file")
          .doc("PEM file of a private CA; implies `--tls`");
  public static final Setting<String> HOST_ID_SETTING =
      Setting.string("host-id")
          .defaultValue(defaultHostId())
          .shownDefault("host name, invalid characters as `-`")
          .matches(
              HOST_ID,
              shown ->
                  "'" + shown + "' must match ^[A-Za-z0-9._-]{1,253}$ (letters, digits, . _ -)")
          .doc("stable host identity, `^[A-Za-z0-9._-]{1,253}$`");
  public static final Setting<Duration> INTERVAL =
      Setting.duration("interval")
          .defaultValue(DEFAULT_INTERVAL)
          .atLeast(MIN_INTERVAL)
          .doc("sampling interval");
  public static final Setting<Integer> BUFFER_BATCHES =
      Setting.integer("buffer-batches")
          .defaultValue(DEFAULT_BUFFER_BATCHES)
          .between(1, 1_000_000)
          .doc("unacknowledged batches kept; when full the oldest is dropped and counted");
  public static final Setting<Duration> BACKOFF_MAX =
      Setting.duration("backoff-max")
          .defaultValue(DEFAULT_BACKOFF_MAX)
          .atLeast(Duration.ofSeconds(1))
          .doc("longest wait between reconnects");

  /** Every collector setting, in the order of {@code --help} and the README. */
  public static final ServiceSettings<CollectorConfig> SETTINGS =
      ServiceSettings.of(
          "collector",
          "java -jar sysmonstm-collector-<version>-all.jar",
          CollectorConfig::from,
          INGRESS,
          TOKEN,
          TLS,
          TLS_CA,
          HOST_ID_SETTING,
          INTERVAL,
          BUFFER_BATCHES,
          BACKOFF_MAX);

  public CollectorConfig {
    Objects.requireNonNull(ingressHost, "ingressHost");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(tlsCa, "tlsCa");
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(backoffMax, "backoffMax");
    INGRESS.check(ingressHost + ":" + ingressPort);
    token.ifPresent(TOKEN::check);
    if (tlsCa.isPresent()) {
      TLS_CA.check(tlsCa.get());
      tls = true;
    }
    HOST_ID_SETTING.check(hostId);
    INTERVAL.check(interval);
    BUFFER_BATCHES.check(bufferBatches);
    BACKOFF_MAX.check(backoffMax);
  }

  /**
   * Reads every collector setting from {@code s}; throws {@link ConfigException} naming a bad one.
   */
  public static CollectorConfig from(Settings s) {
    String ingress = INGRESS.get(s);
    return new CollectorConfig(
        host(ingress),
        port(ingress),
        TOKEN.optional(s),
        TLS.get(s),
        TLS_CA.optional(s),
        HOST_ID_SETTING.get(s),
        INTERVAL.get(s),
        BUFFER_BATCHES.get(s),
        BACKOFF_MAX.get(s));
  }

  private static String host(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return (colon < 0 ? hostPort : hostPort.substring(0, colon)).trim();
  }

  private static int port(String hostPort) {
    try {
      return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1).trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Ingress as {@code host:port}. */
  public String ingress() {
    return ingressHost + ":" + ingressPort;
  }

  /** This machine's host name made into a valid host id (invalid characters become '-'). */
  public static String defaultHostId() {
    return sanitizeHostId(localHostName());
  }

  /** {@code name} with every character outside [A-Za-z0-9._-] replaced by '-', at most 253. */
  public static String sanitizeHostId(String name) {
    String id = name == null ? "" : name.trim().replaceAll("[^A-Za-z0-9._-]", "-");
    if (id.length() > 253) {
      id = id.substring(0, 253);
    }
    return id.isEmpty() ? "unknown-host" : id;
  }

  /** Files and variables first (no DNS look-up that could hang), then Java's own answer. */
  private static String localHostName() {
    for (Path p : List.of(Path.of("/proc/sys/kernel/hostname"), Path.of("/etc/hostname"))) {
      try {
        if (Files.isReadable(p)) {
          String name = Files.readString(p, StandardCharsets.UTF_8).trim();
          if (!name.isEmpty()) {
            return name;
          }
        }
      } catch (IOException | RuntimeException e) {
        // try the next source
      }
    }
    for (String var : List.of("COMPUTERNAME", "HOSTNAME")) {
      String name = System.getenv(var);
      if (name != null && !name.isBlank()) {
        return name;
      }
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** The token never appears in logs. */
  @Override
  public String toString() {
    return "CollectorConfig[ingress="
        + ingress()
        + ", token="
        + (token.isPresent() ? "***" : "(none)")
        + ", tls="
        + tls
        + ", tlsCa="
        + tlsCa.map(Path::toString).orElse("(none)")
        + ", hostId="
        + hostId
        + ", interval="
        + Durations.format(interval)
        + ", bufferBatches="
        + bufferBatches
        + ", backoffMax="
        + Durations.format(backoffMax)
        + "]";
  }
}
