package io.sysmonstm.analytics.series;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysmonstm.live.SeriesKeys;
import java.util.Map;
import java.util.TreeMap;

/**
 * The series identity format shared by the job and the relay; the key's layout is the live
 * contract's ({@link SeriesKeys}), this class adds the canonical JSON of attributes.
 *
 * <ul>
 *   <li>Canonical attrs JSON: a JSON object with keys sorted ascending, standard Jackson escaping,
 *       {@code {}} when there are no attributes.
 *   <li>Series key: the metric alone when the attributes are empty, else the metric followed by
 *       the canonical attrs JSON, e.g. {@code system.cpu.utilization{"cpu":"3"}}; it splits at
 *       the first {@code '{'}.
 * </ul>
 */
public final class SeriesKey {
  /** Canonical JSON of no attributes. */
  public static final String NO_ATTRS = SeriesKeys.NO_ATTRS;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, String>> ATTRS = new TypeReference<>() {};

  private SeriesKey() {}

  /** The canonical JSON of {@code attributes}. */
  public static String canonicalAttrs(Map<String, String> attributes) {
    if (attributes.isEmpty()) {
      return NO_ATTRS;
    }
    try {
      return JSON.writeValueAsString(new TreeMap<>(attributes));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("attributes cannot be written as JSON", e);
    }
  }

  /** The series key of {@code metric} with canonical attrs JSON {@code attrs}. */
  public static String of(String metric, String attrs) {
    return SeriesKeys.of(metric, attrs);
  }

  /** The series key of {@code metric} with {@code attributes}. */
  public static String of(String metric, Map<String, String> attributes) {
    return of(metric, canonicalAttrs(attributes));
  }

  /** The metric name of a series key (the part before the first {@code '{'}). */
  public static String metric(String seriesKey) {
    return SeriesKeys.metric(seriesKey);
  }

  /** The canonical attrs JSON of a series key ({@code {}} when it has none). */
  public static String attrs(String seriesKey) {
    return SeriesKeys.attrs(seriesKey);
  }

  /** Parses canonical attrs JSON back into a sorted map. */
  public static Map<String, String> parseAttrs(String attrs) {
    try {
      return JSON.readValue(attrs, ATTRS);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("'" + attrs + "' is not a JSON object of strings", e);
    }
  }
}
