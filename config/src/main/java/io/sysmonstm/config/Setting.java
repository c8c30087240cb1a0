package io.sysmonstm.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One setting, described once: its flag, environment variable, type, default, bounds, meaning and
 * whether it is a secret (in the spirit of Debezium's {@code Field}). Parsing, validation, the
 * error line, the start-up log, {@code --help} and the README's configuration tables all come from
 * it.
 *
 * <p>Descriptors do not change once built: {@link #defaultValue}, {@link #check}, {@link #doc} and
 * the other withers return a changed copy.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {
  /** Turns the text of a flag or variable into a value. */
  @FunctionalInterface
  public interface Parser<T> {
    /**
     * @throws IllegalArgumentException whose message says why {@code text} is not a value
     */
    T parse(String text);
  }

  /** One condition on a value. */
  @FunctionalInterface
  public interface Check<T> {
    /**
     * What is wrong with {@code value}, or null when nothing is.
     *
     * @param shown how to show the value in the message: the text as given, never a secret's
     */
    String problem(T value, String shown);
  }

  // Set once: by the factory, or by a wither on the fresh copy it returns (see copy()).
  private final String name;
  private final Parser<T> parser;
  private final Function<T, String> format;
  private final boolean blankIsUnset;
  private T defaultValue;
  private String shownDefault;
  private List<Check<T>> checks = List.of();
  private List<String> bounds = List.of();
  private String doc = "";
  private boolean secret;
  private String group;

  private Setting(String name, Parser<T> parser, Function<T, String> format, boolean blankIsUnset) {
    this.name = name;
    this.parser = parser;
    this.format = format;
    this.blankIsUnset = blankIsUnset;
  }

  /** A copy for a wither to change before returning it; the original never changes. */
  private Setting<T> copy() {
    Setting<T> c = new Setting<>(name, parser, format, blankIsUnset);
    c.defaultValue = defaultValue;
    c.shownDefault = shownDefault;
    c.checks = checks;
    c.bounds = bounds;
    c.doc = doc;
    c.secret = secret;
    c.group = group;
    return c;
  }

  // ---- types ----------------------------------------------------------------------------------

  /**
   * A setting of any type; {@code blankIsUnset} makes an empty flag or variable count as not given.
   */
  public static <T> Setting<T> of(
      String name, Parser<T> parser, Function<T, String> format, boolean blankIsUnset) {
    if (!name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
      throw new IllegalArgumentException("a flag name is lower-case words with dashes: " + name);
    }
    return new Setting<>(name, parser, format, blankIsUnset);
  }

  /** Text; blank counts as unset. */
  public static Setting<String> string(String name) {
    return of(name, s -> s, s -> s, true);
  }

  /** A whole number (bounds with {@link #between}). */
  public static Setting<Integer> integer(String name) {
    return of(
        name,
        s -> {
          try {
            return Integer.parseInt(s);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a whole number");
          }
        },
        String::valueOf,
        false);
  }

  /** A TCP port, 0 (any free port) to 65535. */
  public static Setting<Integer> port(String name) {
    return integer(name)
        .check(
            (v, shown) -> v < 0 || v > 65535 ? "must be between 0 and 65535, got " + shown : null);
  }

  /** {@code true/yes/1/on} or {@code false/no/0/off}; a flag without a value is {@code true}. */
  public static Setting<Boolean> bool(String name) {
    return of(
        name,
        s ->
            switch (s.toLowerCase(Locale.ROOT)) {
              case "true", "yes", "1", "on" -> true;
              case "false", "no", "0", "off" -> false;
              default -> throw new IllegalArgumentException("'" + s + "' is not true or false");
            },
        String::valueOf,
        false);
  }

  /** A Prometheus-style duration ({@code 500ms}, {@code 5s}, {@code 1h30m}). */
  public static Setting<Duration> duration(String name) {
    return of(name, Durations::parse, Durations::format, false);
  }

  /** A file or directory. */
  public static Setting<Path> path(String name) {
    return of(name, Path::of, Path::toString, true);
  }

  /**
   * A URI with one of {@code schemes} and a host, e.g. {@code redis://localhost:6379}; the first
   * scheme is the one named in the error.
   */
  public static Setting<URI> uri(String name, String... schemes) {
    Set<String> allowed = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(schemes)));
    return Setting.<URI>of(
            name,
            s -> {
              try {
                return new URI(s);
              } catch (URISyntaxException e) {
                throw new IllegalArgumentException("'" + s + "' is not a URL");
              }
            },
            URI::toString,
            true)
        .check(
            u -> u.getScheme() != null && allowed.contains(u.getScheme()) && u.getHost() != null,
            shown -> "'" + shown + "' is not a URL like " + schemes[0] + "://host:port");
  }

  /** A JDBC URL for PostgreSQL, {@code jdbc:postgresql://host:port/db}. */
  public static Setting<String> jdbcUrl(String name) {
    return string(name)
        .check(
            v -> JdbcUrl.parse(v).isPresent(),
            shown -> "'" + shown + "' is not a URL like jdbc:postgresql://host:5432/database");
  }

  /** Comma-separated {@code host:port} pairs (Kafka bootstrap servers). */
  public static Setting<String> hostPorts(String name) {
    return string(name)
        .check(
            (v, shown) -> {
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
                  return "'" + p + "' is not host:port";
                }
              }
              return null;
            });
  }

  /**
   * One of an enum's constants, written in lower case with dashes ({@code ALERT_LATENCY} is {@code
   * alert-latency}).
   */
  public static <E extends Enum<E>> Setting<E> choice(String name, Class<E> type) {
    List<E> constants = List.of(type.getEnumConstants());
    String allowed = constants.stream().map(Setting::flagForm).collect(Collectors.joining(", "));
    return of(
        name,
        s -> {
          for (E c : constants) {
            if (flagForm(c).equals(s.toLowerCase(Locale.ROOT))) {
              return c;
            }
          }
          throw new IllegalArgumentException("'" + s + "' is not one of " + allowed);
        },
        Setting::flagForm,
        true);
  }

  /** One of {@code words}, compared ignoring case, given back in lower case. */
  public static Setting<String> oneOf(String name, String... words) {
    List<String> allowed = List.of(words);
    return of(name, s -> s.toLowerCase(Locale.ROOT), s -> s, true)
        .check(
            allowed::contains,
            shown -> "'" + shown + "' is not one of " + String.join(", ", allowed));
  }

  /** {@code ALERT_LATENCY} as a flag value: {@code alert-latency}. */
  public static String flagForm(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  // ---- description ----------------------------------------------------------------------------

  /** The value when neither the flag nor the variable is given. */
  public Setting<T> defaultValue(T value) {
    Setting<T> c = copy();
    c.defaultValue = Objects.requireNonNull(value, "default");
    return c;
  }

  /**
   * How {@code --help} and the README show the default when it is not a fixed value, e.g. {@code
   * (host name)}, {@code (embedded)}, {@code (none)}.
   */
  public Setting<T> shownDefault(String text) {
    Setting<T> c = copy();
    c.shownDefault = text;
    return c;
  }

  /** One line saying what the setting means (Markdown: {@code `code`} is allowed). */
  public Setting<T> doc(String line) {
    if (line.contains("\n") || line.contains("|")) {
      throw new IllegalArgumentException("a setting's doc is one line without '|': " + line);
    }
    Setting<T> c = copy();
    c.doc = line;
    return c;
  }

  /**
   * A secret: the start-up log shows {@code ***} and checks are given {@code (hidden)} instead of
   * the value (its parser must not echo it either).
   */
  public Setting<T> secret() {
    Setting<T> c = copy();
    c.secret = true;
    return c;
  }

  /** A heading this setting is listed under in {@code --help} and the README. */
  public Setting<T> group(String title) {
    Setting<T> c = copy();
    c.group = title;
    return c;
  }

  /** Adds a condition on the value. */
  public Setting<T> check(Check<T> check) {
    return check(check, null);
  }

  /**
   * Adds a condition that the README and {@code --help} state after the doc line, e.g. {@code at
   * least `1s`}; null states nothing.
   */
  public Setting<T> check(Check<T> check, String bound) {
    Setting<T> c = copy();
    List<Check<T>> all = new ArrayList<>(checks);
    all.add(check);
    c.checks = List.copyOf(all);
    if (bound != null) {
      List<String> stated = new ArrayList<>(bounds);
      stated.add(bound);
      c.bounds = List.copyOf(stated);
    }
    return c;
  }

  /** Adds a condition: {@code why} is the whole reason given when {@code ok} is false. */
  public Setting<T> check(Predicate<T> ok, Function<String, String> why) {
    return check((v, shown) -> ok.test(v) ? null : why.apply(shown));
  }

  /** Adds a pattern the value's text must match. */
  public Setting<T> matches(Pattern pattern, Function<String, String> why) {
    return check(v -> pattern.matcher(format.apply(v)).matches(), why);
  }

  // ---- bounds ---------------------------------------------------------------------------------

  /** Bounds a number: {@code min <= value <= max}. */
  public Setting<T> between(int min, int max) {
    return check(
        (v, shown) ->
            ((Integer) v) < min || ((Integer) v) > max
                ? "must be between " + min + " and " + max + ", got " + shown
                : null,
        "`" + min + "` to `" + max + "`");
  }

  /** Bounds a duration from below. */
  public Setting<T> atLeast(Duration min) {
    return check(
        (v, shown) ->
            ((Duration) v).compareTo(min) < 0
                ? "must be at least " + Durations.format(min) + ", got " + shown
                : null,
        min.isZero() ? null : "at least `" + Durations.format(min) + "`");
  }

  /** Bounds a duration from above. */
  public Setting<T> atMost(Duration max) {
    return check(
        (v, shown) ->
            ((Duration) v).compareTo(max) > 0
                ? "must be at most " + Durations.format(max) + ", got " + shown
                : null,
        "at most `" + Durations.format(max) + "`");
  }

  // ---- reading --------------------------------------------------------------------------------

  /** The flag, without dashes, e.g. {@code interval}. */
  public String name() {
    return name;
  }

  /** {@code --interval}. */
  public String flag() {
    return "--" + name;
  }

  /** The environment variable that stands for the flag, e.g. {@code SYSMONSTM_INTERVAL}. */
  public String env() {
    return Settings.envName(name);
  }

  /**
   * The one-line meaning, followed by the bounds the checks state, e.g. {@code sampling interval,
   * at least `1s`}.
   */
  public String doc() {
    return bounds.isEmpty() ? doc : doc + ", " + String.join(", ", bounds);
  }

  public boolean isSecret() {
    return secret;
  }

  /** The heading it is listed under; empty for the service's main list. */
  public Optional<String> group() {
    return Optional.ofNullable(group);
  }

  /** The default, if there is a fixed one. */
  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /**
   * How the default is shown: the explicit text ({@link #shownDefault(String)}) or the default
   * value in {@code `code`}; {@code (none)} when there is neither.
   */
  public String shownDefault() {
    if (shownDefault != null) {
      return shownDefault;
    }
    return defaultValue == null ? "(none)" : "`" + format.apply(defaultValue) + "`";
  }

  /** {@code --name (SYSMONSTM_NAME)}, as error messages name a setting. */
  public String label() {
    return flag() + " (" + env() + ")";
  }

  /** The unified error: {@code invalid setting --name (SYSMONSTM_NAME): why}. */
  public ConfigException invalid(String why) {
    return invalid(name, why);
  }

  /** The unified error for any flag: {@code invalid setting --name (SYSMONSTM_NAME): why}. */
  public static ConfigException invalid(String name, String why) {
    return new ConfigException(
        name, "invalid setting --" + name + " (" + Settings.envName(name) + "): " + why);
  }

  /**
   * The value from {@code s}: the flag, else the variable, else the default; parsed and checked.
   * Without a default, a missing value is an error.
   */
  public T get(Settings s) {
    return read(s).orElseThrow(() -> invalid("required, not set"));
  }

  /** The value from {@code s} if given (or defaulted); parsed and checked. */
  public Optional<T> optional(Settings s) {
    return read(s);
  }

  private Optional<T> read(Settings s) {
    Optional<String> raw = s.raw(name);
    if (blankIsUnset) {
      raw = raw.filter(v -> !v.isEmpty());
    }
    T value;
    String shown;
    if (raw.isPresent()) {
      try {
        value = parser.parse(raw.get());
      } catch (IllegalArgumentException e) {
        throw invalid(e.getMessage());
      }
      shown = raw.get();
    } else {
      value = defaultValue;
      shown = value == null ? null : format.apply(value);
    }
    if (value != null) {
      verify(value, shown);
    }
    s.record(this, value == null ? "(none)" : format.apply(value));
    return Optional.ofNullable(value);
  }

  /**
   * Checks a value that did not come from a flag (a record built in code): the same conditions and
   * the same error line.
   *
   * @return {@code value}
   */
  public T check(T value) {
    Objects.requireNonNull(value, name);
    verify(value, format.apply(value));
    return value;
  }

  private void verify(T value, String shown) {
    String show = secret ? "(hidden)" : shown;
    for (Check<T> c : checks) {
      String problem = c.problem(value, show);
      if (problem != null) {
        throw invalid(problem);
      }
    }
  }

  @Override
  public String toString() {
    return label();
  }
}
