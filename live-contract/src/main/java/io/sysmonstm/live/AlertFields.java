package io.sysmonstm.live;

import java.util.List;

/**
 * Field names of an alert event: the message on {@code sysmonstm:alerts}, the values of the hash
 * {@code sysmonstm:alerts:active}, and the items of the relay's {@code /api/alerts}.
 *
 * <p>{@code {"type":"alert","fingerprint":…,"rule_id":…,"host_id":…,"series":…,"severity":…,
 * "state":"firing"|"resolved","value":number|null,"threshold":number|null,"starts_at":ms,
 * "ends_at":ms|null,"summary":…,"retro":bool,"labels":{…}}}, in that order. An alert is identified
 * by ({@link #FINGERPRINT}, {@link #STARTS_AT}): a resolved event ends the firing one with the same
 * pair.
 */
public final class AlertFields {
  /** Identity of the alert: (rule, host, series) hashed (string). */
  public static final String FINGERPRINT = "fingerprint";

  /** The rule's id; {@code pipeline-lag} for the job's own lag alert (string). */
  public static final String RULE_ID = "rule_id";

  /** The host; empty for the pipeline-lag alert (string). */
  public static final String HOST_ID = HostFields.HOST_ID;

  /** The series key; empty for host-down and pipeline-lag alerts (string). */
  public static final String SERIES = "series";

  /** {@code info}, {@code warning} or {@code critical} (string). */
  public static final String SEVERITY = "severity";

  /** {@link #FIRING} or {@link #RESOLVED} (string). */
  public static final String STATE = "state";

  /** The value that caused the transition; null when there is none (number or null). */
  public static final String VALUE = "value";

  /** The rule's threshold; null when it has none (number or null). */
  public static final String THRESHOLD = "threshold";

  /** Event time the alert started firing, epoch ms (integer). */
  public static final String STARTS_AT = "starts_at";

  /** Event time it resolved, epoch ms; null while firing (integer or null). */
  public static final String ENDS_AT = "ends_at";

  /** The rule's summary, rendered (string). */
  public static final String SUMMARY = "summary";

  /** Raised by back-filled data: kept in history, never notified (boolean). */
  public static final String RETRO = "retro";

  /** Extra labels of the rule (object of strings; {@code {}} when none). */
  public static final String LABELS = "labels";

  /** Every field of an alert event after {@link Messages#TYPE}, in the order they are written. */
  public static final List<String> ALL =
      List.of(
          FINGERPRINT,
          RULE_ID,
          HOST_ID,
          SERIES,
          SEVERITY,
          STATE,
          VALUE,
          THRESHOLD,
          STARTS_AT,
          ENDS_AT,
          SUMMARY,
          RETRO,
          LABELS);

  /** {@link #STATE} of a transition to firing. */
  public static final String FIRING = "firing";

  /** {@link #STATE} of a transition to resolved. */
  public static final String RESOLVED = "resolved";

  private AlertFields() {}
}
