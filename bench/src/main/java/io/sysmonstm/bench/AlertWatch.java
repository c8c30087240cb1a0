package io.sysmonstm.bench;

import io.sysmonstm.bench.alert.AlertLatencyBook;
import io.sysmonstm.bench.alert.AlertSubscriber;
import io.sysmonstm.bench.alert.BenchRules;
import io.sysmonstm.bench.fleet.BreachPlan;
import io.sysmonstm.bench.probe.PostgresCounts;
import io.sysmonstm.bench.report.BenchReport;
import io.sysmonstm.config.Durations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the alert transitions of an alert-latency run: books each one received on Redis against
 * the fleet's breach plan, then counts them in the alerts topic and table.
 */
final class AlertWatch {
  private static final Logger LOG = LoggerFactory.getLogger(AlertWatch.class);

  private final BenchConfig cfg;
  private final BenchKafka kafka;
  private final FleetSimulator sim;
  private final AlertSubscriber subscriber;
  private final AlertLatencyBook book;

  /**
   * @param start when the fleet started (latencies are booked from it)
   * @param subscriber the subscription to the alert channel, opened before the job started
   */
  AlertWatch(
      BenchConfig cfg,
      BenchKafka kafka,
      FleetSimulator sim,
      Instant start,
      AlertSubscriber subscriber) {
    this.cfg = cfg;
    this.kafka = kafka;
    this.sim = sim;
    this.subscriber = subscriber;
    this.book = book(cfg, sim, start);
  }

  /** The breaches of the plan as the job sees them, with the rules they must fire. */
  private static AlertLatencyBook book(BenchConfig cfg, FleetSimulator sim, Instant start) {
    List<AlertLatencyBook.Breach> breaches = new ArrayList<>();
    for (BreachPlan.Breach b : sim.breachPlan().all()) {
      breaches.add(
          new AlertLatencyBook.Breach(
              sim.hostId(b.host()),
              sim.timestampMs(b.host(), b.firstTick()),
              sim.timestampMs(b.host(), b.recoverTick())));
    }
    return new AlertLatencyBook(
        breaches,
        List.of(
            new AlertLatencyBook.TimedRule(BenchRules.INSTANT, 0),
            new AlertLatencyBook.TimedRule(
                BenchRules.SUSTAINED, cfg.breaches().sustainedFor().toMillis())),
        start.toEpochMilli());
  }

  /**
   * Books the alert events received; the last breach recovered before production stopped, so once
   * the job has read everything its events are due within the Redis sink's flush interval. Waits a
   * little for stragglers, then gives up (they count as missing).
   */
  void awaitTransitions() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    book.addAll(subscriber.drain());
    while (book.outstanding() > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
      book.addAll(subscriber.drain());
    }
    if (book.outstanding() > 0) {
      LOG.warn(
          "{} of {} alert transitions never arrived on Redis; reporting them as missing",
          book.outstanding(),
          book.expectedTransitions());
    }
  }

  /**
   * The alert figures of the run, once the job has read everything and committed: the transitions
   * received on Redis, in the alerts topic and in the {@code alerts} table ({@code hostPrefix}: the
   * run's hosts).
   */
  BenchReport.Alerts report(PostgresCounts counts, String hostPrefix) throws Exception {
    book.addAll(subscriber.drain());
    List<String> rules = List.of(BenchRules.INSTANT, BenchRules.SUSTAINED);
    long expected = book.expectedTransitions();
    // the sinks commit on the checkpoint that committed the last offsets; allow for stragglers
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    long inTopic = kafka.alertEvents(rules, hostPrefix, expected, deadline);
    long inTable = counts.alerts(rules);
    while (inTable < expected && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(200);
      inTable = counts.alerts(rules);
    }
    BenchConfig.Breaches b = cfg.breaches();
    BreachPlan plan = sim.breachPlan();
    String planText =
        String.format(
            java.util.Locale.ROOT,
            "hosts with index %% %d == 0 (%,d of %,d) send bench.breach = %.2f for %s, then %.2f"
                + " for %s, staggered over that cycle, first breach after %s",
            b.every(),
            plan.breachingHosts(),
            cfg.hosts(),
            FleetSimulator.BREACHING,
            Durations.format(b.duration()),
            FleetSimulator.CALM,
            Durations.format(b.pause()),
            Durations.format(b.warmup()));
    return new BenchReport.Alerts(
        "the built-in default rules + "
            + BenchRules.INSTANT
            + " (bench.breach > "
            + BenchRules.THRESHOLD
            + ", instant) + "
            + BenchRules.SUSTAINED
            + " (> "
            + BenchRules.THRESHOLD
            + " for "
            + Durations.format(b.sustainedFor())
            + "), both resolve <= "
            + BenchRules.RESOLVE,
        planText,
        Durations.format(cfg.checkpointInterval()),
        subscriber.received(),
        book.result(5),
        expected,
        inTopic,
        inTable,
        sim.maxSendDelayMs());
  }
}
