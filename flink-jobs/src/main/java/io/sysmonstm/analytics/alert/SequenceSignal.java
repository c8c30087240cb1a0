package io.sysmonstm.analytics.alert;

/**
 * An observation for a sequence rule on one host: its first step breaching ({@link #FIRST}), its
 * second step holding ({@link #THEN}), or its first step cleared ({@link #CLEARED}). FIRST and THEN
 * feed the CEP pattern; a match becomes {@link #MATCHED}; MATCHED and CLEARED drive the alert.
 *
 * @param ruleId the rule
 * @param hostId the host
 * @param series series key of the first step (the alert's series)
 * @param kind FIRST, THEN, MATCHED or CLEARED
 * @param ts event time
 * @param value the sample's value
 * @param withinMs the rule's {@code within}, carried so one pattern serves every rule
 * @param severity the rule's severity; empty in THEN and CLEARED (read only from FIRST and MATCHED)
 * @param threshold the rule's threshold
 * @param summary the rendered summary; empty in THEN and CLEARED
 * @param labels the rule's labels as JSON; empty in THEN and CLEARED
 * @param retro for a MATCHED kept as firing: whether its firing was retro
 */
public record SequenceSignal(
    String ruleId,
    String hostId,
    String series,
    int kind,
    long ts,
    double value,
    long withinMs,
    String severity,
    double threshold,
    String summary,
    String labels,
    boolean retro) {
  public static final int FIRST = 1;
  public static final int THEN = 2;
  public static final int MATCHED = 3;
  public static final int CLEARED = 4;

  /** Key of the pattern and the lifecycle: one per (rule, host). */
  public String ruleHost() {
    return ruleId + '\u0000' + hostId;
  }

  SequenceSignal as(int newKind, String newSeries, long newTs, double newValue) {
    return new SequenceSignal(
        ruleId, hostId, newSeries, newKind, newTs, newValue, withinMs, severity, threshold, summary,
        labels, retro);
  }

  SequenceSignal withRetro(boolean r) {
    return new SequenceSignal(
        ruleId, hostId, series, kind, ts, value, withinMs, severity, threshold, summary, labels, r);
  }
}
