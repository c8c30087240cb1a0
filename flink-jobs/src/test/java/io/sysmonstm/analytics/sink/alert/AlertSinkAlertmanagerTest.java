package io.sysmonstm.analytics.sink.alert;

import static io.sysmonstm.analytics.sink.alert.Alerts.at;
import static io.sysmonstm.analytics.sink.alert.Alerts.firing;
import static io.sysmonstm.analytics.sink.alert.Alerts.hostDown;
import static io.sysmonstm.analytics.sink.alert.Alerts.resolved;
import static io.sysmonstm.analytics.sink.alert.Alerts.retro;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysmonstm.analytics.alert.AlertEvent;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Alertmanager writer against a fake Alertmanager that records what it receives: the payload,
 * retro events, re-sending of firing alerts, retries, the bound on waiting events and the state
 * that survives a restart.
 */
class AlertSinkAlertmanagerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(15);
  static final String DASHBOARD = "http://dashboard.example:8080/#alerts";

  FakeAlertmanager am;
  RecordingMetricGroup metrics;
  final List<AlertmanagerWriter> writers = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    am = new FakeAlertmanager();
    metrics = new RecordingMetricGroup();
  }

  @AfterEach
  void stop() throws Exception {
    for (AlertmanagerWriter w : writers) {
      w.close();
    }
    am.close();
  }

  AlertmanagerWriter writer(Duration resend, int maxPending, Collection<AlertmanagerState> state) {
    AlertmanagerWriter w =
        new AlertmanagerWriter(
            am.url(),
            resend.toMillis(),
            Optional.of(DASHBOARD),
            maxPending,
            metrics.writerGroup(),
            state);
    writers.add(w);
    return w;
  }

  AlertmanagerWriter writer(Duration resend) {
    return writer(resend, AlertmanagerSink.DEFAULT_MAX_PENDING, List.of());
  }

  static void write(AlertmanagerWriter w, AlertEvent... events) {
    for (AlertEvent e : events) {
      w.write(e, null);
    }
  }

  static Instant instant(JsonNode alert, String field) {
    return Instant.parse(alert.path(field).asText());
  }

  static String fp(JsonNode alert) {
    return alert.path("annotations").path("fingerprint").asText();
  }

  static boolean isResolvedAt(JsonNode alert, long endsAtMs) {
    return instant(alert, "endsAt").toEpochMilli() == endsAtMs;
  }

  @Test
  void firingAlertCarriesLabelsAnnotationsAndStaysValidForFourResendIntervals() throws Exception {
    Duration resend = Duration.ofMinutes(1);
    AlertmanagerWriter w = writer(resend);
    long before = System.currentTimeMillis();
    write(w, firing("fp-cpu", "web-1", 0), hostDown("fp-down", "db-1", 30));

    await().atMost(WAIT).until(() -> am.alerts().size() == 2);
    FakeAlertmanager.Request request = am.requests().get(0);
    assertThat(request.path()).isEqualTo("/api/v2/alerts");
    assertThat(request.contentType()).isEqualTo("application/json");

    JsonNode cpu = am.alerts("fp-cpu").get(0);
    assertThat(JSON.convertValue(cpu.get("labels"), Map.class))
        .isEqualTo(
            Map.of(
                "alertname", "cpu-high",
                "host", "web-1",
                "series", "system.cpu.utilization{\"cpu\":\"3\"}",
                "severity", "critical",
                "team", "ops"));
    assertThat(JSON.convertValue(cpu.get("annotations"), Map.class))
        .isEqualTo(Map.of("summary", "CPU on web-1 at 95%", "fingerprint", "fp-cpu"));
    assertThat(cpu.get("startsAt").asText()).isEqualTo("2025-11-23T10:00:00Z");
    long validity = 4 * resend.toMillis();
    assertThat(instant(cpu, "endsAt").toEpochMilli())
        .isBetween(before + validity, request.receivedAtMs() + validity);
    assertThat(cpu.get("generatorURL").asText()).isEqualTo(DASHBOARD);

    JsonNode down = am.alerts("fp-down").get(0);
    assertThat(JSON.convertValue(down.get("labels"), Map.class))
        .as("no series label for an alert without a series")
        .isEqualTo(Map.of("alertname", "host-down", "host", "db-1", "severity", "warning"));
    assertThat(down.get("startsAt").asText()).isEqualTo("2025-11-23T10:00:30Z");
  }

  @Test
  void resolvedAlertEndsAtItsEventTimeAfterItsFiring() {
    AlertmanagerWriter w = writer(Duration.ofMinutes(1));
    AlertEvent fire = firing("fp-a", "web-1", 0);
    write(w, fire);
    await().atMost(WAIT).until(() -> am.alerts("fp-a").size() == 1);
    write(w, resolved(fire, 300));

    await().atMost(WAIT).until(() -> am.alerts("fp-a").size() == 2);
    JsonNode end = am.alerts("fp-a").get(1);
    assertThat(end.get("startsAt").asText()).isEqualTo("2025-11-23T10:00:00Z");
    assertThat(end.get("endsAt").asText()).isEqualTo("2025-11-23T10:05:00Z");
    assertThat(metrics.gaugeValue("alertmanagerActiveAlerts")).isEqualTo(0);
  }

  @Test
  void retroEventsAreNeverSent() {
    AlertmanagerWriter w = writer(Duration.ofMillis(200));
    AlertEvent back = firing("fp-retro", "web-2", 0);
    write(
        w,
        retro(back),
        retro(resolved(back, 120)),
        retro(resolved(firing("fp-other", "web-3", 0), 60)),
        firing("fp-live", "web-1", 10));

    // the live alert is sent, then re-sent every 200 ms: the retro ones would come before
    await().atMost(WAIT).until(() -> am.alerts("fp-live").size() >= 3);
    assertThat(am.alerts())
        .extracting(AlertSinkAlertmanagerTest::fp)
        .containsOnly("fp-live")
        .hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void firingAlertsAreResentEveryIntervalUntilResolved() {
    Duration resend = Duration.ofMillis(300);
    AlertmanagerWriter w = writer(resend);
    AlertEvent a = firing("fp-a", "web-1", 0);
    write(w, a);

    await().atMost(WAIT).until(() -> am.alerts("fp-a").size() >= 4);
    // endsAt is the send time + 4 intervals: consecutive re-sends are an interval apart
    List<JsonNode> sentA = am.alerts("fp-a");
    for (int i = 2; i < sentA.size(); i++) { // re-sends, after the first send
      assertThat(
              instant(sentA.get(i), "endsAt").toEpochMilli()
                  - instant(sentA.get(i - 1), "endsAt").toEpochMilli())
          .as("re-sent once per interval, not more often")
          .isGreaterThanOrEqualTo(resend.toMillis());
    }
    assertThat(sentA).allSatisfy(x -> assertThat(x.get("startsAt").asText()).endsWith("10:00:00Z"));

    write(w, resolved(a, 90), firing("fp-b", "web-2", 60));
    await().atMost(WAIT).until(() -> am.alerts("fp-b").size() >= 3);
    List<JsonNode> afterResolve = am.alerts("fp-a");
    assertThat(isResolvedAt(afterResolve.get(afterResolve.size() - 1), at(90)))
        .as("the last alert of fp-a is its resolve, no re-send after it")
        .isTrue();
  }

  @Test
  void replayedTransitionsOfAnEarlierFiringDoNotTouchTheNewerOne() {
    AlertmanagerWriter w = writer(Duration.ofMillis(200));
    AlertEvent first = firing("fp-a", "web-1", 0);
    AlertEvent second = firing("fp-a", "web-1", 600);
    // the last two are replayed transitions of the first firing
    write(w, first, resolved(first, 300), second, resolved(first, 300), first);

    await()
        .atMost(WAIT)
        .until(() -> am.alerts("fp-a").stream().filter(x -> isStart(x, second)).count() >= 3);
    List<JsonNode> sent = am.alerts("fp-a");
    assertThat(sent.get(0).get("startsAt").asText()).isEqualTo("2025-11-23T10:00:00Z");
    assertThat(isResolvedAt(sent.get(1), at(300))).isTrue();
    assertThat(sent.subList(2, sent.size()))
        .as("after the second firing only it is sent, still firing")
        .allSatisfy(
            x -> {
              assertThat(isStart(x, second)).isTrue();
              assertThat(instant(x, "endsAt")).isAfter(Instant.now());
            });
  }

  static boolean isStart(JsonNode alert, AlertEvent e) {
    return instant(alert, "startsAt").toEpochMilli() == e.startsAtMs();
  }

  @Test
  void aRetroResolveOfASentAlertEndsIt() {
    AlertmanagerWriter w = writer(Duration.ofMillis(200));
    AlertEvent a = firing("fp-a", "web-1", 0);
    write(w, a, retro(resolved(a, 45)));

    await().atMost(WAIT).until(() -> am.alerts("fp-a").size() >= 2);
    assertThat(am.alerts("fp-a")).hasSize(2);
    assertThat(isResolvedAt(am.alerts("fp-a").get(1), at(45))).isTrue();
    assertThat(metrics.gaugeValue("alertmanagerActiveAlerts")).isEqualTo(0);
  }

  @Test
  void writerStateRestoresActiveAlertsAndUnsentEvents() throws Exception {
    Duration resend = Duration.ofHours(1); // no re-send within the test but the one on restore
    AlertmanagerWriter first = writer(resend);
    AlertEvent a = firing("fp-a", "web-1", 0);
    AlertEvent b = firing("fp-b", "web-2", 0);
    write(first, a, b, resolved(b, 60));
    await().atMost(WAIT).until(() -> am.alerts().size() == 3);
    am.down();
    AlertEvent c = firing("fp-c", "web-3", 120);
    write(first, c);
    await().atMost(WAIT).until(() -> metrics.count("alertmanagerFailedRequests") >= 1);

    AlertmanagerStateSerializer serializer = new AlertmanagerStateSerializer();
    byte[] bytes = serializer.serialize(first.snapshotState(1).get(0));
    first.close();
    AlertmanagerState restored = serializer.deserialize(serializer.getVersion(), bytes);
    assertThat(restored.active()).containsExactly(a, c);
    assertThat(restored.pending()).containsExactly(c);

    int before = am.requests().size();
    am.up();
    long restart = System.currentTimeMillis();
    writer(resend, AlertmanagerSink.DEFAULT_MAX_PENDING, List.of(restored));
    await().atMost(WAIT).until(() -> am.requests().size() > before);
    List<JsonNode> afterRestart =
        am.requests().subList(before, am.requests().size()).stream()
            .flatMap(r -> r.alerts().stream())
            .toList();
    assertThat(afterRestart)
        .extracting(AlertSinkAlertmanagerTest::fp)
        .containsExactly("fp-c", "fp-a");
    assertThat(afterRestart)
        .allSatisfy(
            x ->
                assertThat(instant(x, "endsAt").toEpochMilli())
                    .as("still firing for 4 resend intervals")
                    .isGreaterThanOrEqualTo(restart + 4 * resend.toMillis()));
  }

  @Test
  void failedRequestsAreRetriedWithoutLosingOrReorderingEvents() {
    am.failNext(3, 503);
    AlertmanagerWriter w = writer(Duration.ofHours(1));
    AlertEvent a = firing("fp-a", "web-1", 0);
    AlertEvent b = firing("fp-b", "web-2", 10);
    List<AlertEvent> events =
        List.of(a, resolved(a, 20), b, resolved(b, 30), firing("fp-c", "c", 40));
    events.forEach(e -> w.write(e, null));

    await().atMost(WAIT).until(() -> am.alerts().size() >= 5);
    assertThat(am.alerts())
        .extracting(x -> fp(x) + "@" + instant(x, "endsAt").toEpochMilli())
        .containsExactly(
            "fp-a@" + instant(am.alerts().get(0), "endsAt").toEpochMilli(),
            "fp-a@" + at(20),
            "fp-b@" + instant(am.alerts().get(2), "endsAt").toEpochMilli(),
            "fp-b@" + at(30),
            "fp-c@" + instant(am.alerts().get(4), "endsAt").toEpochMilli());
    assertThat(metrics.count("alertmanagerFailedRequests")).isEqualTo(3);
    assertThat(metrics.count("alertmanagerDropped")).isZero();
  }

  @Test
  void alertsAlertmanagerRefusesAreDroppedNotRetried() {
    am.failNext(1, 400);
    AlertmanagerWriter w = writer(Duration.ofHours(1));
    write(w, firing("fp-bad", "web-1", 0));
    await().atMost(WAIT).until(() -> am.failuresLeft() == 0);
    write(w, firing("fp-good", "web-2", 0));

    await().atMost(WAIT).until(() -> am.alerts("fp-good").size() == 1);
    assertThat(am.alerts()).extracting(AlertSinkAlertmanagerTest::fp).containsExactly("fp-good");
    assertThat(metrics.count("alertmanagerDropped")).isEqualTo(1);
  }

  @Test
  void eventsWaitingForAnAbsentAlertmanagerAreBoundedDroppingTheOldest() throws Exception {
    am.down();
    AlertmanagerWriter w = writer(Duration.ofHours(1), 3, List.of());
    List<AlertEvent> ends = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      ends.add(resolved(firing("fp-" + i, "web-" + i, 0), 60));
    }
    ends.forEach(e -> w.write(e, null));

    await().atMost(WAIT).until(() -> metrics.count("alertmanagerDropped") == 2);
    assertThat(w.snapshotState(1).get(0).pending()).containsExactlyElementsOf(ends.subList(2, 5));
    am.up();
    await().atMost(WAIT).until(() -> am.alerts().size() >= 3);
    assertThat(am.alerts())
        .extracting(AlertSinkAlertmanagerTest::fp)
        .containsExactly("fp-3", "fp-4", "fp-5");
  }

  @Test
  void stateSerializerKeepsEveryFieldIncludingNaN() throws Exception {
    AlertEvent down = hostDown("fp-down", "hôst-ü", 5);
    AlertEvent cpu = firing("fp-cpu", "web-1", 0);
    AlertmanagerState state =
        new AlertmanagerState(List.of(down, cpu), List.of(cpu, retro(resolved(down, 99))));
    AlertmanagerStateSerializer s = new AlertmanagerStateSerializer();

    AlertmanagerState back = s.deserialize(s.getVersion(), s.serialize(state));
    assertThat(back).isEqualTo(state);
    assertThat(back.active().get(0).value()).isNaN();
    assertThatThrownBy(() -> s.deserialize(s.getVersion() + 1, s.serialize(state)))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> s.deserialize(s.getVersion(), new byte[] {0, 0, 0, 1, 0}))
        .isInstanceOf(IOException.class);
  }
}
