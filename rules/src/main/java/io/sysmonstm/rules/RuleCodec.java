package io.sysmonstm.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sysmonstm.config.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rules to and from JSON (docs/design.md, Alert rules). Parsing is strict: unknown keys, keys that
 * do not belong to the rule's kind, wrong types, null, non-finite numbers, bad durations, globs and
 * templates are each refused with a {@link RuleException} naming the JSON path. {@link #toJson}
 * writes the canonical form: every field with defaults filled, keys in a fixed order.
 */
public final class RuleCodec {
  /** The classpath resource {@link #defaults()} reads. */
  public static final String DEFAULTS_RESOURCE = "sysmonstm/default-rules.json";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          // NaN and Infinity parse, so that they are refused naming the field
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** The keys of a rule on a series' values, first in the key order of every such rule. */
  private static final List<String> SERIES_KEYS =
      List.of(
          "id", "kind", "metric", "match", "hosts", "op", "threshold", "for", "resolve", "max_gap");

  /** The keys every kind of rule ends with. */
  private static final List<String> NOTIFY_KEYS = List.of("severity", "summary", "labels");

  private static final List<String> SEQUENCE_ONLY = List.of("then", "within");
  private static final List<String> THRESHOLD_KEYS = keys(SERIES_KEYS, NOTIFY_KEYS);
  private static final List<String> SEQUENCE_KEYS = keys(SERIES_KEYS, SEQUENCE_ONLY, NOTIFY_KEYS);
  private static final List<String> HOST_DOWN_KEYS =
      keys(List.of("id", "kind", "hosts", "absent_for"), NOTIFY_KEYS);
  private static final List<String> STEP_KEYS = List.of("metric", "match", "op", "threshold");

  private static final String DURATION_FORM = "a duration like 500ms, 30s, 5m, 1h30m";
  private static final int MESSAGE_LIMIT = 160;

  private RuleCodec() {}

  @SafeVarargs
  private static List<String> keys(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> part : parts) {
      all.addAll(part);
    }
    return List.copyOf(all);
  }

  /** One rule from a JSON object. */
  public static Rule parse(String json) {
    return parse(json, null);
  }

  /**
   * One rule from a JSON object sent to {@code PUT /api/rules/{pathId}}: the id is taken from the
   * path when the body has none; a different id in the body is refused (field {@code id}).
   *
   * @param pathId the id in the request path, or null
   */
  public static Rule parse(String json, String pathId) {
    return rule(read(json, "a JSON object"), "", pathId);
  }

  /**
   * A rules file: a JSON array of rule objects. Errors name {@code rules[i].field}; a repeated id
   * is refused at its second occurrence.
   */
  public static List<Rule> parseAll(String jsonArray) {
    JsonNode root = read(jsonArray, "a JSON array of rules");
    if (!root.isArray()) {
      throw new RuleException("body", "must be a JSON array of rules, got " + type(root));
    }
    List<Rule> rules = new ArrayList<>(root.size());
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < root.size(); i++) {
      String at = FieldPath.element("rules", i);
      Rule r = rule(root.get(i), at, null);
      Integer first = seen.putIfAbsent(r.id(), i);
      if (first != null) {
        throw new RuleException(
            FieldPath.join(at, "id"),
            "duplicate id "
                + FieldPath.quote(r.id())
                + ", also "
                + FieldPath.element("rules", first)
                + "; ids must be unique");
      }
      rules.add(r);
    }
    return List.copyOf(rules);
  }

  /**
   * The canonical JSON of {@code r}: keys in the order id, kind, metric, match, hosts, op,
   * threshold, for, resolve, max_gap, then, within, absent_for, severity, summary, labels; only the
   * keys of its kind; maps sorted; durations as {@link Durations#format}. {@code
   * parse(toJson(r)).equals(r)}.
   */
  public static String toJson(Rule r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", r.id());
    n.put("kind", r.kind().json());
    if (r.kind() != RuleKind.HOST_DOWN) {
      n.put("metric", r.metric());
      n.set("match", map(r.match()));
    }
    n.put("hosts", r.hosts());
    if (r.kind() != RuleKind.HOST_DOWN) {
      n.put("op", r.op().symbol());
      n.put("threshold", r.threshold());
      n.put("for", Durations.format(r.forDuration()));
      n.put("resolve", r.resolve());
      n.put("max_gap", Durations.format(r.maxGap()));
    }
    if (r.kind() == RuleKind.SEQUENCE) {
      Step then = r.then();
      ObjectNode t = n.putObject("then");
      t.put("metric", then.metric());
      t.set("match", map(then.match()));
      t.put("op", then.op().symbol());
      if (then.op() != Op.RISING) {
        t.put("threshold", then.threshold());
      }
      n.put("within", Durations.format(r.within()));
    }
    if (r.kind() == RuleKind.HOST_DOWN) {
      n.put("absent_for", Durations.format(r.absentFor()));
    }
    n.put("severity", r.severity().json());
    n.put("summary", r.summary());
    n.set("labels", map(r.labels()));
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write rule " + r.id(), e);
    }
  }

  /** The default rules shipped in {@value #DEFAULTS_RESOURCE}. */
  public static List<Rule> defaults() {
    return Defaults.RULES;
  }

  private static final class Defaults {
    static final List<Rule> RULES = load();

    private static List<Rule> load() {
      try (InputStream in =
          RuleCodec.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(
              "classpath resource " + DEFAULTS_RESOURCE + " is missing");
        }
        return parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + DEFAULTS_RESOURCE, e);
      }
    }
  }

  private static JsonNode read(String json, String expected) {
    if (json == null || json.isBlank()) {
      throw new RuleException("body", "empty; expected " + expected);
    }
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new RuleException("body", "not valid JSON: " + describe(e));
    }
  }

  /** Jackson's message without the source excerpt, with line and column. */
  private static String describe(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    m = m == null ? "unreadable" : m.lines().findFirst().orElse("unreadable").trim();
    if (m.startsWith("Trailing token")) {
      m = "more content after the first JSON value";
    }
    int cut = m.indexOf(" (for Object starting at");
    if (cut < 0) {
      cut = m.indexOf(" (start marker at");
    }
    if (cut > 0) {
      m = m.substring(0, cut);
    }
    if (m.length() > MESSAGE_LIMIT) {
      m = m.substring(0, MESSAGE_LIMIT) + "...";
    }
    JsonLocation at = e.getLocation();
    if (at != null && at.getLineNr() > 0) {
      m += " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
    return m;
  }

  private static Rule rule(JsonNode node, String at, String pathId) {
    if (!node.isObject()) {
      throw new RuleException(
          at.isEmpty() ? "body" : at, "must be a JSON object, got " + type(node));
    }
    RuleKind kind = RuleKind.THRESHOLD;
    JsonNode kindNode = node.get("kind");
    if (kindNode != null) {
      String k =
          string(kindNode, FieldPath.child(at, "kind"), "one of threshold, host_down, sequence");
      kind =
          RuleKind.fromJson(k)
              .orElseThrow(
                  () ->
                      new RuleException(
                          FieldPath.child(at, "kind"),
                          "must be one of threshold, host_down, sequence, got "
                              + FieldPath.quote(k)));
    }
    checkKeys(node, at, kind);

    String id = optionalString(node, "id", at, "matching " + Rule.ID_PATTERN);
    if (pathId != null) {
      if (id == null) {
        id = pathId;
      } else if (!id.equals(pathId)) {
        throw new RuleException(
            FieldPath.child(at, "id"),
            FieldPath.quote(id)
                + " differs from the id in the path "
                + FieldPath.quote(pathId)
                + "; omit it or make them equal");
      }
    }
    String metric = optionalString(node, "metric", at, "a metric name");
    Map<String, String> match = stringMap(node, "match", at, "(\"\" = attribute absent)");
    String hosts = optionalString(node, "hosts", at, "a glob like web-*");
    Op op = op(node, at, false);
    double threshold = number(node, "threshold", at);
    Duration forDuration = duration(node, "for", at);
    double resolve = number(node, "resolve", at);
    Duration maxGap = duration(node, "max_gap", at);
    Step then = node.has("then") ? step(node.get("then"), FieldPath.child(at, "then")) : null;
    Duration within = duration(node, "within", at);
    Duration absentFor = duration(node, "absent_for", at);
    Severity severity = null;
    String s = optionalString(node, "severity", at, "one of info, warning, critical");
    if (s != null) {
      severity =
          Severity.fromJson(s)
              .orElseThrow(
                  () ->
                      new RuleException(
                          FieldPath.child(at, "severity"),
                          "must be one of info, warning, critical, got " + FieldPath.quote(s)));
    }
    String summary = optionalString(node, "summary", at, "a template");
    Map<String, String> labels = stringMap(node, "labels", at, "");
    try {
      return new Rule(
          id,
          kind,
          metric,
          match,
          hosts,
          op,
          threshold,
          forDuration,
          resolve,
          maxGap,
          absentFor,
          severity,
          summary,
          labels,
          then,
          within);
    } catch (RuleException e) {
      throw e.under(at);
    }
  }

  private static Step step(JsonNode node, String at) {
    if (!node.isObject()) {
      throw new RuleException(
          at,
          "must be an object {\"metric\", \"match\", \"op\", \"threshold\"}, got " + type(node));
    }
    for (Map.Entry<String, JsonNode> property : node.properties()) {
      String key = property.getKey();
      if (!STEP_KEYS.contains(key)) {
        throw new RuleException(
            FieldPath.child(at, key), "unknown key; allowed: " + String.join(", ", STEP_KEYS));
      }
    }
    String metric = optionalString(node, "metric", at, "a metric name");
    Map<String, String> match = stringMap(node, "match", at, "(\"\" = attribute absent)");
    Op op = op(node, at, true);
    double threshold = number(node, "threshold", at);
    try {
      return new Step(metric, match, op, threshold);
    } catch (RuleException e) {
      throw e.under(at);
    }
  }

  private static void checkKeys(JsonNode node, String at, RuleKind kind) {
    List<String> allowed =
        switch (kind) {
          case THRESHOLD -> THRESHOLD_KEYS;
          case SEQUENCE -> SEQUENCE_KEYS;
          case HOST_DOWN -> HOST_DOWN_KEYS;
        };
    for (Map.Entry<String, JsonNode> property : node.properties()) {
      String key = property.getKey();
      if (allowed.contains(key)) {
        continue;
      }
      String problem;
      if (SEQUENCE_ONLY.contains(key)) {
        problem = "only allowed for kind sequence";
      } else if (key.equals("absent_for")) {
        problem = "only allowed for kind host_down";
      } else if (SEQUENCE_KEYS.contains(key)) {
        problem = "not allowed for kind " + kind.json();
      } else {
        problem =
            "unknown key; allowed for kind " + kind.json() + ": " + String.join(", ", allowed);
      }
      throw new RuleException(FieldPath.child(at, key), problem);
    }
  }

  private static Op op(JsonNode node, String at, boolean rising) {
    JsonNode v = node.get("op");
    if (v == null) {
      return null;
    }
    String allowed = rising ? ">, >=, <, <=, rising" : ">, >=, <, <=";
    String path = FieldPath.child(at, "op");
    String symbol = string(v, path, "one of " + allowed);
    return Op.fromSymbol(symbol)
        .orElseThrow(
            () ->
                new RuleException(
                    path, "must be one of " + allowed + ", got " + FieldPath.quote(symbol)));
  }

  /** The string at {@code key}, or null when absent; null and other types are refused. */
  private static String optionalString(JsonNode node, String key, String at, String what) {
    JsonNode v = node.get(key);
    return v == null ? null : string(v, FieldPath.child(at, key), what);
  }

  private static String string(JsonNode v, String path, String what) {
    if (!v.isTextual()) {
      throw new RuleException(path, "must be a string, " + what + ", got " + type(v));
    }
    return v.textValue();
  }

  /** The finite number at {@code key}, or NaN when absent. */
  private static double number(JsonNode node, String key, String at) {
    JsonNode v = node.get(key);
    if (v == null) {
      return Double.NaN;
    }
    String path = FieldPath.child(at, key);
    if (!v.isNumber()) {
      throw new RuleException(path, "must be a number, got " + type(v));
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d)) {
      throw new RuleException(path, "must be a finite number, got " + v.asText());
    }
    return d;
  }

  /** The duration at {@code key}, or null when absent. */
  private static Duration duration(JsonNode node, String key, String at) {
    JsonNode v = node.get(key);
    if (v == null) {
      return null;
    }
    String path = FieldPath.child(at, key);
    String text = string(v, path, DURATION_FORM);
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new RuleException(path, "must be " + DURATION_FORM + ", got " + FieldPath.quote(text));
    }
  }

  /** The object of strings at {@code key}, or null when absent. */
  private static Map<String, String> stringMap(JsonNode node, String key, String at, String hint) {
    JsonNode v = node.get(key);
    if (v == null) {
      return null;
    }
    String path = FieldPath.child(at, key);
    if (!v.isObject()) {
      throw new RuleException(path, "must be an object of name to string value, got " + type(v));
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      if (!e.getValue().isTextual()) {
        throw new RuleException(
            FieldPath.child(path, e.getKey()),
            "must be a string"
                + (hint.isEmpty() ? "" : " " + hint)
                + ", got "
                + type(e.getValue()));
      }
      map.put(e.getKey(), e.getValue().textValue());
    }
    return map;
  }

  private static ObjectNode map(Map<String, String> m) {
    ObjectNode n = JSON.createObjectNode();
    m.forEach(n::put); // the rule's maps are sorted
    return n;
  }

  private static String type(JsonNode v) {
    return v.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
