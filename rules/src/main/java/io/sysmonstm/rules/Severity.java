package io.sysmonstm.rules;

import java.util.Locale;
import java.util.Optional;

/** How urgent an alert is; JSON {@code info}, {@code warning}, {@code critical}. */
public enum Severity {
  INFO,
  WARNING,
  CRITICAL;

  /** The JSON name, lower case. */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The severity named {@code json} (lower case) in JSON, if any. */
  public static Optional<Severity> fromJson(String json) {
    for (Severity s : values()) {
      if (s.json().equals(json)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
