package io.sysmonstm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.bench.alert.AlertLatencyBook;
import io.sysmonstm.bench.alert.BenchRules;
import io.sysmonstm.bench.report.BenchReport;
import io.sysmonstm.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The alert-latency run, small: 20 hosts × 5 series for 40 s of wall-clock time, every other host
 * breaching for 12 s then calm for 8 s, the real job on a mini-cluster with its three alert sinks.
 * Checks that every breach gives exactly one firing and one resolved event per rule on Redis, in
 * the alerts topic and in the table, and that every latency is measured; it sets no timing
 * thresholds (the figures belong to the runs in the README).
 */
class AlertLatencyIT {

  @Test
  void everyBreachFiresAndResolvesOncePerRuleAndEachFiringIsTimed() throws Exception {
    BenchConfig cfg =
        BenchConfig.from(
            Settings.parse(
                new String[] {
                  "--mode", "alert-latency",
                  "--hosts", "20",
                  "--series", "5",
                  "--duration", "40s",
                  "--breach-every", "2",
                  "--breach-duration", "12s",
                  "--breach-pause", "8s",
                  "--warmup", "5s",
                  // a cold JVM: the IT checks the alert book, not figures (JobBenchmarkIT warms up)
                  "--warmup-drain", "0",
                  "--sustained-for", "5s",
                  "--partitions", "2",
                  "--checkpoint-interval", "2s",
                  "--timeout", "3m"
                },
                Map.of()));

    BenchReport report = JobBenchmark.run(cfg);

    assertThat(report.outcome().complete()).as(report.toText()).isTrue();
    assertThat(report.outcome().countsExact()).as(report.toText()).isTrue();
    BenchReport.Alerts alerts = report.alerts();
    AlertLatencyBook.Result book = alerts.book();
    // hosts 0, 2, …, 18 staggered over a 20 s cycle from 5 s: 15 breaches end inside 46 s
    assertThat(book.breaches()).isEqualTo(15);
    assertThat(book.rules())
        .extracting(AlertLatencyBook.RuleResult::rule)
        .containsExactly(BenchRules.INSTANT, BenchRules.SUSTAINED);
    for (AlertLatencyBook.RuleResult r : book.rules()) {
      assertThat(r.exact()).as(report.toText()).isTrue();
      assertThat(r.latency().count()).isEqualTo(15);
      assertThat(r.resolveLatency().count()).isEqualTo(15);
      assertThat(r.overFor().min())
          .as("an alert cannot come before its condition holds")
          .isPositive();
    }
    assertThat(book.rules().get(1).latency().min()).isGreaterThan(5_000);
    assertThat(book.unmatched()).isZero();
    assertThat(book.retro()).as("event time is the wall clock").isZero();
    assertThat(alerts.expectedTransitions()).isEqualTo(60);
    assertThat(alerts.kafkaTransitions()).isEqualTo(60);
    assertThat(alerts.tableTransitions()).isEqualTo(60);
    assertThat(alerts.received()).isGreaterThanOrEqualTo(60);
    assertThat(report.lag()).isNotNull();
    assertThat(report.toText()).contains("bench-breach-instant", "goal", "Verdict");
    assertThat(report.toJson()).contains("\"kafkaTransitions\" : 60");
  }
}
