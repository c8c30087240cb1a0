package io.sysmonstm.analytics.testing;

import io.sysmonstm.analytics.series.SeriesKey;
import io.sysmonstm.analytics.snapshot.HostFacts;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import java.time.Instant;
import java.util.Map;

/** Test data: snapshots at named instants. */
public final class Snapshots {
  /** An hour boundary, so minute and hour buckets are easy to name. */
  public static final Instant T0 = Instant.parse("2025-11-23T10:00:00Z");

  public static final String CPU = "system.cpu.utilization";
  public static final String MEM = "system.memory.utilization";

  private Snapshots() {}

  public static HostFacts facts(String host) {
    return new HostFacts(host + ".example", "Debian GNU/Linux 12", 8, 16_777_216_000L, "0.1.0");
  }

  public static Sample sample(String metric, double value) {
    return new Sample(metric, SeriesKey.NO_ATTRS, value);
  }

  public static Sample sample(String metric, Map<String, String> attrs, double value) {
    return new Sample(metric, SeriesKey.canonicalAttrs(attrs), value);
  }

  public static HostSnapshot snap(String host, Instant at, Sample... samples) {
    return snap(host, 1, at, samples);
  }

  public static HostSnapshot snap(String host, long seq, Instant at, Sample... samples) {
    return new HostSnapshot(host, "run-" + host, seq, at.toEpochMilli(), facts(host), samples);
  }

  /** A snapshot with the whole-machine CPU only. */
  public static HostSnapshot cpu(String host, Instant at, double value) {
    return snap(host, at, sample(CPU, value));
  }
}
