package io.sysmonstm.relay.series;

import io.sysmonstm.relay.http.BadParameter;
import io.sysmonstm.relay.http.Params;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A request for one series' history: {@code GET /api/hosts/{id}/series?metric=…&attrs=…
 * &from=…&to=…&step=…}, checked.
 *
 * @param attrs the series' attributes, compared by content with the stored {@code attrs}
 * @param from inclusive start
 * @param to exclusive end, after {@code from}
 * @param step the resolved step ({@code auto} already picked)
 */
public record SeriesQuery(
    String hostId,
    String metric,
    SortedMap<String, String> attrs,
    Instant from,
    Instant to,
    Step step) {

  /** Default range when {@code from} is not given. */
  public static final Duration DEFAULT_RANGE = Duration.ofHours(1);

  public SeriesQuery {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(step, "step");
    attrs = Collections.unmodifiableSortedMap(new TreeMap<>(attrs));
    if (!from.isBefore(to)) {
      throw BadParameter.invalid("from", "'from' (" + from + ") must be before 'to' (" + to + ")");
    }
  }

  /** The attributes as a JSON object with sorted keys (the canonical form). */
  public String attrsJson() {
    JsonObject o = new JsonObject();
    attrs.forEach(o::put);
    return o.encode();
  }

  /**
   * Parses the query parameters.
   *
   * @param param the first value of a query parameter, or {@code null}
   * @param now the time {@code to} defaults to
   * @throws BadParameter naming the parameter
   */
  public static SeriesQuery parse(String hostId, Function<String, String> param, Instant now) {
    if (hostId == null || hostId.isBlank()) {
      throw BadParameter.missing("id");
    }
    String metric = param.apply("metric");
    if (metric == null || metric.isBlank()) {
      throw BadParameter.missing("metric");
    }
    SortedMap<String, String> attrs = parseAttrs(param.apply("attrs"));
    Instant to = Params.blank(param.apply("to")) ? now : Params.time("to", param.apply("to"));
    Instant from =
        Params.blank(param.apply("from"))
            ? to.minus(DEFAULT_RANGE)
            : Params.time("from", param.apply("from"));
    if (!from.isBefore(to)) {
      throw BadParameter.invalid("from", "'from' (" + from + ") must be before 'to' (" + to + ")");
    }
    String stepText = Params.blank(param.apply("step")) ? "auto" : param.apply("step").trim();
    Step step = Step.parse(stepText, Duration.between(from, to));
    return new SeriesQuery(hostId, metric.trim(), attrs, from, to, step);
  }

  /** A JSON object of strings ({@code {"cpu":"0"}}) or {@code k=v,k=v} pairs; empty = {}. */
  static SortedMap<String, String> parseAttrs(String text) {
    SortedMap<String, String> attrs = new TreeMap<>();
    if (Params.blank(text)) {
      return attrs;
    }
    String s = text.trim();
    if (s.startsWith("{")) {
      JsonObject o;
      try {
        o = new JsonObject(s);
      } catch (DecodeException e) {
        throw BadParameter.invalid(
            "attrs", "not a JSON object like {\"cpu\":\"0\"} nor k=v,k=v pairs");
      }
      for (Map.Entry<String, Object> e : o) {
        Object v = e.getValue();
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
          attrs.put(e.getKey(), String.valueOf(v));
        } else {
          throw BadParameter.invalid("attrs", "the value of '" + e.getKey() + "' must be a string");
        }
      }
      return attrs;
    }
    for (String pair : s.split(",")) {
      int eq = pair.indexOf('=');
      String key = eq > 0 ? pair.substring(0, eq).trim() : "";
      if (key.isEmpty()) {
        throw BadParameter.invalid(
            "attrs", "'" + pair + "' is not key=value; give k=v,k=v pairs or a JSON object");
      }
      if (attrs.put(key, pair.substring(eq + 1).trim()) != null) {
        throw BadParameter.invalid("attrs", "'" + key + "' is given twice");
      }
    }
    return attrs;
  }
}
