package io.sysmonstm.bench.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sysmonstm.bench.alert.AlertLatencyBook;
import io.sysmonstm.bench.alert.LatencyStats;
import io.sysmonstm.bench.probe.ResourceMeter;
import io.sysmonstm.config.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What one benchmark run measured. {@link #toText()} is the report printed at the end, {@link
 * #toJson()} the same figures for tools. Counts are exact; rates and times are wall clock.
 *
 * @param setup what ran
 * @param warmup the warm-up run before the measured one (null: none, a cold JVM)
 * @param production what the simulated fleet wrote to Kafka
 * @param consumption what the job read, and how fast
 * @param lag live mode only: how far the job trailed the fleet (null in preload)
 * @param rows rows in PostgreSQL against what the data must produce
 * @param checkpoints checkpoints taken while the job worked
 * @param resources CPU and memory while the job worked
 * @param vertices how busy each task (chain of operators) was while the job worked
 * @param alerts alert-latency mode only: breaches, alert events and their latencies (null
 *     otherwise)
 * @param outcome whether the run completed and its one-line verdict
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BenchReport(
    Setup setup,
    Warmup warmup,
    Production production,
    Consumption consumption,
    Lag lag,
    Rows rows,
    Live live,
    Checkpoints checkpoints,
    ResourceMeter.Usage resources,
    List<VertexLoad> vertices,
    Alerts alerts,
    Outcome outcome) {

  /** Target of the issue: samples per second the job must sustain on this machine. */
  public static final double TARGET_SAMPLES_PER_SECOND = 200_000;

  /** Target of the issue: longest checkpoint. */
  public static final long TARGET_CHECKPOINT_MS = 2_000;

  /** What ran. */
  public record Setup(
      String mode,
      int hosts,
      int series,
      String interval,
      String duration,
      long snapshotsPerHost,
      int parallelism,
      int partitions,
      String stateBackend,
      boolean unalignedCheckpoints,
      String alertRules,
      String checkpointInterval,
      String topic,
      String start,
      String tag,
      String kafka,
      String postgres,
      String redis,
      List<String> discardedSinks,
      String flinkUi,
      String loadAverageAtStart) {}

  /**
   * The warm-up run: the same job and fleet shape draining its own topic before the measured run,
   * so that run finds the JVM's code compiled. Not part of any figure of the report.
   *
   * @param duration event time the warm-up fleet covered
   * @param tag its tag (host ids, topic)
   * @param snapshots snapshots it read
   * @param seconds its drain's time, measured as the measured run's
   * @param samplesPerSecond its drain rate, in a JVM still compiling
   * @param countsExact whether its rows were exact too
   */
  public record Warmup(
      String duration,
      String tag,
      long snapshots,
      double seconds,
      double samplesPerSecond,
      boolean countsExact) {

    /** What {@code run} (a complete warm-up run's report) measured. */
    public static Warmup of(BenchReport run) {
      return new Warmup(
          run.setup().duration(),
          run.setup().tag(),
          run.consumption().snapshots(),
          run.consumption().seconds(),
          run.consumption().samplesPerSecond(),
          run.outcome().countsExact());
    }
  }

  /** This report with the warm-up run that came before it. */
  public BenchReport withWarmup(Warmup w) {
    return new BenchReport(
        setup,
        w,
        production,
        consumption,
        lag,
        rows,
        live,
        checkpoints,
        resources,
        vertices,
        alerts,
        outcome);
  }

  /** What the fleet wrote. */
  public record Production(
      long snapshots,
      long samples,
      long bytes,
      double seconds,
      double samplesPerSecond,
      double nominalSamplesPerSecond) {}

  /**
   * What the job read: {@code samplesPerSecond} over the whole drain (first to last record), {@code
   * steadySamplesPerSecond} the slope between 10 % and 90 % read.
   */
  public record Consumption(
      long snapshots,
      long samples,
      long committedSnapshots,
      double seconds,
      double samplesPerSecond,
      double steadySamplesPerSecond) {}

  /** One lag reading in live mode: seconds since production began, samples not yet read. */
  public record LagPoint(double t, long samples) {}

  /**
   * Live mode: lag = samples the fleet wrote (acknowledged) that the job had not read yet.
   *
   * @param growthSamplesPerSecond slope of the lag over the second half of production (≤ 0: not
   *     growing)
   * @param drainSeconds time from the end of production until everything was read
   * @param keptUp lag at the end of production below 5 s of production and not growing
   */
  public record Lag(
      List<LagPoint> points,
      long maxSamples,
      long endSamples,
      double growthSamplesPerSecond,
      double drainSeconds,
      boolean keptUp) {}

  /**
   * Rows in PostgreSQL for this run's hosts.
   *
   * @param minutesClosed 1-minute windows the data closes (its watermark passes their end)
   * @param allRowsSeconds from the start of the drain (the last poll that saw no record read) until
   *     every expected row was in PostgreSQL
   */
  public record Rows(
      long minutesClosed,
      long rollup1mExpected,
      long rollup1m,
      long samplesExpected,
      Long samples,
      Double allRowsSeconds) {}

  /**
   * Redis at the end of the run (null when it could not be read).
   *
   * @param usedBytes memory Redis used
   * @param maxBytes its {@code maxmemory}, 0 when unlimited
   * @param evictedKeys keys it evicted during the run: live values lost, Redis too small for the
   *     fleet
   */
  public record Live(long usedBytes, long maxBytes, long evictedKeys) {}

  /** Checkpoints triggered while the job worked (before everything was read). */
  public record Checkpoints(
      int completed,
      int failed,
      long minMs,
      long avgMs,
      long maxMs,
      long lastStateBytes,
      long maxStateBytes,
      long maxCheckpointedBytes,
      long maxAlignmentBufferedBytes,
      List<Long> durationsMs,
      Slowest longest) {}

  /**
   * Where the longest checkpoint spent its time: the task that acknowledged last, with the longest
   * subtask's phases as the web UI's checkpoint details show them ({@code null} when the details
   * were not available).
   */
  public record Slowest(
      long id,
      long endToEndMs,
      String task,
      long startDelayMs,
      long alignmentMs,
      long syncMs,
      long asyncMs,
      long stateBytes) {}

  /** Average share of time a task spent busy, back-pressured (waiting for output) and idle. */
  public record VertexLoad(
      String name,
      int parallelism,
      double busyPercent,
      double backPressuredPercent,
      double idlePercent) {}

  /**
   * Alert-latency mode: what the breaches produced.
   *
   * @param rulesFile what the job evaluated
   * @param plan which hosts breached when
   * @param checkpointInterval the job's checkpoint interval (the Redis path does not wait for it)
   * @param received messages received on the alerts channel
   * @param book breaches matched to alert events, latencies
   * @param expectedTransitions firing and resolved events of the timed rules the breaches must give
   * @param kafkaTransitions those events in the alerts topic, read_committed, at the end
   * @param tableTransitions those rows in the table {@code alerts} at the end
   * @param maxSendDelayMs from the first breach on, the longest time a slice of snapshots left the
   *     simulator after it was due
   */
  public record Alerts(
      String rulesFile,
      String plan,
      String checkpointInterval,
      long received,
      AlertLatencyBook.Result book,
      long expectedTransitions,
      long kafkaTransitions,
      long tableTransitions,
      long maxSendDelayMs) {}

  /** Whether the run finished with exact counts, and the verdict against the targets. */
  public record Outcome(boolean complete, boolean countsExact, String verdict) {}

  /** The report as JSON. */
  public String toJson() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report cannot be written as JSON", e);
    }
  }

  /** The report for people. */
  public String toText() {
    StringBuilder b = new StringBuilder();
    Setup s = setup;
    line(b, "");
    line(
        b,
        "sysmonstm job benchmark: %s, %,d hosts x %d series every %s, %s of event time",
        s.mode(),
        s.hosts(),
        s.series(),
        s.interval(),
        s.duration());
    line(
        b,
        "  job          parallelism %d, %s state, %scheckpoints every %s; topic %s (%d partitions)",
        s.parallelism(),
        s.stateBackend(),
        s.unalignedCheckpoints() ? "unaligned " : "",
        s.checkpointInterval(),
        s.topic(),
        s.partitions());
    line(b, "  alerts       %s", s.alertRules());
    line(b, "  servers      Kafka %s; PostgreSQL %s; Redis %s", s.kafka(), s.postgres(), s.redis());
    if (!s.discardedSinks().isEmpty()) {
      line(b, "  EXPERIMENT   sinks replaced by discarding ones: %s", s.discardedSinks());
    }
    line(
        b,
        "  data         %,d snapshots per host from %s (%s + a tail that closes the last minute)",
        s.snapshotsPerHost(),
        s.start(),
        s.duration());
    if (warmup == null) {
      line(
          b,
          "  warm-up      none (--warmup-drain 0): a cold JVM, its JIT compiler works alongside"
              + " the job");
    } else {
      line(
          b,
          "  warm-up      first the same job drained %s of a separate fleet (tag %s): %,d"
              + " snapshots in %.1f s, %,.0f samples/s, counts %s; the figures below are the"
              + " second run's",
          warmup.duration(),
          warmup.tag(),
          warmup.snapshots(),
          warmup.seconds(),
          warmup.samplesPerSecond(),
          warmup.countsExact() ? "exact" : "NOT EXACT");
    }
    line(b, "  machine      load average at start %s", s.loadAverageAtStart());
    line(b, "");
    Production p = production;
    line(
        b,
        "Produced     %,d snapshots = %,d samples (%s) in %.1f s: %,.0f samples/s (fleet nominal"
            + " %,.0f/s)",
        p.snapshots(),
        p.samples(),
        bytes(p.bytes()),
        p.seconds(),
        p.samplesPerSecond(),
        p.nominalSamplesPerSecond());
    Consumption c = consumption;
    line(
        b,
        "Consumed     %,d snapshots = %,d samples in %.1f s: %,.0f samples/s (steady %,.0f/s);"
            + " committed %,d",
        c.snapshots(),
        c.samples(),
        c.seconds(),
        c.samplesPerSecond(),
        c.steadySamplesPerSecond(),
        c.committedSnapshots());
    if (lag != null) {
      line(
          b,
          "Lag          max %,d samples, %,d at the end of production, growing %,.0f samples/s;"
              + " drained %.1f s after production stopped: %s",
          lag.maxSamples(),
          lag.endSamples(),
          lag.growthSamplesPerSecond(),
          lag.drainSeconds(),
          lag.keptUp() ? "KEPT UP" : "FELL BEHIND");
      StringBuilder pts = new StringBuilder();
      int step = Math.max(1, lag.points().size() / 12);
      for (int i = 0; i < lag.points().size(); i += step) {
        LagPoint lp = lag.points().get(i);
        pts.append(String.format(Locale.ROOT, " %.0fs:%,d", lp.t(), lp.samples()));
      }
      line(b, "  lag over time (samples)%s", pts);
    }
    Rows r = rows;
    line(
        b,
        "Rows         rollup_1m %,d of %,d (%d closed minutes); samples %s; all in"
            + " PostgreSQL %s after the drain began",
        r.rollup1m(),
        r.rollup1mExpected(),
        r.minutesClosed(),
        r.samples() == null
            ? "not written (sink discarded)"
            : String.format(Locale.ROOT, "%,d of %,d", r.samples(), r.samplesExpected()),
        r.allRowsSeconds() == null
            ? "NOT REACHED"
            : String.format(Locale.ROOT, "%.1f s", r.allRowsSeconds()));
    if (live != null) {
      line(
          b,
          "Redis        %s used of %s; %,d keys evicted during the run%s",
          bytes(live.usedBytes()),
          live.maxBytes() == 0 ? "no maxmemory" : bytes(live.maxBytes()) + " maxmemory",
          live.evictedKeys(),
          live.evictedKeys() > 0 ? " (LIVE VALUES LOST: Redis is too small for the fleet)" : "");
    }
    Checkpoints k = checkpoints;
    line(
        b,
        "Checkpoints  %d completed, %d failed while working; duration min %,d / avg %,d / max %,d"
            + " ms; state %s (max %s), checkpointed max %s, alignment buffered max %s",
        k.completed(),
        k.failed(),
        k.minMs(),
        k.avgMs(),
        k.maxMs(),
        bytes(k.lastStateBytes()),
        bytes(k.maxStateBytes()),
        bytes(k.maxCheckpointedBytes()),
        bytes(k.maxAlignmentBufferedBytes()));
    if (!k.durationsMs().isEmpty()) {
      line(b, "  durations in order (ms) %s", k.durationsMs());
    }
    if (k.longest() != null) {
      Slowest l = k.longest();
      line(
          b,
          "  longest #%d (%,d ms), last to acknowledge %s: start delay %,d / alignment %,d / sync %,d"
              + " / async %,d ms (longest subtask each), subtask state up to %s",
          l.id(),
          l.endToEndMs(),
          l.task(),
          l.startDelayMs(),
          l.alignmentMs(),
          l.syncMs(),
          l.asyncMs(),
          bytes(l.stateBytes()));
    }
    ResourceMeter.Usage u = resources;
    StringBuilder children = new StringBuilder();
    u.childProcesses()
        .forEach(
            cp -> children.append(String.format(Locale.ROOT, ", %s %.2f", cp.name(), cp.cores())));
    line(
        b,
        "CPU          over %.1f s, in cores of %d: this JVM %.2f (Flink tasks %.2f)%s; whole"
            + " machine %.2f (%.0f%%)",
        u.wallSeconds(),
        u.machineCores(),
        u.jvmCores(),
        u.flinkTaskCores(),
        children,
        u.machineBusyCores(),
        100 * u.machineBusyCores() / u.machineCores());
    u.topThreads().stream().limit(8).forEach(t -> line(b, "  %5.2f  %s", t.cores(), t.name()));
    line(
        b,
        "Memory       heap max used %s, at end %s, limit %s; GC %d collections, %,d ms",
        bytes(u.heapMaxUsedBytes()),
        bytes(u.heapEndUsedBytes()),
        bytes(u.heapLimitBytes()),
        u.gcCount(),
        u.gcMillis());
    line(b, "Tasks        busy / back-pressured / idle, average while working:");
    for (VertexLoad v : vertices) {
      line(
          b,
          "  %5.1f%% %5.1f%% %5.1f%%  x%d %s",
          v.busyPercent(),
          v.backPressuredPercent(),
          v.idlePercent(),
          v.parallelism(),
          v.name());
    }
    if (alerts != null) {
      alertsText(b, alerts);
    }
    line(b, "");
    line(b, "Verdict      %s", outcome.verdict());
    return b.toString();
  }

  private static void alertsText(StringBuilder b, Alerts a) {
    AlertLatencyBook.Result r = a.book();
    line(
        b,
        "Alerts       %,d messages on Redis channel sysmonstm:alerts; latency = receive wall time"
            + " - timestamp of the breach's first breaching sample",
        a.received());
    line(b, "  rules        %s", a.rulesFile());
    line(b, "  breaches     %s: %,d breaches", a.plan(), r.breaches());
    line(
        b,
        "  checkpoints  every %s (Kafka and PostgreSQL alert sinks commit on them; the Redis path"
            + " does not wait for them)",
        a.checkpointInterval());
    for (AlertLatencyBook.RuleResult rr : r.rules()) {
      String kind =
          rr.forMs() == 0 ? "instant" : "for " + Durations.format(Duration.ofMillis(rr.forMs()));
      line(
          b,
          "  %s (%s): fired %,d of %,d breaches (%,d missing, %,d duplicate), resolved %,d (%,d"
              + " missing, %,d duplicate)",
          rr.rule(),
          kind,
          rr.fired(),
          rr.breaches(),
          rr.missingFirings(),
          rr.duplicateFirings(),
          rr.resolved(),
          rr.missingResolves(),
          rr.duplicateResolves());
      line(b, "    latency         %s", stats(rr.latency()));
      if (rr.forMs() > 0) {
        line(b, "    latency - for   %s", stats(rr.overFor()));
      }
      line(
          b,
          "    goal            p99 <= %s: %s",
          rr.forMs() == 0 ? "1 s" : kind.substring(4) + " + 1 s",
          rr.pass() ? "PASS" : "FAIL");
      line(
          b,
          "    resolve latency %s (first calm sample to resolved event)",
          stats(rr.resolveLatency()));
    }
    StringBuilder others = new StringBuilder();
    r.others().forEach((k, v) -> others.append(String.format(Locale.ROOT, "; %s %,d", k, v)));
    line(
        b,
        "  other        unmatched %,d, retro %,d, unreadable %,d%s",
        r.unmatched(),
        r.retro(),
        r.unreadable(),
        others);
    line(
        b,
        "  sinks        timed transitions: expected %,d; topic (read_committed) %,d; table alerts"
            + " %,d",
        a.expectedTransitions(),
        a.kafkaTransitions(),
        a.tableTransitions());
    line(
        b,
        "  simulator    from the first breach on, a slice of snapshots left at most %,d ms after it"
            + " was due (a snapshot is due within 50 ms after its timestamp; producer linger 20 ms)",
        a.maxSendDelayMs());
    for (AlertLatencyBook.Period p : r.periods()) {
      line(
          b,
          "  over time    condition held %3.0f-%3.0f s after the fleet started: latency - for %s",
          p.fromSeconds(),
          p.toSeconds(),
          stats(p.overFor()));
    }
    for (AlertLatencyBook.Slow s : r.slowest()) {
      line(
          b,
          "  slowest      %s %s, breach at %.1f s: %,d ms (%,d ms over for)",
          s.rule(),
          s.hostId(),
          s.atSeconds(),
          s.latencyMs(),
          s.overForMs());
    }
  }

  private static String stats(LatencyStats s) {
    if (s.count() == 0) {
      return "none";
    }
    return String.format(
        Locale.ROOT,
        "p50 %,d / p95 %,d / p99 %,d / max %,d ms (min %,d, n = %,d)",
        s.p50(),
        s.p95(),
        s.p99(),
        s.max(),
        s.min(),
        s.count());
  }

  private static void line(StringBuilder b, String format, Object... args) {
    b.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
