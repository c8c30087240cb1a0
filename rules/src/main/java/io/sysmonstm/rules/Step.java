package io.sysmonstm.rules;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One condition on one metric: step 2 ({@code then}) of a sequence rule, or step 1 of any rule with
 * a metric ({@link Rule#first()}).
 *
 * @param metric the metric name, e.g. {@code system.paging.utilization}
 * @param match attribute -> value, exact equality; {@code ""} means the series has no such
 *     attribute; empty = every series of the metric. Kept sorted and unmodifiable.
 * @param op the comparison; {@link Op#RISING} compares with the previous sample of the series
 * @param threshold finite; NaN exactly when {@code op} is {@link Op#RISING}
 */
public record Step(String metric, Map<String, String> match, Op op, double threshold)
    implements Serializable {

  static final int MAX_METRIC_LENGTH = 255;
  static final String METRIC_PATTERN = "^[a-z][a-z0-9_.]*$";
  private static final Pattern METRIC = Pattern.compile(METRIC_PATTERN);

  public Step {
    String problem = metricProblem(metric);
    if (problem != null) {
      throw new RuleException("metric", problem);
    }
    match = copyMatch(match);
    if (op == null) {
      throw new RuleException("op", "required, one of >, >=, <, <=, rising");
    }
    if (op == Op.RISING) {
      if (!Double.isNaN(threshold)) {
        throw new RuleException(
            "threshold", "not allowed with op rising (it compares with the previous sample)");
      }
    } else if (!Double.isFinite(threshold)) {
      throw new RuleException("threshold", "required with op " + op.symbol() + ", a finite number");
    }
    threshold += 0.0; // -0.0 -> 0.0, so equal rules compare equal
  }

  /** Whether a sample of {@code metric} with attributes {@code attrs} belongs to this step. */
  public boolean matches(String metric, Map<String, String> attrs) {
    return this.metric.equals(metric) && attrsMatch(match, attrs);
  }

  /** Whether {@code value} satisfies the step; for RISING, {@code previous} is the last value. */
  public boolean test(double value, double previous) {
    return op.test(value, op == Op.RISING ? previous : threshold);
  }

  /** Every entry of {@code match} holds in {@code attrs}; {@code ""} also matches absence. */
  static boolean attrsMatch(Map<String, String> match, Map<String, String> attrs) {
    for (Map.Entry<String, String> e : match.entrySet()) {
      String actual = attrs.get(e.getKey());
      if (!e.getValue().equals(actual == null ? "" : actual)) {
        return false;
      }
    }
    return true;
  }

  /** Why {@code metric} is not a metric name, or null when it is. */
  static String metricProblem(String metric) {
    if (metric == null || metric.isEmpty()) {
      return "required, a metric name like system.cpu.utilization";
    }
    if (metric.length() > MAX_METRIC_LENGTH || !METRIC.matcher(metric).matches()) {
      return "must match "
          + METRIC_PATTERN
          + " (at most "
          + MAX_METRIC_LENGTH
          + " characters), got "
          + FieldPath.quote(metric);
    }
    return null;
  }

  /** An unmodifiable sorted copy of {@code match} (null = empty); checks keys and values. */
  static SortedMap<String, String> copyMatch(Map<String, String> match) {
    if (match == null) {
      return Collections.emptySortedMap();
    }
    return copy("match", match);
  }

  /** An unmodifiable sorted copy of a string map, rejecting null and empty keys, null values. */
  static SortedMap<String, String> copy(String field, Map<String, String> map) {
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> e : map.entrySet()) {
      String key = e.getKey();
      if (key == null || key.isEmpty()) {
        throw new RuleException(field, "names must not be empty");
      }
      if (e.getValue() == null) {
        throw new RuleException(FieldPath.child(field, key), "must be a string, got null");
      }
      copy.put(key, e.getValue());
    }
    return Collections.unmodifiableSortedMap(copy);
  }
}
