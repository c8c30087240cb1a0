package io.sysmonstm.collector;

import io.sysmonstm.config.ConfigException;
import io.sysmonstm.config.Durations;
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
 * The collector's configuration, read once from flags and {@code SYSMONSTM_*} variables.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>flag</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>--ingress</td><td>localhost:50051</td><td>ingress gRPC address, host:port</td></tr>
 *   <tr><td>--token</td><td>(none)</td><td>bearer token sent as {@code authorization}</td></tr>
 *   <tr><td>--tls</td><td>false</td><td>TLS to ingress (implied by --tls-ca)</td></tr>
 *   <tr><td>--tls-ca</td><td>(system trust)</td><td>PEM file of a private CA</td></tr>
 *   <tr><td>--host-id</td><td>host name</td><td>stable id, ^[A-Za-z0-9._-]{1,253}$</td></tr>
 *   <tr><td>--interval</td><td>5s</td><td>sampling interval, at least 1s</td></tr>
 *   <tr><td>--buffer-batches</td><td>1000</td><td>unacked batches kept; oldest dropped</td></tr>
 *   <tr><td>--backoff-max</td><td>30s</td><td>longest wait between reconnects</td></tr>
 * </table>
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

  public CollectorConfig {
    Objects.requireNonNull(ingressHost, "ingressHost");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(tlsCa, "tlsCa");
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(backoffMax, "backoffMax");
    if (!HOST.matcher(ingressHost).matches()) {
      throw invalid(
          "ingress", "'" + ingressHost + "' is not a host name or address (expected host:port)");
    }
    if (ingressPort < 1 || ingressPort > 65535) {
      throw invalid("ingress", "port must be between 1 and 65535, got " + ingressPort);
    }
    if (token.isPresent()
        && (token.get().isBlank() || !token.get().chars().allMatch(c -> c > 32 && c < 127))) {
      throw invalid("token", "must be printable ASCII without spaces");
    }
    if (tlsCa.isPresent()) {
      if (!Files.isRegularFile(tlsCa.get()) || !Files.isReadable(tlsCa.get())) {
        throw invalid("tls-ca", "'" + tlsCa.get() + "' is not a readable file");
      }
      tls = true;
    }
    if (!HOST_ID.matcher(hostId).matches()) {
      throw invalid(
          "host-id",
          "'" + hostId + "' must match ^[A-Za-z0-9._-]{1,253}$ (letters, digits, . _ -)");
    }
    if (interval.compareTo(MIN_INTERVAL) < 0) {
      throw invalid("interval", "must be at least 1s, got " + Durations.format(interval));
    }
    if (bufferBatches < 1) {
      throw invalid("buffer-batches", "must be at least 1, got " + bufferBatches);
    }
    if (backoffMax.compareTo(Duration.ofSeconds(1)) < 0) {
      throw invalid("backoff-max", "must be at least 1s, got " + Durations.format(backoffMax));
    }
  }

  /**
   * Reads every collector setting from {@code s}; throws {@link ConfigException} naming a bad one.
   */
  public static CollectorConfig from(Settings s) {
    String ingress = s.hostPorts("ingress", DEFAULT_INGRESS).trim();
    if (ingress.contains(",")) {
      throw invalid("ingress", "'" + ingress + "' names more than one address; give one host:port");
    }
    int colon = ingress.lastIndexOf(':');
    String host = ingress.substring(0, colon).trim();
    int port = Integer.parseInt(ingress.substring(colon + 1).trim());
    Optional<String> token = s.secret("token");
    boolean tls = s.bool("tls", false);
    Optional<Path> tlsCa = s.optional("tls-ca").map(Path::of);
    String hostId = s.string("host-id", defaultHostId());
    Duration interval = s.duration("interval", DEFAULT_INTERVAL, MIN_INTERVAL);
    int bufferBatches = s.integer("buffer-batches", DEFAULT_BUFFER_BATCHES, 1, 1_000_000);
    Duration backoffMax = s.duration("backoff-max", DEFAULT_BACKOFF_MAX, Duration.ofSeconds(1));
    return new CollectorConfig(
        host, port, token, tls, tlsCa, hostId, interval, bufferBatches, backoffMax);
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

  private static ConfigException invalid(String flag, String why) {
    return new ConfigException(
        flag, "invalid setting --" + flag + " (" + Settings.envName(flag) + "): " + why);
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
