package io.sysmonstm.config;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a service was started with: command-line flags ({@code --name value} or {@code
 * --name=value}), each with an environment-variable equivalent ({@code SYSMONSTM_NAME}, upper case,
 * dashes as underscores). A flag wins over the environment, the environment over the default.
 *
 * <p>Values are read through their {@link Setting} descriptors, which parse, check and record the
 * effective value here, so a service can log its whole configuration at start ({@link #describe()},
 * secrets masked) and refuse a flag no descriptor knows ({@link #rejectUnknown()}).
 */
public final class Settings {
  private final Map<String, String> flags;
  private final Map<String, String> env;
  private final Map<String, String> effective = new TreeMap<>();
  private final Set<String> secrets = new HashSet<>();

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

  /** The text given for {@code name}, trimmed: the flag, else the environment variable. */
  Optional<String> raw(String name) {
    String v = flags.get(name);
    if (v == null) {
      v = env.get(envName(name));
    }
    return Optional.ofNullable(v).map(String::trim);
  }

  /** Called by a descriptor that read its value. */
  void record(Setting<?> setting, String shown) {
    effective.put(setting.name(), shown);
    if (setting.isSecret()) {
      secrets.add(setting.name());
    }
  }

  /** The names of the settings read so far. */
  Set<String> read() {
    return effective.keySet();
  }

  /** Fails on flags no descriptor knows (a typo must not be ignored silently). */
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
