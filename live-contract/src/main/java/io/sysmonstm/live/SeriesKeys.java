package io.sysmonstm.live;

/**
 * The series key: the name of a series in a host hash, a recent-values stream entry and a host
 * message's {@code values}. It is the metric alone when the series has no attributes, else the
 * metric followed by its canonical attributes JSON (an object with keys sorted ascending, standard
 * JSON escaping), e.g. {@code system.cpu.utilization{"cpu":"3"}}; it splits at the first {@code
 * '{'} (metric names have none).
 */
public final class SeriesKeys {
  /** Canonical JSON of no attributes. */
  public static final String NO_ATTRS = "{}";

  private SeriesKeys() {}

  /** The series key of {@code metric} with canonical attributes JSON {@code attrs}. */
  public static String of(String metric, String attrs) {
    return NO_ATTRS.equals(attrs) ? metric : metric + attrs;
  }

  /** The metric of a series key (the part before the first {@code '{'}). */
  public static String metric(String seriesKey) {
    int brace = seriesKey.indexOf('{');
    return brace < 0 ? seriesKey : seriesKey.substring(0, brace);
  }

  /** The canonical attributes JSON of a series key ({@value #NO_ATTRS} when it has none). */
  public static String attrs(String seriesKey) {
    int brace = seriesKey.indexOf('{');
    return brace < 0 ? NO_ATTRS : seriesKey.substring(brace);
  }
}
