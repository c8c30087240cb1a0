package io.sysmonstm.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A service's whole list of settings, declared once, and how its configuration record is built from
 * them. From it come the checks of a command line ({@link #check}), {@code --help} ({@link
 * #help()}) and the README's table ({@link ConfigurationTable}).
 *
 * @param <C> the service's configuration record
 */
public final class ServiceSettings<C> {
  private final String service;
  private final String usage;
  private final Function<Settings, C> from;
  private final List<Setting<?>> all;

  private ServiceSettings(
      String service, String usage, Function<Settings, C> from, List<Setting<?>> all) {
    this.service = service;
    this.usage = usage;
    this.from = from;
    this.all = List.copyOf(all);
    Map<String, Setting<?>> seen = new LinkedHashMap<>();
    for (Setting<?> s : this.all) {
      if (seen.put(s.name(), s) != null) {
        throw new IllegalArgumentException(service + " declares " + s.flag() + " twice");
      }
      if (s.doc().isEmpty() || s.doc().startsWith(", ")) {
        throw new IllegalArgumentException(service + ": " + s.flag() + " has no doc line");
      }
    }
  }

  /**
   * @param service the name errors start with, e.g. {@code collector}
   * @param usage the command line that starts it, e.g. {@code java -jar sysmonstm-collector.jar}
   * @param from builds the record, reading every one of {@code all} through its descriptor
   * @param all every setting, in the order {@code --help} and the README list them
   */
  public static <C> ServiceSettings<C> of(
      String service, String usage, Function<Settings, C> from, Setting<?>... all) {
    return new ServiceSettings<>(service, usage, from, List.of(all));
  }

  public String service() {
    return service;
  }

  /** Every setting, in order. */
  public List<Setting<?>> all() {
    return all;
  }

  /** The setting called {@code name}, if the service has one. */
  public Optional<Setting<?>> find(String name) {
    return all.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /**
   * Builds the configuration from {@code s} and refuses flags the service does not know. Every
   * setting is parsed and checked, and so are the record's checks across settings.
   *
   * @throws ConfigException naming the first setting that is wrong
   */
  public C load(Settings s) {
    C cfg = from.apply(s);
    Set<String> declared = new TreeSet<>();
    all.forEach(d -> declared.add(d.name()));
    if (!declared.equals(new TreeSet<>(s.read()))) {
      throw new IllegalStateException(
          service + " declares the settings " + declared + " but reads " + s.read());
    }
    s.rejectUnknown();
    return cfg;
  }

  /**
   * Checks a command line against this service's settings without starting anything, e.g. the flags
   * a deployment file passes. Only {@code args} count: the environment is left out.
   *
   * @return the configuration those flags give
   * @throws ConfigException naming the first setting that is wrong
   */
  public C check(String... args) {
    return check(args, Map.of());
  }

  /** {@link #check(String...)} with environment variables too. */
  public C check(String[] args, Map<String, String> env) {
    return load(Settings.parse(args, env));
  }

  /** Whether {@code args} ask for help ({@code --help} or {@code -h}) instead of a start. */
  public static boolean helpRequested(String[] args) {
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  /** What {@code --help} prints: usage, then each setting with its variable, default and doc. */
  public String help() {
    StringBuilder b = new StringBuilder();
    b.append("Usage: ").append(usage).append(" [--flag value | --flag=value]...\n");
    b.append("Every flag can also be set as its environment variable; a flag wins over the")
        .append(" environment.\n");
    for (Map.Entry<String, List<Setting<?>>> g : groups().entrySet()) {
      b.append('\n').append(g.getKey().isEmpty() ? "Settings" : g.getKey()).append(":\n");
      for (Setting<?> s : g.getValue()) {
        b.append("  ")
            .append(s.flag())
            .append("  (")
            .append(s.env())
            .append(")  default ")
            .append(plain(s.shownDefault()))
            .append('\n')
            .append("      ")
            .append(plain(s.doc()))
            .append('\n');
      }
    }
    return b.toString();
  }

  /** The settings by group title, main list ({@code ""}) first, each in declaration order. */
  public Map<String, List<Setting<?>>> groups() {
    Map<String, List<Setting<?>>> groups = new LinkedHashMap<>();
    groups.put("", new ArrayList<>());
    for (Setting<?> s : all) {
      groups.computeIfAbsent(s.group().orElse(""), k -> new ArrayList<>()).add(s);
    }
    if (groups.get("").isEmpty()) {
      groups.remove("");
    }
    return groups;
  }

  private static String plain(String markdown) {
    return markdown.replace("`", "");
  }

  @Override
  public String toString() {
    return service + " settings";
  }
}
