package io.sysmonstm.rules;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.function.Function;

/**
 * Summary templates: text with {@code {{variable}}} placeholders, variables from {@link #VARIABLES}
 * only. A lone {@code }}} is text; a {@code {{} without {@code }}} is an error.
 */
final class Template {
  static final int MAX_LENGTH = 1024;
  static final List<String> VARIABLES =
      List.of("rule", "host", "series", "metric", "value", "threshold", "severity");

  private static final MathContext FOUR_DIGITS = new MathContext(4, RoundingMode.HALF_UP);
  private static final BigDecimal SCIENTIFIC_ABOVE = new BigDecimal("1e15");
  private static final BigDecimal SCIENTIFIC_BELOW = new BigDecimal("1e-6");

  private Template() {}

  /** Why {@code template} is not a valid summary, or null when it is. */
  static String problem(String template) {
    if (template.isBlank()) {
      return "must not be empty";
    }
    if (template.length() > MAX_LENGTH) {
      return "must be at most " + MAX_LENGTH + " characters, got " + template.length();
    }
    int i = 0;
    while ((i = template.indexOf("{{", i)) >= 0) {
      int end = template.indexOf("}}", i + 2);
      if (end < 0) {
        return "\"{{\" at offset " + i + " is not closed by \"}}\"";
      }
      String name = template.substring(i + 2, end);
      if (!VARIABLES.contains(name)) {
        return "unknown variable "
            + FieldPath.quote("{{" + name + "}}")
            + "; allowed: {{"
            + String.join("}} {{", VARIABLES)
            + "}}";
      }
      i = end + 2;
    }
    return null;
  }

  /** {@code template} (valid) with each variable replaced by {@code values.apply(name)}. */
  static String render(String template, Function<String, String> values) {
    StringBuilder b = new StringBuilder(template.length() + 32);
    int from = 0;
    int i;
    while ((i = template.indexOf("{{", from)) >= 0) {
      int end = template.indexOf("}}", i + 2);
      b.append(template, from, i).append(values.apply(template.substring(i + 2, end)));
      from = end + 2;
    }
    return b.append(template, from, template.length()).toString();
  }

  /**
   * A value for people: at most 4 decimal places, and 4 significant digits below 1; trailing zeros
   * dropped ({@code 0.95}, {@code 12.3457}, {@code 0.0001235}, {@code 16777216000}); scientific
   * from 1e15 and below 1e-6 ({@code 1.5E-7}); {@code n/a} for NaN, {@code +Inf}/{@code -Inf}.
   */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    BigDecimal d = BigDecimal.valueOf(v);
    d =
        d.abs().compareTo(BigDecimal.ONE) >= 0
            ? d.setScale(4, RoundingMode.HALF_UP)
            : d.round(FOUR_DIGITS);
    d = d.stripTrailingZeros();
    BigDecimal abs = d.abs();
    if (abs.signum() != 0
        && (abs.compareTo(SCIENTIFIC_ABOVE) >= 0 || abs.compareTo(SCIENTIFIC_BELOW) < 0)) {
      return d.round(FOUR_DIGITS).stripTrailingZeros().toString();
    }
    return d.toPlainString();
  }
}
