package io.sysmonstm.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A service's settings: command-line flags ({@code --name value} or {@code --name=value}), each
 * with an environment-variable equivalent ({@code SYSMONSTM_NAME}, upper case, dashes as
 * underscores). A flag wins over the environment, the environment over the default.
 *
 * <p>Every typed getter validates and throws {@link ConfigException} with one line naming the flag
 * and its variable. Each getter records the effective value so a service can log its whole
 * configuration at start ({@link #describe()}), with secrets masked.
 */
public final class Settings {
  private final Map<String, String> flags;
  private final Map<String, String> env;
  private final Map<String, String> effective = new TreeMap<>();
  private final Set<String> secrets = new java.util.HashSet<>();

  private Settings(Map<String, String> flags, Map<String, String> env) {
    this.flags = flags;
    this.env = env;
  }

  /** Parses {@code args}; a flag without a value is {@code true} (for booleans). */
  public static Settings parse(String[] args, Map<String, String> env) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || a.length() == 2) {
        throw new ConfigException(
            a, "unexpected argument '" + a + "': flags look like --name value");
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      } else {
        value = "true";
      }
      flags.put(name, value);
    }
    return new Settings(flags, env);
  }

  /** The environment variable that stands for {@code flag}. */
  public static String envName(String flag) {
    return "SYSMONSTM_" + flag.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  private static String label(String name) {
    return "--" + name + " (" + envName(name) + ")";
  }

  private Optional<String> raw(String name) {
    String v = flags.get(name);
    if (v == null) {
      v = env.get(envName(name));
    }
    return Optional.ofNullable(v).map(String::trim);
  }

  private ConfigException invalid(String name, String why) {
    return new ConfigException(name, "invalid setting " + label(name) + ": " + why);
  }

  private <T> T record(String name, T value) {
    effective.put(name, String.valueOf(value));
    return value;
  }

  /** A string setting; blank counts as unset. */
  public String string(String name, String def) {
    return record(name, raw(name).filter(s -> !s.isEmpty()).orElse(def));
  }

  /** A string setting that must be given. */
  public String required(String name) {
    return record(
        name,
        raw(name).filter(s -> !s.isEmpty()).orElseThrow(() -> invalid(name, "required, not set")));
  }

  /** An optional string setting. */
  public Optional<String> optional(String name) {
    Optional<String> v = raw(name).filter(s -> !s.isEmpty());
    effective.put(name, v.orElse("(none)"));
    return v;
  }

  /** A secret: never logged. */
  public Optional<String> secret(String name) {
    secrets.add(name);
    Optional<String> v = raw(name).filter(s -> !s.isEmpty());
    effective.put(name, v.isPresent() ? "(set)" : "(none)");
    return v;
  }

  public int integer(String name, int def, int min, int max) {
    Optional<String> v = raw(name);
    if (v.isEmpty()) {
      return record(name, def);
    }
    int n;
    try {
      n = Integer.parseInt(v.get());
    } catch (NumberFormatException e) {
      throw invalid(name, "'" + v.get() + "' is not a whole number");
    }
    if (n < min || n > max) {
      throw invalid(name, "must be between " + min + " and " + max + ", got " + n);
    }
    return record(name, n);
  }

  /** A TCP port, 0 (any free port) to 65535. */
  public int port(String name, int def) {
    return integer(name, def, 0, 65535);
  }

  public boolean bool(String name, boolean def) {
    Optional<String> v = raw(name);
    if (v.isEmpty()) {
      return record(name, def);
    }
    return record(
        name,
        switch (v.get().toLowerCase(Locale.ROOT)) {
          case "true", "yes", "1", "on" -> true;
          case "false", "no", "0", "off" -> false;
          default -> throw invalid(name, "'" + v.get() + "' is not true or false");
        });
  }

  /** A Prometheus-style duration ({@code 5s}, {@code 1m}) of at least {@code min}. */
  public Duration duration(String name, Duration def, Duration min) {
    Optional<String> v = raw(name);
    Duration d;
    if (v.isEmpty()) {
      d = def;
    } else {
      try {
        d = Durations.parse(v.get());
      } catch (IllegalArgumentException e) {
        throw invalid(name, e.getMessage());
      }
    }
    if (d.compareTo(min) < 0) {
      throw invalid(name, "must be at least " + Durations.format(min) + ", got " + v.orElse("?"));
    }
    effective.put(name, Durations.format(d));
    return d;
  }

  /** A URI with one of {@code schemes} and a host, e.g. {@code redis://localhost:6379}. */
  public URI uri(String name, String def, Set<String> schemes) {
    String v = string(name, def);
    URI u;
    try {
      u = new URI(v);
    } catch (URISyntaxException e) {
      throw invalid(name, "'" + v + "' is not a URL");
    }
    if (u.getScheme() == null || !schemes.contains(u.getScheme()) || u.getHost() == null) {
      throw invalid(
          name, "'" + v + "' is not a URL like " + schemes.iterator().next() + "://host:port");
    }
    return u;
  }

  /** A JDBC URL for PostgreSQL, {@code jdbc:postgresql://host:port/db}. */
  public String jdbcUrl(String name, String def) {
    String v = string(name, def);
    if (JdbcUrl.parse(v).isEmpty()) {
      throw invalid(name, "'" + v + "' is not a URL like jdbc:postgresql://host:5432/database");
    }
    return v;
  }

  /** Comma-separated {@code host:port} pairs (Kafka bootstrap servers). */
  public String hostPorts(String name, String def) {
    String v = string(name, def);
    for (String part : v.split(",")) {
      String p = part.trim();
      int colon = p.lastIndexOf(':');
      boolean ok = colon > 0 && colon < p.length() - 1;
      if (ok) {
        try {
          int port = Integer.parseInt(p.substring(colon + 1));
          ok = port > 0 && port <= 65535;
        } catch (NumberFormatException e) {
          ok = false;
        }
      }
      if (!ok) {
        throw invalid(name, "'" + p + "' is not host:port");
      }
    }
    return v;
  }

  /** Fails on flags that no getter asked for (a typo must not be ignored silently). */
  public void rejectUnknown() {
    for (String name : flags.keySet()) {
      if (!effective.containsKey(name)) {
        throw new ConfigException(
            name,
            "unknown setting --"
                + name
                + "; known settings: --"
                + String.join(", --", effective.keySet()));
      }
    }
  }

  /** The effective configuration in one line, secrets masked, for the start-up log. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    effective.forEach(
        (k, v) -> {
          if (b.length() > 0) {
            b.append(", ");
          }
          b.append(k).append('=').append(secrets.contains(k) ? "***" : maskUrl(v));
        });
    return b.toString();
  }

  private static String maskUrl(String v) {
    // user:password@ in a URL is a secret too
    return v.replaceAll("(://[^/:@]+):[^/@]+@", "$1:***@");
  }
}
