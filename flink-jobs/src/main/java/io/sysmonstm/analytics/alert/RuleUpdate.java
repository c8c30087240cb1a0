package io.sysmonstm.analytics.alert;

import java.util.Objects;

/**
 * A record of the compacted topic {@code sysmonstm.rules}: a rule's canonical JSON, or its deletion
 * (a tombstone, {@code json} null). Broadcast to every subtask that evaluates rules.
 *
 * @param ruleId the rule id (the record key)
 * @param json the rule as JSON, null when the rule was deleted
 */
public record RuleUpdate(String ruleId, String json) {
  public RuleUpdate {
    Objects.requireNonNull(ruleId, "ruleId");
  }

  public boolean deleted() {
    return json == null;
  }
}
