package io.sysmonstm.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service's settings as the README's Markdown table ({@code flag | variable | default |
 * meaning}), and the check that the README's table says the same as the descriptors.
 *
 * <p>After changing a setting, print the new table and paste it over the old one:
 *
 * <pre>{@code
 * java -cp collector/target/sysmonstm-collector-<version>-all.jar \
 *     io.sysmonstm.config.ConfigurationTable io.sysmonstm.collector.CollectorConfig
 * }</pre>
 */
public final class ConfigurationTable {
  /** The header every configuration table has. */
  public static final String HEADER = "| flag | variable | default | meaning |";

  private static final String RULE = "|---|---|---|---|";

  private ConfigurationTable() {}

  /**
   * Prints the table of the class named by {@code args[0]}, which declares {@code public static
   * final ServiceSettings<?> SETTINGS}.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ConfigurationTable <class with a static SETTINGS field>");
      System.exit(2);
    }
    Field f = Class.forName(args[0]).getField("SETTINGS");
    System.out.print(markdown((ServiceSettings<?>) f.get(null)));
  }

  /** One table per group; a group's title stands on the line above its table. */
  public static String markdown(ServiceSettings<?> settings) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, List<Setting<?>>> g : settings.groups().entrySet()) {
      if (b.length() > 0) {
        b.append('\n');
      }
      if (!g.getKey().isEmpty()) {
        b.append(g.getKey()).append(":\n\n");
      }
      b.append(HEADER).append('\n').append(RULE).append('\n');
      g.getValue().forEach(s -> b.append(row(s)).append('\n'));
    }
    return b.toString();
  }

  /** The row of one setting. */
  public static String row(Setting<?> s) {
    return "| `"
        + s.flag()
        + "` | `"
        + s.env()
        + "` | "
        + s.shownDefault()
        + " | "
        + s.doc()
        + " |";
  }

  /**
   * Where the README's table(s) under {@code heading} disagree with {@code settings}: one line per
   * row that is missing, extra, or differs in variable, default or meaning; empty when they agree.
   * The section runs from the heading line (matched by its start, without the {@code #}s) to the
   * next heading of the same or a higher level; every table in it counts, in order.
   */
  public static List<String> differences(
      String markdown, String heading, ServiceSettings<?> settings) {
    List<String> problems = new ArrayList<>();
    long headings =
        markdown.lines().filter(l -> level(l) > 0 && headingText(l).startsWith(heading)).count();
    if (headings != 1) {
      return List.of(
          headings == 0
              ? "no heading '" + heading + "'"
              : headings + " headings start with '" + heading + "'; name one of them");
    }
    List<String> section = section(markdown, heading);
    Map<String, String[]> rows = new LinkedHashMap<>();
    String previous = "";
    for (String line : section) {
      if (!line.startsWith("|")) {
        previous = line;
        continue;
      }
      if (!previous.startsWith("|")) {
        if (!line.equals(HEADER)) {
          problems.add("table header is '" + line + "', expected '" + HEADER + "'");
        }
      } else if (!line.startsWith("|---")) {
        String[] cells = cells(line);
        if (cells.length != 4) {
          problems.add("row '" + line + "' has " + cells.length + " cells, expected 4");
        } else if (rows.put(cells[0], cells) != null) {
          problems.add("row " + cells[0] + " appears twice");
        }
      }
      previous = line;
    }
    List<String> expectedOrder = new ArrayList<>();
    for (List<Setting<?>> group : settings.groups().values()) {
      for (Setting<?> s : group) {
        String key = "`" + s.flag() + "`";
        expectedOrder.add(key);
        String[] row = rows.get(key);
        if (row == null) {
          problems.add("missing row " + key + " (" + row(s) + ")");
          continue;
        }
        compare(problems, key, "variable", row[1], "`" + s.env() + "`");
        compare(problems, key, "default", row[2], s.shownDefault());
        compare(problems, key, "meaning", row[3], s.doc());
      }
    }
    for (String key : rows.keySet()) {
      if (!expectedOrder.contains(key)) {
        problems.add("extra row " + key + ": " + settings.service() + " has no such setting");
      }
    }
    if (problems.isEmpty() && !new ArrayList<>(rows.keySet()).equals(expectedOrder)) {
      problems.add(
          "rows are in the order " + rows.keySet() + ", the descriptors' is " + expectedOrder);
    }
    return problems;
  }

  /** {@link #differences} against a file; the message ends with the table to paste. */
  public static List<String> differences(Path file, String heading, ServiceSettings<?> settings) {
    try {
      return differences(Files.readString(file, StandardCharsets.UTF_8), heading, settings);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What a test reports when the README's table disagrees with {@code settings}: each problem on a
   * line, then the table to paste; empty when they agree.
   *
   * @param readme the README's path in the repository, e.g. {@code README.md}
   */
  public static Optional<String> disagreement(
      String readme, String heading, ServiceSettings<?> settings) {
    List<String> problems = differences(repositoryFile(readme), heading, settings);
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        readme
            + " '"
            + heading
            + "' disagrees with the settings of "
            + settings.service()
            + ":\n  "
            + String.join("\n  ", problems)
            + "\nThe table(s) to paste:\n"
            + markdown(settings));
  }

  /**
   * A file of the repository, found from the working directory (a module's folder while its tests
   * run) by walking up to the folder with {@code mvnw}.
   */
  public static Path repositoryFile(String relative) {
    String root = System.getProperty("maven.multiModuleProjectDirectory");
    if (root != null && Files.isRegularFile(Path.of(root, relative))) {
      return Path.of(root, relative);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new IllegalStateException(
        "no " + relative + " above " + Path.of("").toAbsolutePath() + " next to mvnw");
  }

  private static void compare(
      List<String> problems, String key, String column, String readme, String descriptor) {
    if (!readme.equals(descriptor)) {
      problems.add(
          "row "
              + key
              + ": "
              + column
              + " is '"
              + readme
              + "', the descriptor says '"
              + descriptor
              + "'");
    }
  }

  private static String[] cells(String line) {
    String inner = line.strip();
    inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
    String[] cells = inner.split("\\|", -1);
    for (int i = 0; i < cells.length; i++) {
      cells[i] = cells[i].strip();
    }
    return cells;
  }

  private static List<String> section(String markdown, String heading) {
    List<String> lines = markdown.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int level = level(line);
      if (level > 0 && headingText(line).startsWith(heading)) {
        List<String> out = new ArrayList<>();
        for (int j = i + 1; j < lines.size(); j++) {
          int l = level(lines.get(j));
          if (l > 0 && l <= level) {
            break;
          }
          out.add(lines.get(j));
        }
        return out;
      }
    }
    throw new IllegalStateException("no heading " + heading);
  }

  private static String headingText(String line) {
    return line.substring(level(line)).strip();
  }

  private static int level(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == '#') {
      n++;
    }
    return n > 0 && n < line.length() && line.charAt(n) == ' ' ? n : 0;
  }
}
