package io.sysmonstm.bench.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the simulated fleet looks like.
 *
 * @param hosts how many hosts
 * @param seriesPerHost series in each host's snapshot
 * @param interval time between two snapshots of a host (event time)
 * @param start event time of the first snapshot interval
 * @param seed values and per-host phases are a function of the seed
 * @param tag part of every host id ({@code sim-<tag>-00042}), so runs against a shared database can
 *     be told apart
 */
public record FleetSpec(
    int hosts, int seriesPerHost, Duration interval, Instant start, long seed, String tag) {

  public FleetSpec {
    if (hosts < 1) {
      throw new IllegalArgumentException("hosts must be positive, got " + hosts);
    }
    if (seriesPerHost < 1) {
      throw new IllegalArgumentException("seriesPerHost must be positive, got " + seriesPerHost);
    }
    Objects.requireNonNull(interval, "interval");
    if (interval.toMillis() < 1) {
      throw new IllegalArgumentException("interval must be at least 1ms, got " + interval);
    }
    Objects.requireNonNull(start, "start");
    if (start.toEpochMilli() <= 0) {
      throw new IllegalArgumentException("start must be after 1970, got " + start);
    }
    if (tag == null || !tag.matches("[a-z0-9]{1,16}")) {
      throw new IllegalArgumentException("tag must be 1-16 of [a-z0-9], got " + tag);
    }
  }

  /** Snapshots the whole fleet sends per second. */
  public double snapshotsPerSecond() {
    return hosts * 1000.0 / interval.toMillis();
  }

  /** Samples the whole fleet sends per second. */
  public double samplesPerSecond() {
    return snapshotsPerSecond() * seriesPerHost;
  }
}
