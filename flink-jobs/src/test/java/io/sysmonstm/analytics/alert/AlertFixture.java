package io.sysmonstm.analytics.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sysmonstm.analytics.series.SeriesKey;
import io.sysmonstm.config.Durations;
import io.sysmonstm.rules.Rule;
import io.sysmonstm.rules.RuleCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A rule test in the fixture format of {@code src/test/resources/alert-fixtures} (in the spirit of
 * {@code promtool test rules}):
 *
 * <pre>
 * name: what the case shows
 * rules:                       # the rules file the job starts with (JSON rules, as YAML)
 *   - {id: cpu-high, metric: system.cpu.utilization, op: ">", threshold: 0.9, for: 20s}
 * interval: 5s                 # spacing of the values below (default 5s)
 * series:
 *   - host: web-1
 *     metric: system.cpu.utilization
 *     attrs: {cpu: "0"}        # optional, default none
 *     start: 0s                # event time of the first value (default 0s)
 *     arrive: 0s               # how long after its event time a value reaches the job (default 0s)
 *     values: 0.5 0.95x5 _ _ 0.7   # one per interval; "vxN" = N times v; "_" = no sample
 * updates:                     # optional rule changes on the topic, at a processing time
 *   - {at: 40s, rule: {id: cpu-high, ...}}
 *   - {at: 60s, delete: cpu-high}
 * lagging:                     # optional: Kafka says the pipeline lags in these ranges
 *   - {from: 60s, to: 90s}
 * until: 3m                    # the clock runs to here (default: the last arrival + interval)
 * expect:                      # every transition, in the order emitted
 *   - {state: firing, rule: cpu-high, host: web-1, series: system.cpu.utilization, at: 20s, value: 0.95}
 *   - {state: resolved, rule: cpu-high, host: web-1, series: system.cpu.utilization, at: 35s, value: 0.7}
 * </pre>
 *
 * Times are offsets from a fixed epoch instant. {@code at} is the event time of the transition
 * (starts_at when firing, ends_at when resolved); {@code value} is omitted for host-down and
 * pipeline-lag; {@code retro: true} marks transitions raised by back-filled data.
 */
record AlertFixture(
    String name,
    List<Rule> rules,
    Duration interval,
    List<Series> series,
    List<Update> updates,
    List<long[]> lagging,
    Optional<Duration> until,
    List<String> expect) {

  /** The fixed instant all fixture times are offsets from. */
  static final long EPOCH = 1_800_000_000_000L;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  record Series(
      String host,
      String metric,
      Map<String, String> attrs,
      long startMs,
      long arriveMs,
      List<Double> values) {
    String key() {
      return SeriesKey.of(metric, attrs);
    }
  }

  record Update(long atMs, String ruleId, String json) {}

  static AlertFixture read(Path file) throws IOException {
    JsonNode n = YAML.readTree(Files.readString(file));
    String name = text(n, "name", file.getFileName().toString());
    List<Rule> rules = RuleCodec.parseAll(JSON.writeValueAsString(n.path("rules")));
    Duration interval = Durations.parse(text(n, "interval", "5s"));
    List<Series> series = new ArrayList<>();
    for (JsonNode s : n.path("series")) {
      Map<String, String> attrs = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = s.path("attrs").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        attrs.put(e.getKey(), e.getValue().asText());
      }
      series.add(
          new Series(
              s.path("host").asText(),
              s.path("metric").asText(),
              attrs,
              ms(text(s, "start", "0s")),
              ms(text(s, "arrive", "0s")),
              values(s.path("values").asText())));
    }
    List<Update> updates = new ArrayList<>();
    for (JsonNode u : n.path("updates")) {
      long at = ms(u.path("at").asText());
      if (u.has("delete")) {
        updates.add(new Update(at, u.path("delete").asText(), null));
      } else {
        updates.add(
            new Update(
                at, u.path("rule").path("id").asText(), JSON.writeValueAsString(u.path("rule"))));
      }
    }
    List<long[]> lagging = new ArrayList<>();
    for (JsonNode l : n.path("lagging")) {
      lagging.add(new long[] {ms(l.path("from").asText()), ms(l.path("to").asText())});
    }
    Optional<Duration> until =
        n.has("until") ? Optional.of(Durations.parse(n.path("until").asText())) : Optional.empty();
    List<String> expect = new ArrayList<>();
    for (JsonNode e : n.path("expect")) {
      expect.add(
          line(
              e.path("state").asText(),
              e.path("rule").asText(),
              e.path("host").asText(""),
              e.path("series").asText(""),
              ms(e.path("at").asText()),
              e.has("value") ? e.path("value").asDouble() : Double.NaN,
              e.path("retro").asBoolean(false)));
    }
    return new AlertFixture(name, rules, interval, series, updates, lagging, until, expect);
  }

  /** One transition as the fixture's expectations and the runner's results are compared. */
  static String line(
      String state,
      String rule,
      String host,
      String series,
      long atMs,
      double value,
      boolean retro) {
    return state
        + " "
        + rule
        + " host="
        + host
        + " series="
        + series
        + " at="
        + Durations.format(Duration.ofMillis(atMs))
        + (Double.isNaN(value) ? "" : " value=" + value)
        + (retro ? " retro" : "");
  }

  static long ms(String duration) {
    return Durations.parse(duration).toMillis();
  }

  static List<Double> values(String text) {
    List<Double> out = new ArrayList<>();
    for (String tok : text.trim().split("\\s+")) {
      if (tok.isEmpty()) {
        continue;
      }
      int x = tok.lastIndexOf('x');
      String v = x > 0 ? tok.substring(0, x) : tok;
      int times = x > 0 ? Integer.parseInt(tok.substring(x + 1)) : 1;
      for (int i = 0; i < times; i++) {
        out.add(v.equals("_") ? null : Double.valueOf(v));
      }
    }
    return out;
  }

  private static String text(JsonNode n, String field, String def) {
    return n.hasNonNull(field) ? n.path(field).asText() : def;
  }
}
