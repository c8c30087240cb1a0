package io.sysmonstm.relay.http;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Parsing of query parameters shared by the API handlers; failures name the parameter. */
public final class Params {
  private Params() {}

  /** Absent or blank. */
  public static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /**
   * ISO-8601 with an offset ({@code 2025-01-01T00:00:00Z}, {@code …+02:00}) or epoch milliseconds.
   *
   * @throws BadParameter naming {@code name}
   */
  public static Instant time(String name, String text) {
    String s = text.trim();
    if (s.matches("-?\\d{1,19}")) {
      try {
        return Instant.ofEpochMilli(Long.parseLong(s));
      } catch (NumberFormatException | DateTimeException e) {
        // fall through to the error below
      }
    } else {
      // a '+' in an unencoded query string arrives as a space
      String iso = s.replace(' ', '+');
      try {
        return OffsetDateTime.parse(iso).toInstant();
      } catch (DateTimeException e) {
        // fall through to the error below
      }
    }
    throw BadParameter.invalid(
        name,
        "'" + text + "' is not an ISO-8601 time (2025-01-01T00:00:00Z) or epoch milliseconds");
  }

  /**
   * A whole number from {@code min} to {@code max}; {@code def} when absent.
   *
   * @throws BadParameter naming {@code name}
   */
  public static int integer(String name, String text, int def, int min, int max) {
    if (blank(text)) {
      return def;
    }
    String s = text.trim();
    try {
      int n = Integer.parseInt(s);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw BadParameter.invalid(
        name, "'" + text + "' is not a whole number from " + min + " to " + max);
  }
}
