package io.sysmonstm.rules;

import java.util.Optional;

/**
 * What a rule watches; JSON {@code threshold} (the default), {@code host_down}, {@code sequence}.
 */
public enum RuleKind {
  /** One series crosses a threshold, optionally for a while. */
  THRESHOLD("threshold"),
  /** A host sends no samples for {@code absent_for}. */
  HOST_DOWN("host_down"),
  /** Step 1 breaches, then step 2 ({@code then}) within {@code within}. */
  SEQUENCE("sequence");

  private final String json;

  RuleKind(String json) {
    this.json = json;
  }

  /** The JSON name, e.g. {@code host_down}. */
  public String json() {
    return json;
  }

  /** The kind named {@code json} in JSON, if any. */
  public static Optional<RuleKind> fromJson(String json) {
    for (RuleKind k : values()) {
      if (k.json.equals(json)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
