package io.sysmonstm.analytics.raw;

import static io.sysmonstm.analytics.testing.Snapshots.CPU;
import static io.sysmonstm.analytics.testing.Snapshots.MEM;
import static io.sysmonstm.analytics.testing.Snapshots.T0;
import static io.sysmonstm.analytics.testing.Snapshots.sample;
import static io.sysmonstm.analytics.testing.Snapshots.snap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sysmonstm.analytics.snapshot.Sample;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotRowsTest {
  static final String CPU0 = "{\"cpu\":\"0\"}";

  @Test
  void aSnapshotIsOneRowWithItsSeriesInOrder() {
    SnapshotRow row =
        SnapshotRows.of(
            snap(
                "web-1",
                T0,
                sample(CPU, 0.5),
                sample(CPU, Map.of("cpu", "0"), 0.25),
                sample(MEM, 0.75)));

    assertThat(row)
        .isEqualTo(
            new SnapshotRow(
                "web-1",
                T0.toEpochMilli(),
                new String[] {CPU, CPU, MEM},
                new String[] {"{}", CPU0, "{}"},
                new double[] {0.5, 0.25, 0.75}));
    assertThat(SnapshotRows.of(snap("web-1", T0)).size()).isZero();
  }

  @Test
  void aSeriesRepeatedInASnapshotKeepsItsLastValue() {
    SnapshotRow row =
        SnapshotRows.of(
            snap(
                "web-1",
                T0,
                sample(CPU, 0.1),
                sample(MEM, 0.5),
                sample(CPU, Map.of("cpu", "0"), 0.2),
                sample(CPU, 0.3),
                sample(CPU, 0.4)));

    assertThat(row.metrics()).containsExactly(CPU, MEM, CPU);
    assertThat(row.attrs()).containsExactly("{}", "{}", CPU0);
    assertThat(row.values()).containsExactly(0.4, 0.5, 0.2);
  }

  @Test
  void seriesWhoseHashesCollideAreStillDistinct() {
    // "Aa" and "BB" have the same String hash code
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    Sample[] samples = {new Sample("Aa", "{}", 1), new Sample("BB", "{}", 2)};

    assertThat(SnapshotRows.repeatsASeries(samples)).isFalse();
    assertThat(SnapshotRows.of(snap("web-1", T0, samples)).values()).containsExactly(1, 2);
    assertThat(
            SnapshotRows.repeatsASeries(
                new Sample[] {samples[0], samples[1], new Sample("Aa", "{}", 3)}))
        .isTrue();
  }

  @Test
  void theArraysMustBeParallel() {
    assertThatThrownBy(
            () ->
                new SnapshotRow(
                    "web-1", 1, new String[] {CPU}, new String[] {"{}"}, new double[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parallel");
  }
}
