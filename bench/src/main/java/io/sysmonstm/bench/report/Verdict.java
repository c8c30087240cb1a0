package io.sysmonstm.bench.report;

import io.sysmonstm.bench.alert.AlertLatencyBook;
import java.util.Locale;

/** A run's one-line verdict: complete, counts exact, and the targets met or not. */
public final class Verdict {
  private Verdict() {}

  /**
   * The verdict of a throughput run (preload or live).
   *
   * @param failure why the run stopped early, or null
   * @param samplesPerSecond what the fleet sent (live mode)
   * @param lag live mode only, else null
   */
  public static String throughput(
      boolean complete,
      boolean exact,
      String failure,
      double samplesPerSecond,
      BenchReport.Consumption c,
      BenchReport.Lag lag,
      BenchReport.Checkpoints k) {
    if (!complete) {
      return incomplete(failure);
    }
    String counts = exact ? "counts exact" : "COUNTS DIFFER";
    String ckpt =
        String.format(
            Locale.ROOT,
            "checkpoints max %,d ms (target <= %,d): %s",
            k.maxMs(),
            BenchReport.TARGET_CHECKPOINT_MS,
            k.maxMs() <= BenchReport.TARGET_CHECKPOINT_MS ? "met" : "NOT met");
    if (lag != null) {
      return String.format(
          Locale.ROOT,
          "%s; at %,.0f samples/s the job %s (target %,.0f samples/s: %s); %s",
          counts,
          samplesPerSecond,
          lag.keptUp() ? "kept up" : "FELL BEHIND",
          BenchReport.TARGET_SAMPLES_PER_SECOND,
          lag.keptUp() && samplesPerSecond >= BenchReport.TARGET_SAMPLES_PER_SECOND
              ? "met"
              : "NOT met",
          ckpt);
    }
    double sustained = Math.min(c.samplesPerSecond(), c.steadySamplesPerSecond());
    return String.format(
        Locale.ROOT,
        "%s; drained at %,.0f samples/s (target >= %,.0f: %s); %s",
        counts,
        sustained,
        BenchReport.TARGET_SAMPLES_PER_SECOND,
        sustained >= BenchReport.TARGET_SAMPLES_PER_SECOND ? "met" : "NOT met",
        ckpt);
  }

  /**
   * The verdict of an alert-latency run: the job kept up, each breach fired and resolved once per
   * rule, and each rule's p99 latency against its goal.
   *
   * @param failure why the run stopped early, or null
   * @param samplesPerSecond what the fleet sent
   */
  public static String alertLatency(
      boolean complete,
      boolean exact,
      String failure,
      double samplesPerSecond,
      BenchReport.Lag lag,
      BenchReport.Alerts a) {
    if (!complete) {
      return incomplete(failure);
    }
    AlertLatencyBook.Result r = a.book();
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s; at %,.0f samples/s the job %s; %,d breaches: %s",
                exact ? "counts exact" : "COUNTS DIFFER",
                samplesPerSecond,
                lag.keptUp() ? "kept up" : "FELL BEHIND",
                r.breaches(),
                r.exact()
                    ? "each fired and resolved exactly once per rule"
                    : "ALERTS MISSING OR DUPLICATED"));
    for (AlertLatencyBook.RuleResult rr : r.rules()) {
      b.append(
          String.format(
              Locale.ROOT,
              "; %s p99 %,d ms%s (goal <= %s): %s",
              rr.rule(),
              rr.latency().p99(),
              rr.forMs() == 0
                  ? ""
                  : String.format(Locale.ROOT, " = for + %,d ms", rr.overFor().p99()),
              rr.forMs() == 0 ? "1 s" : "for + 1 s",
              rr.pass() ? "PASS" : "FAIL"));
    }
    return b.toString();
  }

  private static String incomplete(String failure) {
    return "INCOMPLETE: " + (failure != null ? failure : "rows missing");
  }
}
