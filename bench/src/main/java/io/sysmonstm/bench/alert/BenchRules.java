package io.sysmonstm.bench.alert;

import io.sysmonstm.bench.fleet.SimulatedSeries;
import io.sysmonstm.config.Durations;
import io.sysmonstm.rules.Rule;
import io.sysmonstm.rules.RuleCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules file of the alert-latency run: the job's built-in default rules (so the evaluation
 * costs what it costs in production; none of them fires on the simulated values), then two rules on
 * {@code bench.breach}: one instant, one sustained.
 */
public final class BenchRules {
  /** Fires at the first breaching sample. */
  public static final String INSTANT = "bench-breach-instant";

  /** Fires once the series has breached for the configured {@code for}. */
  public static final String SUSTAINED = "bench-breach-sustained";

  /** Breaching above this ({@code bench.breach} is 0.95 breaching, 0.2 calm). */
  public static final double THRESHOLD = 0.9;

  /** Resolved at or below this. */
  public static final double RESOLVE = 0.5;

  private BenchRules() {}

  /** The two bench rules, the sustained one with {@code for} = {@code sustainedFor}. */
  public static List<Rule> benchRules(Duration sustainedFor) {
    return List.of(
        RuleCodec.parse(json(INSTANT, Duration.ZERO)),
        RuleCodec.parse(json(SUSTAINED, sustainedFor)));
  }

  /** The rules file: a JSON array of the default rules and the two bench rules. */
  public static String file(Duration sustainedFor) {
    List<String> rules = new ArrayList<>();
    RuleCodec.defaults().forEach(r -> rules.add(RuleCodec.toJson(r)));
    benchRules(sustainedFor).forEach(r -> rules.add(RuleCodec.toJson(r)));
    String file = "[\n" + String.join(",\n", rules) + "\n]\n";
    RuleCodec.parseAll(file); // what the job will read must parse
    return file;
  }

  private static String json(String id, Duration forDuration) {
    return "{\"id\":\""
        + id
        + "\",\"kind\":\"threshold\",\"metric\":\""
        + SimulatedSeries.BREACH_METRIC
        + "\",\"op\":\">\",\"threshold\":"
        + THRESHOLD
        + ",\"resolve\":"
        + RESOLVE
        + ",\"for\":\""
        + Durations.format(forDuration)
        + "\",\"severity\":\"warning\"}";
  }
}
