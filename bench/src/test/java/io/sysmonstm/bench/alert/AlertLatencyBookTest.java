package io.sysmonstm.bench.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

class AlertLatencyBookTest {
  static final long T0 = 1_763_884_800_000L; // 2025-11-23T08:00:00Z, production start
  static final String INSTANT = "instant";
  static final String SUSTAINED = "sustained";
  static final List<AlertLatencyBook.TimedRule> RULES =
      List.of(
          new AlertLatencyBook.TimedRule(INSTANT, 0),
          new AlertLatencyBook.TimedRule(SUSTAINED, 10_000));

  // host a breaches twice (at 20 s and at 80 s), host b once (at 35 s); each breach lasts 30 s
  static final AlertLatencyBook.Breach A1 = breach("a", 20_000);
  static final AlertLatencyBook.Breach A2 = breach("a", 80_000);
  static final AlertLatencyBook.Breach B1 = breach("b", 35_000);

  static AlertLatencyBook.Breach breach(String host, long at) {
    return new AlertLatencyBook.Breach(host, T0 + at, T0 + at + 30_000);
  }

  static AlertLatencyBook book() {
    return new AlertLatencyBook(List.of(A1, A2, B1), RULES, T0);
  }

  static AlertLatencyBook.Received firing(
      String rule, AlertLatencyBook.Breach b, long startsAt, long received) {
    return new AlertLatencyBook.Received(
        received,
        "{\"type\":\"alert\",\"rule_id\":\""
            + rule
            + "\",\"host_id\":\""
            + b.hostId()
            + "\",\"series\":\"bench.breach\",\"state\":\"firing\",\"value\":0.95,"
            + "\"starts_at\":"
            + startsAt
            + ",\"ends_at\":null,\"retro\":false,\"labels\":{}}");
  }

  static AlertLatencyBook.Received resolved(
      String rule, AlertLatencyBook.Breach b, long startsAt, long received) {
    return new AlertLatencyBook.Received(
        received,
        "{\"type\":\"alert\",\"rule_id\":\""
            + rule
            + "\",\"host_id\":\""
            + b.hostId()
            + "\",\"series\":\"bench.breach\",\"state\":\"resolved\",\"value\":0.2,"
            + "\"starts_at\":"
            + startsAt
            + ",\"ends_at\":"
            + b.recoverMs()
            + ",\"retro\":false,\"labels\":{}}");
  }

  /** Every transition of {@code b}: instant after {@code instantMs}, sustained {@code overFor}. */
  static void alertsOf(
      AlertLatencyBook book, AlertLatencyBook.Breach b, long instantMs, long over) {
    long sustainedStart = b.firstMs() + 10_000;
    book.add(firing(INSTANT, b, b.firstMs(), b.firstMs() + instantMs));
    book.add(firing(SUSTAINED, b, sustainedStart, b.firstMs() + 10_000 + over));
    book.add(resolved(INSTANT, b, b.firstMs(), b.recoverMs() + 250));
    book.add(resolved(SUSTAINED, b, sustainedStart, b.recoverMs() + 260));
  }

  @Test
  void latencyRunsFromTheFirstBreachingSampleToTheEventOnRedis() {
    AlertLatencyBook book = book();
    alertsOf(book, A1, 300, 400);
    alertsOf(book, A2, 500, 700);
    alertsOf(book, B1, 200, 100);

    AlertLatencyBook.Result r = book.result(2);

    AlertLatencyBook.RuleResult instant = r.rules().get(0);
    assertThat(instant.rule()).isEqualTo(INSTANT);
    assertThat(instant.latency()).isEqualTo(new LatencyStats(3, 200, 300, 500, 500, 500));
    assertThat(instant.overFor()).isEqualTo(instant.latency());
    assertThat(instant.goalMs()).isEqualTo(1_000);
    assertThat(instant.pass()).isTrue();
    AlertLatencyBook.RuleResult sustained = r.rules().get(1);
    assertThat(sustained.latency())
        .isEqualTo(new LatencyStats(3, 10_100, 10_400, 10_700, 10_700, 10_700));
    assertThat(sustained.overFor()).isEqualTo(new LatencyStats(3, 100, 400, 700, 700, 700));
    assertThat(sustained.goalMs()).isEqualTo(11_000);
    assertThat(sustained.resolveLatency().max()).isEqualTo(260);
    assertThat(r.exact()).isTrue();
    assertThat(r.pass()).isTrue();
    assertThat(book.outstanding()).isZero();
    assertThat(r.slowest())
        .extracting(AlertLatencyBook.Slow::rule, AlertLatencyBook.Slow::overForMs)
        .containsExactly(tuple(SUSTAINED, 700L), tuple(INSTANT, 500L));
    assertThat(r.slowest().get(0).atSeconds()).isEqualTo(80.0);
    // conditions held at 20 s (a instant), 30 s (a sustained), 35 s, 45 s (b), 80 s, 90 s (a)
    assertThat(r.periods())
        .extracting(
            AlertLatencyBook.Period::fromSeconds, p -> p.overFor().count(), p -> p.overFor().max())
        .containsExactly(
            tuple(0.0, 1, 300L), tuple(30.0, 3, 400L), tuple(60.0, 1, 500L), tuple(90.0, 1, 700L));
  }

  @Test
  void anEventBelongsToTheBreachOfItsHostWhoseSpanHoldsItsStart() {
    AlertLatencyBook book = book();
    // host a's second breach only: the first one stays outstanding
    book.add(firing(INSTANT, A2, A2.firstMs(), A2.firstMs() + 450));

    AlertLatencyBook.Result r = book.result(5);

    AlertLatencyBook.RuleResult instant = r.rules().get(0);
    assertThat(instant.fired()).isEqualTo(1);
    assertThat(instant.latency().max()).isEqualTo(450);
    assertThat(instant.missingFirings()).isEqualTo(2);
    assertThat(instant.pass()).as("a breach without alert fails the goal").isFalse();
    assertThat(book.outstanding()).isEqualTo(3 * 2 * 2 - 1);
    assertThat(r.exact()).isFalse();
  }

  @Test
  void duplicatesFalseAlertsAndOtherRulesAreCountedApart() {
    AlertLatencyBook book = book();
    alertsOf(book, A1, 300, 300);
    alertsOf(book, A2, 300, 300);
    alertsOf(book, B1, 300, 300);
    // the same firing again (e.g. a replay): the latency stays that of the first
    book.add(firing(INSTANT, A1, A1.firstMs(), A1.firstMs() + 5_000));
    // host b between breaches, an unknown host: no breach to belong to
    book.add(firing(INSTANT, B1, B1.recoverMs() + 1_000, B1.recoverMs() + 1_200));
    book.add(firing(INSTANT, breach("c", 20_000), T0 + 20_000, T0 + 20_300));
    book.add(
        new AlertLatencyBook.Received(
            T0, "{\"rule_id\":\"pipeline-lag\",\"state\":\"firing\",\"starts_at\":1}"));
    book.add(new AlertLatencyBook.Received(T0, "not json"));

    AlertLatencyBook.Result r = book.result(5);

    AlertLatencyBook.RuleResult instant = r.rules().get(0);
    assertThat(instant.duplicateFirings()).isEqualTo(1);
    assertThat(instant.latency().max()).isEqualTo(300);
    assertThat(instant.exact()).isFalse();
    assertThat(r.rules().get(1).exact()).isTrue();
    assertThat(r.unmatched()).isEqualTo(2);
    assertThat(r.others()).containsEntry("pipeline-lag firing", 1L);
    assertThat(r.unreadable()).isEqualTo(1);
    assertThat(r.exact()).isFalse();
    assertThat(r.pass()).as("the goal is about latency").isTrue();
  }

  @Test
  void aP99AboveTheGoalFails() {
    AlertLatencyBook book = new AlertLatencyBook(List.of(A1), RULES, T0);
    alertsOf(book, A1, 1_001, 1_000);

    AlertLatencyBook.Result r = book.result(5);

    assertThat(r.rules().get(0).pass()).isFalse();
    assertThat(r.rules().get(1).pass()).as("10 s + 1,000 ms is within for + 1 s").isTrue();
    assertThat(r.exact()).isTrue();
    assertThat(r.pass()).isFalse();
  }

  @Test
  void retroEventsAreCounted() {
    AlertLatencyBook book = new AlertLatencyBook(List.of(A1), RULES, T0);
    book.add(
        new AlertLatencyBook.Received(
            A1.firstMs() + 100,
            firing(INSTANT, A1, A1.firstMs(), 0)
                .json()
                .replace("\"retro\":false", "\"retro\":true")));

    assertThat(book.result(5).retro()).isEqualTo(1);
    assertThat(book.result(5).exact()).isFalse();
  }
}
