package io.sysmonstm.analytics.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sysmonstm.live.AlertFields;
import io.sysmonstm.live.Messages;
import java.util.Objects;

/**
 * One transition of an alert, to firing or to resolved: the record every alert sink receives and
 * the JSON of topic {@code sysmonstm.alerts}, Redis channel {@code sysmonstm:alerts} and the
 * relay's {@code /api/alerts} and {@code /ws}; field names and types as {@link AlertFields} states
 * them.
 *
 * @param fingerprint identity of the alert: (rule, host, series), see {@code
 *     io.sysmonstm.rules.Fingerprint}
 * @param ruleId the rule; {@code pipeline-lag} for the job's own lag alert
 * @param hostId the host; empty for the pipeline-lag alert
 * @param series the series key; empty for host-down and pipeline-lag alerts
 * @param severity info, warning or critical
 * @param state {@link #FIRING} or {@link #RESOLVED}
 * @param value the value that caused the transition; NaN when there is none (host down)
 * @param threshold the rule's threshold; NaN when it has none
 * @param startsAtMs event time the alert started firing, epoch ms
 * @param endsAtMs event time it resolved, epoch ms; 0 while firing
 * @param summary the rule's summary template, rendered
 * @param retro raised by back-filled (late) data: kept in history, never sent as a notification
 * @param labels extra labels of the rule as a JSON object ({@code {}} when none)
 */
public record AlertEvent(
    String fingerprint,
    String ruleId,
    String hostId,
    String series,
    String severity,
    String state,
    double value,
    double threshold,
    long startsAtMs,
    long endsAtMs,
    String summary,
    boolean retro,
    String labels) {

  public static final String FIRING = AlertFields.FIRING;
  public static final String RESOLVED = AlertFields.RESOLVED;

  private static final ObjectMapper JSON = new ObjectMapper();

  public AlertEvent {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(series, "series");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(labels, "labels");
    if (!FIRING.equals(state) && !RESOLVED.equals(state)) {
      throw new IllegalArgumentException("state must be firing or resolved, got " + state);
    }
    if (FIRING.equals(state) != (endsAtMs == 0)) {
      throw new IllegalArgumentException("a firing alert has no end, a resolved one has one");
    }
    if (endsAtMs != 0 && endsAtMs < startsAtMs) {
      throw new IllegalArgumentException("an alert cannot end before it starts");
    }
  }

  public boolean firing() {
    return FIRING.equals(state);
  }

  /** The resolved transition of this firing alert, at {@code endsAtMs} with {@code value}. */
  public AlertEvent resolvedAt(long endsAtMs, double value, boolean retro) {
    return new AlertEvent(
        fingerprint,
        ruleId,
        hostId,
        series,
        severity,
        RESOLVED,
        value,
        threshold,
        startsAtMs,
        Math.max(endsAtMs, startsAtMs),
        summary,
        retro,
        labels);
  }

  /**
   * The event as JSON: {@code {"type":"alert","fingerprint":…,"rule_id":…,"host_id":…,"series":…,
   * "severity":…,"state":…,"value":…|null,"threshold":…|null,"starts_at":ms,"ends_at":ms|null,
   * "summary":…,"retro":…,"labels":{…}}}.
   */
  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put(Messages.TYPE, Messages.ALERT);
    n.put(AlertFields.FINGERPRINT, fingerprint);
    n.put(AlertFields.RULE_ID, ruleId);
    n.put(AlertFields.HOST_ID, hostId);
    n.put(AlertFields.SERIES, series);
    n.put(AlertFields.SEVERITY, severity);
    n.put(AlertFields.STATE, state);
    number(n, AlertFields.VALUE, value);
    number(n, AlertFields.THRESHOLD, threshold);
    n.put(AlertFields.STARTS_AT, startsAtMs);
    if (endsAtMs == 0) {
      n.putNull(AlertFields.ENDS_AT);
    } else {
      n.put(AlertFields.ENDS_AT, endsAtMs);
    }
    n.put(AlertFields.SUMMARY, summary);
    n.put(AlertFields.RETRO, retro);
    try {
      n.set(AlertFields.LABELS, JSON.readTree(labels));
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("labels are not a JSON object: " + labels, e);
    }
  }

  private static void number(ObjectNode n, String field, double v) {
    if (Double.isFinite(v)) {
      n.put(field, v);
    } else {
      n.putNull(field);
    }
  }
}
