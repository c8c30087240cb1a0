package io.sysmonstm.analytics.alert;

/**
 * Lifecycle state of one (rule, host, series) that is not inactive: inactive series have no state
 * at all, so the state of a healthy fleet is empty.
 *
 * @param phase {@link #PENDING} (breaching, {@code for} not yet held; for a sequence rule: its
 *     first step is breaching) or {@link #FIRING}
 * @param sinceMs event time the current breach began
 * @param lastTs event time of the newest sample seen for the series
 * @param startsAtMs event time the alert started firing, 0 unless firing
 * @param retro the firing transition was raised by back-filled data
 */
public record SeriesAlert(int phase, long sinceMs, long lastTs, long startsAtMs, boolean retro) {
  public static final int PENDING = 1;
  public static final int FIRING = 2;

  public SeriesAlert {
    if (phase != PENDING && phase != FIRING) {
      throw new IllegalArgumentException("phase must be PENDING or FIRING, got " + phase);
    }
  }

  public boolean firing() {
    return phase == FIRING;
  }

  static SeriesAlert pending(long ts) {
    return new SeriesAlert(PENDING, ts, ts, 0, false);
  }

  static SeriesAlert firing(long since, long ts, boolean retro) {
    return new SeriesAlert(FIRING, since, ts, ts, retro);
  }

  SeriesAlert seen(long ts) {
    return new SeriesAlert(phase, sinceMs, ts, startsAtMs, retro);
  }
}
