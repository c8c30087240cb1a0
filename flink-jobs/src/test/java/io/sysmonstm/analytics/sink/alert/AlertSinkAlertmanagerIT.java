package io.sysmonstm.analytics.sink.alert;

import static io.sysmonstm.analytics.sink.alert.Alerts.firing;
import static io.sysmonstm.analytics.sink.alert.Alerts.hostDown;
import static io.sysmonstm.analytics.sink.alert.Alerts.resolved;
import static io.sysmonstm.analytics.sink.alert.Alerts.retro;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sysmonstm.analytics.alert.AlertEvent;
import io.sysmonstm.analytics.testing.TestFlink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Alertmanager sink in a job on a mini-cluster, against a fake Alertmanager (outside our
 * system) that records what it receives.
 */
class AlertSinkAlertmanagerIT {
  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = TestFlink.cluster(2, METRICS);

  static final Duration WAIT = Duration.ofSeconds(30);

  FakeAlertmanager am;

  @BeforeEach
  void start() throws Exception {
    am = new FakeAlertmanager();
  }

  @AfterEach
  void stop() {
    am.close();
  }

  static StreamExecutionEnvironment env(Configuration conf) {
    return TestFlink.env(conf, 1);
  }

  /** Events the job's Alertmanager writer saw accepted (current attempt and earlier ones). */
  static long sent(JobClient job) {
    String jobId = job.getJobID().toString();
    return METRICS.getMetricsByGroup().entrySet().stream()
        .filter(g -> jobId.equals(g.getKey().getAllVariables().get("<job_id>")))
        .flatMap(g -> g.getValue().entrySet().stream())
        .filter(m -> m.getKey().equals("numRecordsSend") && m.getValue() instanceof Counter)
        .mapToLong(m -> ((Counter) m.getValue()).getCount())
        .sum();
  }

  static String fp(JsonNode alert) {
    return alert.path("annotations").path("fingerprint").asText();
  }

  @Test
  void aJobSendsItsLiveTransitionsInOrderAndNoRetroOnes() throws Exception {
    AlertEvent cpu = firing("fp-cpu", "web-1", 0);
    AlertEvent down = hostDown("fp-down", "db-1", 30);
    AlertEvent late = firing("fp-late", "web-9", 0);
    List<AlertEvent> events =
        List.of(cpu, retro(late), down, retro(resolved(late, 30)), resolved(cpu, 300));
    StreamExecutionEnvironment env = env(new Configuration());
    env.fromData(events, Alerts.TYPE)
        .sinkTo(new AlertmanagerSink(am.url()))
        .name("alerts-alertmanager")
        .setParallelism(1);
    env.execute("alerts-to-alertmanager");

    // the end of the input waits for Alertmanager to accept what is pending
    List<JsonNode> alerts = am.alerts();
    assertThat(alerts)
        .extracting(AlertSinkAlertmanagerIT::fp)
        .containsExactly("fp-cpu", "fp-down", "fp-cpu");
    assertThat(alerts.get(2).get("endsAt").asText()).isEqualTo("2025-11-23T10:05:00Z");
    assertThat(Instant.parse(alerts.get(1).get("endsAt").asText()))
        .as("firing: valid for 4 resend intervals of 1 min")
        .isAfter(Instant.now().plus(Duration.ofMinutes(3)));
  }

  @Test
  void afterARestartTheRestoredWriterResendsTheFiringAlertsAtOnce() throws Exception {
    AlertEvent cpu = firing("fp-cpu", "web-1", 0);
    List<AlertEvent> events = new ArrayList<>();
    events.add(cpu);
    // then only retro events: nothing else is sent, and the replay does not repeat fp-cpu
    for (int i = 0; i < 10; i++) {
      events.add(retro(firing("fp-backfill-" + i, "web-2", i)));
    }
    String job = UUID.randomUUID().toString();
    Configuration conf = TestFlink.restarting(3, Duration.ofMillis(100));
    StreamExecutionEnvironment env = env(conf);
    env.enableCheckpointing(100);
    env.fromSource(Alerts.gatedSource(events, 1, job), WatermarkStrategy.noWatermarks(), "alerts")
        .map(new FailOnceAfterCheckpoint(job, 3))
        .sinkTo(new AlertmanagerSink(am.url(), Duration.ofHours(1), Optional.empty()))
        .name("alerts-alertmanager");
    JobClient client = env.executeAsync("alerts-to-alertmanager-with-a-failure");

    // fp-cpu is sent and accepted, then a checkpoint keeps it as active (and not as pending);
    // then the task fails in the next events
    await().atMost(WAIT).until(() -> am.alerts("fp-cpu").size() == 1);
    await().atMost(WAIT).until(() -> sent(client) == 1);
    FailOnceAfterCheckpoint.armAfter(job, System.currentTimeMillis());
    await().atMost(WAIT).until(() -> FailOnceAfterCheckpoint.armed(job));
    Alerts.open(job);
    client.getJobExecutionResult().get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(FailOnceAfterCheckpoint.failed(job)).as("the failure happened").isTrue();
    // the restored writer sends it again at once (the resend interval is 1 h)
    assertThat(am.alerts())
        .extracting(AlertSinkAlertmanagerIT::fp)
        .containsExactly("fp-cpu", "fp-cpu");
  }

  @Test
  void theSinkRefusesToRunWithParallelismAboveOne() {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = env(conf);
    env.fromData(List.of(firing("fp-cpu", "web-1", 0)), Alerts.TYPE)
        .sinkTo(new AlertmanagerSink(am.url()))
        .setParallelism(2);

    assertThatThrownBy(() -> env.execute("alerts-to-alertmanager-twice"))
        .satisfies(
            e ->
                assertThat(ExceptionUtils.findThrowableWithMessage(e, "parallelism 1"))
                    .isPresent());
    assertThat(am.alerts()).isEmpty();
  }
}
