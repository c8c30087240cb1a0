package io.sysmonstm.ingress.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.sysmonstm.proto.v1.HostFacts;
import io.sysmonstm.proto.v1.MetricBatch;
import io.sysmonstm.proto.v1.Sample;
import io.sysmonstm.proto.v1.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchValidatorTest {
  private static final Instant T0 = Instant.parse("2025-11-23T08:00:00Z");
  private static final long NOW = T0.toEpochMilli();
  private static final BatchLimits DEFAULTS =
      new BatchLimits(Duration.ofMinutes(5), Duration.ofDays(7), 20_000, 16, 256);

  private final BatchValidator validator =
      new BatchValidator(DEFAULTS, Clock.fixed(T0, ZoneOffset.UTC));

  private static Sample.Builder sample(String metric, double value) {
    return Sample.newBuilder().setMetric(metric).setValue(value);
  }

  private static MetricBatch.Builder batch() {
    return MetricBatch.newBuilder()
        .setHostId("web-1.example.com")
        .setRunId("0b6f2a4e-3c59-4d7e-9a51-2f0c8e7d1a11")
        .setSeq(1)
        .setFacts(HostFacts.newBuilder().setHostname("web-1").setOs("Linux").setCores(8))
        .addSnapshots(
            Snapshot.newBuilder()
                .setTimestampMs(NOW)
                .addSamples(sample("system.cpu.utilization", 0.5))
                .addSamples(sample("system.cpu.utilization", 0.4).putAttributes("cpu", "0")));
  }

  /** The batch with its first snapshot's sample {@code i} changed. */
  private static MetricBatch withSample(int i, UnaryOperator<Sample.Builder> change) {
    MetricBatch.Builder b = batch();
    Snapshot.Builder s = b.getSnapshotsBuilder(0);
    while (s.getSamplesCount() <= i) {
      s.addSamples(sample("system.memory.utilization", 0.3));
    }
    s.setSamples(i, change.apply(s.getSamples(i).toBuilder()));
    return b.build();
  }

  private static MetricBatch withTimestamp(long ts) {
    MetricBatch.Builder b = batch();
    b.addSnapshots(
        Snapshot.newBuilder().setTimestampMs(NOW).addSamples(sample("system.uptime", 1)));
    b.addSnapshots(Snapshot.newBuilder().setTimestampMs(ts).addSamples(sample("system.uptime", 2)));
    return b.build();
  }

  private Optional<String> check(MetricBatch b) {
    return validator.validate(b);
  }

  @Test
  void aValidBatchPasses() {
    assertThat(check(batch().build())).isEmpty();
  }

  @Test
  void hostIdWithASpaceIsRefusedWithThePattern() {
    assertThat(check(batch().setHostId("a b").build()))
        .hasValue("host_id 'a b' does not match ^[A-Za-z0-9._-]{1,253}$");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "web/1", "web:1", "wéb", "web\n1", "web 1"})
  void hostIdOutsideThePatternIsRefused(String hostId) {
    assertThat(check(batch().setHostId(hostId).build()))
        .hasValueSatisfying(m -> assertThat(m).startsWith("host_id '").contains("does not match"));
  }

  @Test
  void hostIdOfEveryAllowedCharacterAndUpTo253CharactersPasses() {
    assertThat(check(batch().setHostId("AZaz09._-").build())).isEmpty();
    assertThat(check(batch().setHostId("h".repeat(253)).build())).isEmpty();
  }

  @Test
  void hostIdOf254CharactersIsRefusedAndQuotedShort() {
    Optional<String> problem = check(batch().setHostId("h".repeat(254)).build());
    assertThat(problem)
        .hasValue("host_id '" + "h".repeat(64) + "...' does not match ^[A-Za-z0-9._-]{1,253}$");
  }

  @Test
  void controlCharactersInQuotedTextAreMasked() {
    assertThat(check(batch().setHostId("web\n1").build()))
        .hasValue("host_id 'web?1' does not match ^[A-Za-z0-9._-]{1,253}$");
  }

  @Test
  void emptyRunIdIsRefused() {
    assertThat(check(batch().setRunId("").build())).hasValue("run_id is empty");
  }

  @Test
  void runIdLongerThan128IsRefused() {
    assertThat(check(batch().setRunId("r".repeat(128)).build())).isEmpty();
    assertThat(check(batch().setRunId("r".repeat(129)).build()))
        .hasValue("run_id is longer than 128 characters");
  }

  @Test
  void seqZeroIsRefusedAndOneIsTheFirst() {
    assertThat(check(batch().setSeq(0).build())).hasValue("seq must be >= 1");
    assertThat(check(batch().setSeq(1).build())).isEmpty();
    // uint64 above Long.MAX_VALUE arrives as a negative long and is still a valid seq
    assertThat(check(batch().setSeq(-1).build())).isEmpty();
  }

  @Test
  void batchWithoutSnapshotsIsRefused() {
    assertThat(check(batch().clearSnapshots().build())).hasValue("no snapshots");
  }

  @Test
  void sampleCountIsBoundedAcrossSnapshots() {
    MetricBatch.Builder b = batch().clearSnapshots();
    Snapshot.Builder first = Snapshot.newBuilder().setTimestampMs(NOW);
    Snapshot.Builder second = Snapshot.newBuilder().setTimestampMs(NOW);
    for (int i = 0; i < 10_000; i++) {
      first.addSamples(sample("system.uptime", i));
      second.addSamples(sample("system.uptime", i));
    }
    b.addSnapshots(first).addSnapshots(second);
    assertThat(check(b.build())).isEmpty();
    b.getSnapshotsBuilder(1).addSamples(sample("system.uptime", 1));
    assertThat(check(b.build())).hasValue("batch has 20001 samples (max 20000)");
  }

  @Test
  void timestampUpToTheFutureSkewPassesOneMillisecondMoreIsRefused() {
    long max = Duration.ofMinutes(5).toMillis();
    assertThat(check(withTimestamp(NOW + max))).isEmpty();
    assertThat(check(withTimestamp(NOW + max + 1)))
        .hasValue(
            "snapshots[2].timestamp_ms " + (NOW + max + 1) + " is 5m1ms in the future (max 5m)");
  }

  @Test
  void timestampHoursAheadNamesHowFar() {
    long ts = NOW + Duration.ofHours(3).toMillis();
    assertThat(check(withTimestamp(ts)))
        .hasValue("snapshots[2].timestamp_ms " + ts + " is 3h in the future (max 5m)");
  }

  @Test
  void timestampUpToMaxAgePassesOneMillisecondOlderIsRefused() {
    long max = Duration.ofDays(7).toMillis();
    assertThat(check(withTimestamp(NOW - max))).isEmpty();
    assertThat(check(withTimestamp(NOW - max - 1)))
        .hasValue("snapshots[2].timestamp_ms " + (NOW - max - 1) + " is 7d1ms old (max 7d)");
  }

  @Test
  void absurdTimestampsDoNotOverflow() {
    assertThat(check(withTimestamp(Long.MAX_VALUE)))
        .hasValueSatisfying(m -> assertThat(m).contains("in the future (max 5m)"));
    assertThat(check(withTimestamp(Long.MIN_VALUE)))
        .hasValueSatisfying(m -> assertThat(m).contains("old (max 7d)"));
    assertThat(check(withTimestamp(0)))
        .hasValueSatisfying(m -> assertThat(m).startsWith("snapshots[2].timestamp_ms 0 is "));
  }

  @Test
  void futureSkewZeroAcceptsExactlyNow() {
    BatchValidator strict =
        new BatchValidator(
            new BatchLimits(Duration.ZERO, Duration.ofDays(7), 10, 16, 256),
            Clock.fixed(T0, ZoneOffset.UTC));
    assertThat(strict.validate(withTimestamp(NOW))).isEmpty();
    assertThat(strict.validate(withTimestamp(NOW + 1)))
        .hasValue("snapshots[2].timestamp_ms " + (NOW + 1) + " is 1ms in the future (max 0s)");
  }

  @ParameterizedTest
  @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void nonFiniteValuesAreRefusedNamingTheMetric(double value) {
    assertThat(check(withSample(3, s -> s.setMetric("system.cpu.utilization").setValue(value))))
        .hasValue("snapshots[0].samples[3].value is " + value + " (metric system.cpu.utilization)");
  }

  @Test
  void nanReadsAsInTheContract() {
    assertThat(
            check(withSample(3, s -> s.setMetric("system.cpu.utilization").setValue(Double.NaN))))
        .hasValue("snapshots[0].samples[3].value is NaN (metric system.cpu.utilization)");
  }

  @Test
  void extremeFiniteValuesPass() {
    assertThat(check(withSample(0, s -> s.setValue(Double.MAX_VALUE)))).isEmpty();
    assertThat(check(withSample(0, s -> s.setValue(-Double.MAX_VALUE)))).isEmpty();
    assertThat(check(withSample(0, s -> s.setValue(Double.MIN_VALUE)))).isEmpty();
  }

  @Test
  void emptyMetricIsRefused() {
    assertThat(check(withSample(1, s -> s.setMetric(""))))
        .hasValue("snapshots[0].samples[1].metric is empty");
  }

  @Test
  void metricOf255CharactersPasses256IsRefused() {
    assertThat(check(withSample(0, s -> s.setMetric("m".repeat(255))))).isEmpty();
    assertThat(check(withSample(0, s -> s.setMetric("m".repeat(256)))))
        .hasValue("snapshots[0].samples[0].metric is longer than 255 characters");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"System.cpu", "1cpu", ".cpu", "_cpu", "system-cpu", "system cpu", "cpu{}"})
  void metricOutsideThePatternIsRefused(String metric) {
    assertThat(check(withSample(0, s -> s.setMetric(metric))))
        .hasValue(
            "snapshots[0].samples[0].metric '" + metric + "' does not match ^[a-z][a-z0-9_.]*$");
  }

  @Test
  void metricOfEveryAllowedCharacterPasses() {
    assertThat(check(withSample(0, s -> s.setMetric("system.cpu.load_average.15m")))).isEmpty();
    assertThat(check(withSample(0, s -> s.setMetric("a")))).isEmpty();
  }

  @Test
  void sixteenAttributesPassSeventeenAreRefused() {
    UnaryOperator<Sample.Builder> sixteen =
        s -> {
          for (int i = 0; i < 16; i++) {
            s.putAttributes("k" + i, "v");
          }
          return s.setMetric("system.disk.io.rate");
        };
    assertThat(check(withSample(0, sixteen))).isEmpty();
    assertThat(check(withSample(0, s -> sixteen.apply(s).putAttributes("k16", "v"))))
        .hasValue("snapshots[0].samples[0] has 17 attributes (max 16, metric system.disk.io.rate)");
  }

  @Test
  void attributeKeyAndValueUpTo256CharactersPass() {
    assertThat(check(withSample(0, s -> s.putAttributes("k".repeat(256), "v".repeat(256)))))
        .isEmpty();
  }

  @Test
  void attributeKeyLongerThanTheLimitIsRefused() {
    assertThat(
            check(
                withSample(
                    0,
                    s ->
                        s.setMetric("system.cpu.utilization").putAttributes("k".repeat(257), "v"))))
        .hasValue(
            "snapshots[0].samples[0].attributes key '"
                + "k".repeat(64)
                + "...' is longer than 256 characters (metric system.cpu.utilization)");
  }

  @Test
  void attributeValueLongerThanTheLimitIsRefused() {
    assertThat(
            check(
                withSample(
                    0,
                    s ->
                        s.setMetric("system.disk.io.rate")
                            .putAttributes("device", "v".repeat(257)))))
        .hasValue(
            "snapshots[0].samples[0].attributes['device'] is longer than 256 characters"
                + " (metric system.disk.io.rate)");
  }

  @Test
  void emptyAttributeKeyIsRefused() {
    assertThat(check(withSample(0, s -> s.setMetric("system.uptime").putAttributes("", "x"))))
        .hasValue("snapshots[0].samples[0].attributes has an empty key (metric system.uptime)");
  }

  @Test
  void hostFactsAreBounded() {
    String longText = "x".repeat(257);
    assertThat(check(batch().setFacts(HostFacts.newBuilder().setHostname("x".repeat(256))).build()))
        .isEmpty();
    assertThat(check(batch().setFacts(HostFacts.newBuilder().setHostname(longText)).build()))
        .hasValue("facts.hostname is longer than 256 characters");
    assertThat(check(batch().setFacts(HostFacts.newBuilder().setOs(longText)).build()))
        .hasValue("facts.os is longer than 256 characters");
    assertThat(
            check(batch().setFacts(HostFacts.newBuilder().setCollectorVersion(longText)).build()))
        .hasValue("facts.collector_version is longer than 256 characters");
    assertThat(check(batch().setFacts(HostFacts.newBuilder().setCores(-1)).build()))
        .hasValue("facts.cores -1 is negative");
    assertThat(check(batch().setFacts(HostFacts.newBuilder().setMemoryTotalBytes(-5)).build()))
        .hasValue("facts.memory_total_bytes -5 is negative");
  }

  @Test
  void theFirstProblemInBatchOrderIsReported() {
    MetricBatch b =
        batch()
            .addSnapshots(
                Snapshot.newBuilder()
                    .setTimestampMs(NOW)
                    .addSamples(sample("system.uptime", 1))
                    .addSamples(sample("system.uptime", Double.NaN))
                    .addSamples(sample("", 1)))
            .addSnapshots(Snapshot.newBuilder().setTimestampMs(NOW + 3_600_000))
            .build();
    assertThat(check(b)).hasValue("snapshots[1].samples[1].value is NaN (metric system.uptime)");
    assertThat(check(b.toBuilder().setSeq(0).build())).hasValue("seq must be >= 1");
  }
}
