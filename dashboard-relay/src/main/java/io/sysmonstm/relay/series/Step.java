package io.sysmonstm.relay.series;

import io.sysmonstm.relay.http.BadParameter;
import java.time.Duration;

/** A resolution of stored history: raw samples, or the 1-minute or 1-hour rollups. */
public enum Step {
  RAW("raw", "samples", Duration.ZERO),
  MINUTE("1m", "rollup_1m", Duration.ofMinutes(1)),
  HOUR("1h", "rollup_1h", Duration.ofHours(1));

  /** {@code auto} uses raw samples up to this range. */
  public static final Duration RAW_UP_TO = Duration.ofMinutes(15);

  /** {@code auto} uses 1-minute rollups up to this range, 1-hour rollups beyond. */
  public static final Duration MINUTE_UP_TO = Duration.ofHours(48);

  private final String label;
  private final String table;
  private final Duration bucket;

  Step(String label, String table, Duration bucket) {
    this.label = label;
    this.table = table;
    this.bucket = bucket;
  }

  public String label() {
    return label;
  }

  /** The table this step reads. */
  public String table() {
    return table;
  }

  /** The width of one bucket; zero for raw samples. */
  public Duration bucket() {
    return bucket;
  }

  /** The step {@code auto} picks for a range. */
  public static Step auto(Duration range) {
    if (range.compareTo(RAW_UP_TO) <= 0) {
      return RAW;
    }
    return range.compareTo(MINUTE_UP_TO) <= 0 ? MINUTE : HOUR;
  }

  /** Parses {@code auto|raw|1m|1h}; {@code auto} resolves against {@code range}. */
  public static Step parse(String text, Duration range) {
    return switch (text) {
      case "auto" -> auto(range);
      case "raw" -> RAW;
      case "1m" -> MINUTE;
      case "1h" -> HOUR;
      default ->
          throw BadParameter.invalid("step", "'" + text + "' is not one of auto, raw, 1m, 1h");
    };
  }
}
