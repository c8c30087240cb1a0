package io.sysmonstm.analytics.alert;

import io.sysmonstm.analytics.series.SeriesKey;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import io.sysmonstm.rules.Fingerprint;
import io.sysmonstm.rules.Op;
import io.sysmonstm.rules.Rule;
import io.sysmonstm.rules.RuleKind;
import io.sysmonstm.rules.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the alert rules on each host's snapshots, keyed by host, with the rules broadcast to
 * every subtask (docs/design.md, Alert semantics). Per (rule, host, series):
 *
 * <ul>
 *   <li>inactive → pending at the first breaching sample; pending → firing once every sample has
 *       stayed breaching for at least {@code for} (event time; {@code for} 0 fires at once);
 *   <li>a gap in the series longer than {@code max_gap} resets a pending alert (the sample after
 *       the gap starts a new breach), and so does a series that stops appearing in the host's
 *       snapshots; a firing alert whose series vanishes resolves;
 *   <li>firing → resolved at the first sample past the {@code resolve} threshold (hysteresis);
 *   <li>host silence: no snapshot from the host for {@code absent_for} (processing time, so it
 *       fires also when the whole stream is quiet) fires host-down; its next snapshot resolves it.
 *       While the pipeline lags ({@link PipelineLagTracker}: the watermark is far behind the clock
 *       while records flow, or {@link PipelineHealth} says Kafka is behind), host-down waits and
 *       one pipeline-lag alert stands for all of them ({@link LagSignal} to {@link
 *       PipelineLagAlerts}). After a start or restore no host is called down before {@code
 *       absent_for} has passed.
 * </ul>
 *
 * <p>Lifecycle state is keyed state (checkpointed), updated in the same call that emits the
 * transition, so after a restore the replayed input emits exactly the transitions that were not
 * part of the checkpoint. Samples older than the newest sample of their series are ignored (the
 * lifecycle runs in event-time order per series). A transition whose sample is older than {@code
 * retroAfter} (processing time) came from back-filled data: it is emitted with {@code retro} set
 * (history only, never notified). Sequence rules are matched by CEP downstream: this function only
 * emits their observations ({@link #SEQUENCE}).
 */
public final class EvaluateRules
    extends KeyedBroadcastProcessFunction<String, HostSnapshot, RuleUpdate, AlertEvent> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateRules.class);

  /** Rule id to JSON ({@link RuleSet#DELETED} for a deletion): the runtime rule changes. */
  public static final MapStateDescriptor<String, String> RULES =
      new MapStateDescriptor<>("alert-rules", Types.STRING, Types.STRING);

  /** Observations of sequence rules, for the CEP pattern. */
  public static final OutputTag<SequenceSignal> SEQUENCE =
      new OutputTag<>("sequence-signals", TypeInformation.of(SequenceSignal.class));

  /** Changes of this subtask's view of the pipeline lag. */
  public static final OutputTag<LagSignal> LAG =
      new OutputTag<>("lag-signals", TypeInformation.of(LagSignal.class));

  /** How often a suppressed host-down check is repeated while the pipeline lags. */
  static final long RECHECK_MS = 5_000;

  private final List<Rule> fileRules;
  private final long retroAfterMs;
  private final PipelineLagTracker lag;

  private transient MapState<String, SeriesAlert> alerts;
  private transient MapState<String, Double> previous;
  private transient ValueState<HostPresence> presence;
  private transient RuleSet ruleSet;
  private transient Map<String, Map<String, String>> attrsCache;
  private transient long openedAtMs;
  private transient Counter transitions;
  private transient Counter suppressedHostDown;

  /**
   * @param fileRules the rules the job starts with (the rules file)
   * @param retroAfter a transition whose sample is older than this (processing time) is retro
   * @param pipelineLag the watermark may trail the clock by this much while records flow before the
   *     pipeline counts as lagging
   * @param health an external view of the pipeline's lag (Kafka consumer lag in production)
   */
  public EvaluateRules(
      List<Rule> fileRules, Duration retroAfter, Duration pipelineLag, PipelineHealth health) {
    this.fileRules = List.copyOf(fileRules);
    this.retroAfterMs = retroAfter.toMillis();
    this.lag = new PipelineLagTracker(pipelineLag, health);
  }

  @Override
  public void open(OpenContext openContext) {
    alerts =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "series-alerts", Types.STRING, TypeInformation.of(SeriesAlert.class)));
    previous =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("previous-values", Types.STRING, Types.DOUBLE));
    presence =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>(
                    "host-presence", TypeInformation.of(HostPresence.class)));
    ruleSet = new RuleSet(fileRules);
    attrsCache = new LinkedHashMap<>(1024, 0.75f, true);
    openedAtMs = -1;
    transitions = getRuntimeContext().getMetricGroup().counter("alertTransitions");
    suppressedHostDown = getRuntimeContext().getMetricGroup().counter("hostDownSuppressed");
    lag.open(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
  }

  @Override
  public void close() {
    lag.close();
  }

  @Override
  public void processBroadcastElement(RuleUpdate u, Context ctx, Collector<AlertEvent> out)
      throws Exception {
    BroadcastState<String, String> state = ctx.getBroadcastState(RULES);
    if (u.deleted()) {
      state.put(u.ruleId(), RuleSet.DELETED);
      LOG.info("Rule {} deleted; its alerts resolve on the next snapshot of each host", u.ruleId());
    } else if (RuleSet.parseOrNull(u.ruleId(), u.json()) != null) {
      state.put(u.ruleId(), u.json());
      LOG.info("Rule {} updated; in effect from the next snapshot", u.ruleId());
    }
  }

  @Override
  public void processElement(HostSnapshot s, ReadOnlyContext ctx, Collector<AlertEvent> out)
      throws Exception {
    long now = ctx.currentProcessingTime();
    started(now);
    List<Rule> rules = rules(ctx.getBroadcastState(RULES));
    // judged before this record counts: after a quiet spell the watermark is still old
    lag.check(now, ctx.currentWatermark(), sig -> ctx.output(LAG, sig));
    lag.recordProcessed(now);

    String host = s.hostId();
    long ts = s.timestampMs();
    boolean retro = ts < now - retroAfterMs;

    // liveness: this snapshot resolves host-down, and the silence check moves on
    HostPresence p = presence.value();
    long timerAt = p == null ? 0 : p.timerAtMs();
    Set<String> live = new HashSet<>();
    boolean watchesSilence = false;
    for (Rule r : rules) {
      if (r.kind() == RuleKind.HOST_DOWN && r.appliesTo(host)) {
        watchesSilence = true;
        String key = key(r.id(), "");
        live.add(key);
        SeriesAlert a = alerts.get(key);
        if (a != null && a.firing() && ts >= a.startsAtMs() - r.absentFor().toMillis()) {
          emit(out, event(r, host, "", a, Double.NaN).resolvedAt(ts, Double.NaN, a.retro()));
          alerts.remove(key);
        }
      }
    }
    if (watchesSilence && timerAt == 0) {
      timerAt = now + minAbsentFor(rules, host);
      ctx.timerService().registerProcessingTimeTimer(timerAt);
    }
    if (p == null || ts >= p.lastSeenTs()) {
      presence.update(new HostPresence(ts, now, timerAt));
    } else {
      presence.update(new HostPresence(p.lastSeenTs(), now, timerAt));
    }

    // thresholds and sequences, per matching series; a sample's attributes are parsed (looked up)
    // once per snapshot, and only for samples of a metric some rule names
    Set<String> seen = new HashSet<>();
    Sample[] samples = s.samples();
    @SuppressWarnings("unchecked")
    Map<String, String>[] attrsOf = new Map[samples.length];
    for (Rule r : rules) {
      if (r.kind() == RuleKind.HOST_DOWN || !r.appliesTo(host)) {
        continue;
      }
      String thenMetric = r.kind() == RuleKind.SEQUENCE ? r.then().metric() : null;
      for (int i = 0; i < samples.length; i++) {
        Sample sample = samples[i];
        if (!sample.metric().equals(r.metric()) && !sample.metric().equals(thenMetric)) {
          continue;
        }
        Map<String, String> attrs = attrsOf[i];
        if (attrs == null) {
          attrs = attrs(sample.attrs());
          attrsOf[i] = attrs;
        }
        String series = sample.seriesKey();
        if (r.matches(sample.metric(), attrs)) {
          String key = key(r.id(), series);
          seen.add(key);
          live.add(key);
          if (r.kind() == RuleKind.THRESHOLD) {
            threshold(r, host, series, key, ts, sample.value(), retro, out);
          } else {
            sequenceFirst(r, host, series, key, ts, sample.value(), ctx);
          }
        }
        if (r.kind() == RuleKind.SEQUENCE && r.then().matches(sample.metric(), attrs)) {
          sequenceThen(r, host, series, ts, sample.value(), ctx);
        }
      }
    }

    // series that stopped appearing, and rules that no longer exist
    Map<String, Rule> byId = new HashMap<>();
    rules.forEach(r -> byId.put(r.id(), r));
    List<String> drop = new ArrayList<>();
    for (Map.Entry<String, SeriesAlert> e : alerts.entries()) {
      String key = e.getKey();
      if (seen.contains(key) || live.contains(key)) {
        continue;
      }
      SeriesAlert a = e.getValue();
      String ruleId = ruleOf(key);
      Rule r = byId.get(ruleId);
      boolean ruleGone = r == null || !r.appliesTo(host);
      boolean vanished = r != null && ts - a.lastTs() > r.maxGap().toMillis();
      if (!ruleGone && !vanished) {
        continue;
      }
      if (a.firing()) {
        AlertEvent firing =
            r != null
                ? event(r, host, seriesOf(key), a, Double.NaN)
                : orphan(ruleId, host, seriesOf(key), a);
        emit(out, firing.resolvedAt(ts, Double.NaN, retro));
      }
      drop.add(key);
    }
    for (String key : drop) {
      alerts.remove(key);
    }
  }

  private void threshold(
      Rule r,
      String host,
      String series,
      String key,
      long ts,
      double v,
      boolean retro,
      Collector<AlertEvent> out)
      throws Exception {
    SeriesAlert a = alerts.get(key);
    if (a != null && ts <= a.lastTs()) {
      return; // older than what this series has already been judged on
    }
    if (a != null && !a.firing() && ts - a.lastTs() > r.maxGap().toMillis()) {
      a = null; // a gap resets a pending alert; this sample is judged afresh
    }
    if (a == null) {
      if (!r.breaching(v)) {
        return;
      }
      a = SeriesAlert.pending(ts);
    } else if (!a.firing()) {
      if (!r.breaching(v)) {
        alerts.remove(key);
        return;
      }
      a = a.seen(ts);
    } else {
      if (r.cleared(v)) {
        emit(out, event(r, host, series, a, v).resolvedAt(ts, v, retro));
        alerts.remove(key);
      } else {
        alerts.put(key, a.seen(ts));
      }
      return;
    }
    if (ts - a.sinceMs() >= r.forDuration().toMillis()) {
      SeriesAlert firing = SeriesAlert.firing(a.sinceMs(), ts, retro);
      alerts.put(key, firing);
      emit(out, event(r, host, series, firing, v));
    } else {
      alerts.put(key, a);
    }
  }

  private void sequenceFirst(
      Rule r, String host, String series, String key, long ts, double v, ReadOnlyContext ctx)
      throws Exception {
    SeriesAlert a = alerts.get(key);
    if (a != null && ts <= a.lastTs()) {
      return;
    }
    if (r.breaching(v)) {
      alerts.put(key, a == null ? SeriesAlert.pending(ts) : a.seen(ts));
      ctx.output(SEQUENCE, signal(r, host, series, SequenceSignal.FIRST, ts, v));
    } else if (a != null) {
      alerts.remove(key);
      if (r.cleared(v)) {
        ctx.output(SEQUENCE, observation(r, host, series, SequenceSignal.CLEARED, ts, v));
      }
    }
  }

  private void sequenceThen(
      Rule r, String host, String series, long ts, double v, ReadOnlyContext ctx) throws Exception {
    Step then = r.then();
    boolean holds;
    if (then.op() == Op.RISING) {
      String key = key(r.id(), "then\u0000" + series);
      Double prev = previous.get(key);
      previous.put(key, v);
      holds = prev != null && v > prev;
    } else {
      holds = then.op().test(v, then.threshold());
    }
    if (holds) {
      ctx.output(SEQUENCE, observation(r, host, series, SequenceSignal.THEN, ts, v));
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertEvent> out)
      throws Exception {
    HostPresence p = presence.value();
    if (p == null || p.timerAtMs() != timestamp) {
      return;
    }
    long now = timestamp;
    started(now);
    String host = ctx.getCurrentKey();
    List<Rule> rules = rules(ctx.getBroadcastState(RULES));
    Optional<String> lagging = lag.check(now, ctx.currentWatermark(), sig -> ctx.output(LAG, sig));

    long next = Long.MAX_VALUE;
    for (Rule r : rules) {
      if (r.kind() != RuleKind.HOST_DOWN || !r.appliesTo(host)) {
        continue;
      }
      String key = key(r.id(), "");
      SeriesAlert a = alerts.get(key);
      if (a != null && a.firing()) {
        continue;
      }
      long absent = r.absentFor().toMillis();
      long due = Math.max(p.lastArrivalMs() + absent, openedAtMs + absent);
      if (now < due) {
        next = Math.min(next, due);
      } else if (lagging.isPresent()) {
        suppressedHostDown.inc();
        next = Math.min(next, now + RECHECK_MS);
      } else {
        SeriesAlert firing = SeriesAlert.firing(p.lastSeenTs(), p.lastSeenTs() + absent, false);
        alerts.put(key, firing);
        emit(out, event(r, host, "", firing, Double.NaN));
      }
    }
    long timerAt = next == Long.MAX_VALUE ? 0 : next;
    if (timerAt != 0) {
      ctx.timerService().registerProcessingTimeTimer(timerAt);
    }
    presence.update(new HostPresence(p.lastSeenTs(), p.lastArrivalMs(), timerAt));
  }

  private List<Rule> rules(ReadOnlyBroadcastState<String, String> state) throws Exception {
    Map<String, String> overrides = new HashMap<>();
    for (Map.Entry<String, String> e : state.immutableEntries()) {
      overrides.put(e.getKey(), e.getValue());
    }
    return ruleSet.rules(overrides);
  }

  private void started(long now) {
    if (openedAtMs < 0) {
      openedAtMs = now;
    }
  }

  private long minAbsentFor(List<Rule> rules, String host) {
    long min = Long.MAX_VALUE;
    for (Rule r : rules) {
      if (r.kind() == RuleKind.HOST_DOWN && r.appliesTo(host)) {
        min = Math.min(min, r.absentFor().toMillis());
      }
    }
    return min;
  }

  private Map<String, String> attrs(String json) {
    Map<String, String> m = attrsCache.get(json);
    if (m == null) {
      m = SeriesKey.parseAttrs(json);
      if (attrsCache.size() >= 10_000) {
        attrsCache.remove(attrsCache.keySet().iterator().next());
      }
      attrsCache.put(json, m);
    }
    return m;
  }

  /**
   * A THEN or CLEARED observation: only its rule, host, time and value are read downstream (a match
   * and a resolution take the rest from the FIRST), so it carries no rendered summary, labels or
   * severity. THENs are the most frequent signals (every sample on which the second step holds,
   * about half of them for a {@code rising} step); the text would be rendered, sent and buffered in
   * CEP for nothing.
   */
  private static SequenceSignal observation(
      Rule r, String host, String series, int kind, long ts, double v) {
    return new SequenceSignal(
        r.id(), host, series, kind, ts, v, r.within().toMillis(), "", r.threshold(), "", "", false);
  }

  private SequenceSignal signal(Rule r, String host, String series, int kind, long ts, double v) {
    return new SequenceSignal(
        r.id(),
        host,
        series,
        kind,
        ts,
        v,
        r.within().toMillis(),
        r.severity().json(),
        r.threshold(),
        r.render(host, series, v),
        ruleSet.labels(r),
        false);
  }

  private AlertEvent event(Rule r, String host, String series, SeriesAlert a, double v) {
    return new AlertEvent(
        Fingerprint.of(r.id(), host, series),
        r.id(),
        host,
        series,
        r.severity().json(),
        AlertEvent.FIRING,
        v,
        r.kind() == RuleKind.HOST_DOWN ? Double.NaN : r.threshold(),
        a.startsAtMs(),
        0,
        r.render(host, series, v),
        a.retro(),
        ruleSet.labels(r));
  }

  private static AlertEvent orphan(String ruleId, String host, String series, SeriesAlert a) {
    return new AlertEvent(
        Fingerprint.of(ruleId, host, series),
        ruleId,
        host,
        series,
        "warning",
        AlertEvent.FIRING,
        Double.NaN,
        Double.NaN,
        a.startsAtMs(),
        0,
        "rule " + ruleId + " was deleted",
        a.retro(),
        "{}");
  }

  private void emit(Collector<AlertEvent> out, AlertEvent e) {
    transitions.inc();
    out.collect(e);
  }

  static String key(String ruleId, String series) {
    return ruleId + '\u0000' + series;
  }

  static String ruleOf(String key) {
    return key.substring(0, key.indexOf('\u0000'));
  }

  static String seriesOf(String key) {
    return key.substring(key.indexOf('\u0000') + 1);
  }
}
