package io.sysmonstm.analytics.sink.alert;

import io.sysmonstm.analytics.alert.AlertEvent;
import io.sysmonstm.analytics.testing.GatedSource;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.functions.FromElementsGeneratorFunction;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;

/** Alert events for the sink tests, at named instants. */
final class Alerts {
  static final Instant T0 = Instant.parse("2025-11-23T10:00:00Z");
  static final String CPU = "system.cpu.utilization";
  static final TypeInformation<AlertEvent> TYPE = TypeInformation.of(AlertEvent.class);

  private Alerts() {}

  static long at(int seconds) {
    return T0.plusSeconds(seconds).toEpochMilli();
  }

  /** A firing cpu-high alert of {@code host}, started at {@code T0 + startS}. */
  static AlertEvent firing(String fingerprint, String host, int startS) {
    return new AlertEvent(
        fingerprint,
        "cpu-high",
        host,
        CPU + "{\"cpu\":\"3\"}",
        "critical",
        AlertEvent.FIRING,
        0.95,
        0.9,
        at(startS),
        0,
        "CPU on " + host + " at 95%",
        false,
        "{\"team\":\"ops\"}");
  }

  /** A firing host-down alert: no series, no value, no threshold. */
  static AlertEvent hostDown(String fingerprint, String host, int startS) {
    return new AlertEvent(
        fingerprint,
        "host-down",
        host,
        "",
        "warning",
        AlertEvent.FIRING,
        Double.NaN,
        Double.NaN,
        at(startS),
        0,
        host + " is silent",
        false,
        "{}");
  }

  static AlertEvent resolved(AlertEvent firing, int endS) {
    return firing.resolvedAt(at(endS), 0.5, false);
  }

  static AlertEvent retro(AlertEvent e) {
    return new AlertEvent(
        e.fingerprint(),
        e.ruleId(),
        e.hostId(),
        e.series(),
        e.severity(),
        e.state(),
        e.value(),
        e.threshold(),
        e.startsAtMs(),
        e.endsAtMs(),
        e.summary(),
        true,
        e.labels());
  }

  static AlertEvent withSummary(AlertEvent e, String summary, double value) {
    return new AlertEvent(
        e.fingerprint(),
        e.ruleId(),
        e.hostId(),
        e.series(),
        e.severity(),
        e.state(),
        value,
        e.threshold(),
        e.startsAtMs(),
        e.endsAtMs(),
        summary,
        e.retro(),
        e.labels());
  }

  /**
   * A bounded source of {@code events} in order, {@code perCheckpoint} of them between two
   * completed checkpoints: every checkpoint falls between known events, whatever the machine's
   * speed.
   */
  static DataGeneratorSource<AlertEvent> pacedSource(List<AlertEvent> events, int perCheckpoint) {
    return new DataGeneratorSource<>(
        new FromElementsGeneratorFunction<>(TYPE, events.toArray(AlertEvent[]::new)),
        events.size(),
        RateLimiterStrategy.perCheckpoint(perCheckpoint),
        TYPE);
  }

  /**
   * A bounded source of {@code events} in order that stops before event {@code gateIndex} until
   * {@link #open} is called with {@code gate} (without blocking its task: checkpoints go on).
   */
  static DataGeneratorSource<AlertEvent> gatedSource(
      List<AlertEvent> events, int gateIndex, String gate) {
    return GatedSource.source(TYPE, events, gateIndex, gate);
  }

  static void open(String gate) {
    GatedSource.open(gate);
  }
}
