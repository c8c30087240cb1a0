package io.sysmonstm.rules;

import io.sysmonstm.config.Durations;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An alert rule (docs/design.md, Alert rules), valid by construction: the compact constructor
 * checks every invariant and throws {@link RuleException} naming the JSON field. Optional
 * components may be passed as null (or NaN for {@code resolve}) and take their defaults; components
 * that do not apply to the kind may be passed as null and take their "none" value:
 *
 * <ul>
 *   <li>{@code HOST_DOWN}: metric {@code ""}, match empty, op null, threshold and resolve NaN,
 *       forDuration and maxGap ZERO;
 *   <li>not {@code HOST_DOWN}: absentFor ZERO;
 *   <li>not {@code SEQUENCE}: then null, within ZERO.
 * </ul>
 *
 * @param id {@code ^[A-Za-z0-9._-]{1,128}$}
 * @param kind what the rule watches
 * @param metric step 1's metric
 * @param match step 1's attribute match, see {@link Step#match()}
 * @param hosts glob over host ids, {@code *} and {@code ?}; default {@code *}
 * @param op step 1's comparison, never {@link Op#RISING}
 * @param threshold finite
 * @param forDuration how long every sample must breach before firing; ZERO = instant (default)
 * @param resolve firing resolves at the first sample past it; default = threshold; never on the
 *     breaching side of the threshold
 * @param maxGap a gap in the data longer than this resets a pending alert; default 1m
 * @param absentFor silence that means the host is down; default 30s, at least 1s
 * @param severity default WARNING
 * @param summary template, see {@link #render}; default {@link #defaultSummary}
 * @param labels extra Alertmanager labels, names {@code ^[a-zA-Z_][a-zA-Z0-9_]*$}
 * @param then step 2 of a sequence; may use {@link Op#RISING}
 * @param within step 2 must follow step 1 within this; more than 0, at most 1h
 */
public record Rule(
    String id,
    RuleKind kind,
    String metric,
    Map<String, String> match,
    String hosts,
    Op op,
    double threshold,
    Duration forDuration,
    double resolve,
    Duration maxGap,
    Duration absentFor,
    Severity severity,
    String summary,
    Map<String, String> labels,
    Step then,
    Duration within)
    implements Serializable {

  public static final String ID_PATTERN = "^[A-Za-z0-9._-]{1,128}$";
  public static final String LABEL_PATTERN = "^[a-zA-Z_][a-zA-Z0-9_]*$";
  public static final String DEFAULT_HOSTS = "*";
  public static final Duration DEFAULT_MAX_GAP = Duration.ofMinutes(1);
  public static final Duration DEFAULT_ABSENT_FOR = Duration.ofSeconds(30);
  public static final Severity DEFAULT_SEVERITY = Severity.WARNING;

  /** Upper bound of {@code for}, {@code max_gap} and {@code absent_for}. */
  public static final Duration MAX_DURATION = Duration.ofDays(7);

  /** Upper bound of {@code within}. */
  public static final Duration MAX_WITHIN = Duration.ofHours(1);

  /** Lower bound of {@code max_gap} and {@code absent_for}. */
  public static final Duration MIN_GAP = Duration.ofSeconds(1);

  private static final Pattern ID = Pattern.compile(ID_PATTERN);
  private static final Pattern LABEL = Pattern.compile(LABEL_PATTERN);

  public Rule {
    if (id == null || !ID.matcher(id).matches()) {
      throw new RuleException(
          "id",
          id == null
              ? "required, 1 to 128 characters of A-Z a-z 0-9 . _ -"
              : "must match " + ID_PATTERN + ", got " + FieldPath.quote(id));
    }
    if (kind == null) {
      throw new RuleException("kind", "required, one of threshold, host_down, sequence");
    }
    boolean hostDown = kind == RuleKind.HOST_DOWN;

    if (hostDown) {
      notAllowed("metric", metric != null && !metric.isEmpty());
      notAllowed("match", match != null && !match.isEmpty());
      metric = "";
      match = Collections.emptySortedMap();
    } else {
      String problem = Step.metricProblem(metric);
      if (problem != null) {
        throw new RuleException(
            "metric", metric == null ? "required for kind " + kind.json() : problem);
      }
      match = Step.copyMatch(match);
    }

    if (hosts == null) {
      hosts = DEFAULT_HOSTS;
    }
    String hostsProblem = Glob.problem(hosts);
    if (hostsProblem != null) {
      throw new RuleException("hosts", hostsProblem);
    }

    if (hostDown) {
      notAllowed("op", op != null);
      notAllowed("threshold", !Double.isNaN(threshold));
      notAllowed("for", forDuration != null && !forDuration.isZero());
      notAllowed("resolve", !Double.isNaN(resolve));
      notAllowed("max_gap", maxGap != null && !maxGap.isZero());
      threshold = Double.NaN;
      resolve = Double.NaN;
      forDuration = Duration.ZERO;
      maxGap = Duration.ZERO;
    } else {
      if (op == null) {
        throw new RuleException("op", "required for kind " + kind.json() + ", one of >, >=, <, <=");
      }
      if (op == Op.RISING) {
        throw new RuleException(
            "op", "\"rising\" is only allowed in then.op; use one of >, >=, <, <=");
      }
      if (!Double.isFinite(threshold)) {
        throw new RuleException(
            "threshold", "required for kind " + kind.json() + ", a finite number");
      }
      threshold += 0.0; // -0.0 -> 0.0, so equal rules compare equal
      forDuration = checked("for", forDuration == null ? Duration.ZERO : forDuration, null);
      if (Double.isNaN(resolve)) {
        resolve = threshold;
      }
      if (!Double.isFinite(resolve)) {
        throw new RuleException("resolve", "must be a finite number");
      }
      resolve += 0.0;
      if (op.upward() ? resolve > threshold : resolve < threshold) {
        throw new RuleException(
            "resolve",
            Template.number(resolve)
                + " is on the breaching side of "
                + op.symbol()
                + " "
                + Template.number(threshold)
                + "; must be "
                + (op.upward() ? "<= " : ">= ")
                + Template.number(threshold));
      }
      maxGap = checked("max_gap", maxGap == null ? DEFAULT_MAX_GAP : maxGap, MIN_GAP);
    }

    if (kind == RuleKind.SEQUENCE) {
      if (then == null) {
        throw new RuleException(
            "then",
            "required for kind sequence, an object {\"metric\", \"match\"?, \"op\", \"threshold\"?}");
      }
      if (within == null || within.isZero()) {
        throw new RuleException(
            "within",
            within == null
                ? "required for kind sequence, a duration more than 0s and at most 1h"
                : "must be more than 0s and at most 1h, got 0s");
      }
      within = checkedRange("within", within, Duration.ofMillis(1), MAX_WITHIN);
    } else {
      notAllowed("then", then != null, "only allowed for kind sequence");
      notAllowed("within", within != null && !within.isZero(), "only allowed for kind sequence");
      within = Duration.ZERO;
    }

    if (hostDown) {
      absentFor =
          checked("absent_for", absentFor == null ? DEFAULT_ABSENT_FOR : absentFor, MIN_GAP);
    } else {
      notAllowed(
          "absent_for",
          absentFor != null && !absentFor.isZero(),
          "only allowed for kind host_down");
      absentFor = Duration.ZERO;
    }

    if (severity == null) {
      severity = DEFAULT_SEVERITY;
    }
    if (summary == null) {
      summary = defaultSummary(kind);
    }
    String summaryProblem = Template.problem(summary);
    if (summaryProblem != null) {
      throw new RuleException("summary", summaryProblem);
    }
    if (labels == null) {
      labels = Collections.emptySortedMap();
    } else {
      labels = Step.copy("labels", labels);
      for (String name : labels.keySet()) {
        if (!LABEL.matcher(name).matches()) {
          throw new RuleException(
              FieldPath.child("labels", name), "label names must match " + LABEL_PATTERN);
        }
      }
    }
  }

  /**
   * The summary of a rule that has none: {@code {{rule}}: no samples from {{host}}} for host_down,
   * else {@code {{rule}} on {{host}}: {{series}} = {{value}} (threshold {{threshold}})}.
   */
  public static String defaultSummary(RuleKind kind) {
    return kind == RuleKind.HOST_DOWN
        ? "{{rule}}: no samples from {{host}}"
        : "{{rule}} on {{host}}: {{series}} = {{value}} (threshold {{threshold}})";
  }

  /** Whether the rule watches host {@code hostId} ({@link #hosts()} glob, whole id). */
  public boolean appliesTo(String hostId) {
    return Glob.matches(hosts, hostId);
  }

  /**
   * Whether a sample of {@code metric} with attributes {@code attrs} belongs to the rule (step 1
   * for a sequence). Always false for HOST_DOWN, which watches hosts, not series.
   */
  public boolean matches(String metric, Map<String, String> attrs) {
    return kind != RuleKind.HOST_DOWN
        && this.metric.equals(metric)
        && Step.attrsMatch(match, attrs);
  }

  /** Step 1 as a {@link Step}; null for HOST_DOWN. */
  public Step first() {
    return kind == RuleKind.HOST_DOWN ? null : new Step(metric, match, op, threshold);
  }

  /** {@code op.test(v, threshold)}: the sample breaches. Always false for HOST_DOWN. */
  public boolean breaching(double v) {
    return op != null && op.test(v, threshold);
  }

  /**
   * {@code !op.test(v, resolve)}: the sample is past the resolve threshold, so a firing alert
   * resolves. Always true for HOST_DOWN (any sample resolves it).
   */
  public boolean cleared(double v) {
    return op == null || !op.test(v, resolve);
  }

  /**
   * The summary with its variables filled: {@code {{rule}}} id, {@code {{host}}} hostId, {@code
   * {{series}}} series, {@code {{metric}}} metric, {@code {{value}}} value and {@code
   * {{threshold}}} threshold as compact numbers (0.95, n/a for NaN), {@code {{severity}}} lower
   * case.
   */
  public String render(String hostId, String series, double value) {
    return Template.render(
        summary,
        name ->
            switch (name) {
              case "rule" -> id;
              case "host" -> hostId;
              case "series" -> series;
              case "metric" -> metric;
              case "value" -> Template.number(value);
              case "threshold" -> Template.number(threshold);
              case "severity" -> severity.json();
              default -> throw new IllegalStateException("unchecked variable " + name);
            });
  }

  private static void notAllowed(String field, boolean present) {
    notAllowed(field, present, "not allowed for kind host_down");
  }

  private static void notAllowed(String field, boolean present, String problem) {
    if (present) {
      throw new RuleException(field, problem);
    }
  }

  private static Duration checked(String field, Duration d, Duration min) {
    return checkedRange(field, d, min == null ? Duration.ZERO : min, MAX_DURATION);
  }

  private static Duration checkedRange(String field, Duration d, Duration min, Duration max) {
    if (d.isNegative()) {
      throw new RuleException(field, "must not be negative");
    }
    if (d.getNano() % 1_000_000 != 0) {
      throw new RuleException(field, "must be whole milliseconds");
    }
    if (d.compareTo(min) < 0) {
      throw new RuleException(
          field, "must be at least " + Durations.format(min) + ", got " + Durations.format(d));
    }
    if (d.compareTo(max) > 0) {
      throw new RuleException(
          field, "must be at most " + Durations.format(max) + ", got " + format(d));
    }
    return d;
  }

  /** {@link Durations#format}, also for durations too long to count in milliseconds. */
  private static String format(Duration d) {
    try {
      return Durations.format(d);
    } catch (ArithmeticException e) {
      return d.toDays() + "d";
    }
  }
}
