package io.sysmonstm.analytics.rollup;

import io.sysmonstm.analytics.snapshot.HostFacts;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.analytics.snapshot.Sample;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Snapshots of one host inside one minute window, in arrival order, in a compact columnar form:
 * what {@link MinuteBatches} hands to the minute window so that the window's accumulator is read
 * and written once per batch instead of once per snapshot. The window adds the snapshots one by one
 * in the order they arrived ({@link HostWindow#add(MinuteBatch)}), so its statistics,
 * floating-point sums included, are the same as if they had come one at a time.
 *
 * <p>A Flink POJO (no Kryo). Series keys, metric names, attrs, run ids and facts are held once per
 * batch, not per sample.
 */
public class MinuteBatch {
  /** The host. */
  public String hostId;

  /** Distinct series keys, in the order first seen; {@link #metrics} and {@link #attrs} align. */
  public String[] keys;

  public String[] metrics;
  public String[] attrs;

  /** Per snapshot: event time, batch sequence number, run id, facts. */
  public long[] timestamps;

  public long[] seqs;
  public String[] runIds;
  public HostFacts[] facts;

  /** Per snapshot: end (exclusive) of its samples in {@link #seriesIndex} and {@link #values}. */
  public int[] sampleEnds;

  /** Per sample: index into {@link #keys}. */
  public int[] seriesIndex;

  /** Per sample: the value. */
  public double[] values;

  /** For Flink's POJO serializer. */
  public MinuteBatch() {}

  /** A batch of no snapshot: closes a host's window whose snapshots all went before. */
  public static MinuteBatch empty(String hostId) {
    return new Builder(hostId).build();
  }

  /** A batch of one snapshot. */
  public static MinuteBatch of(HostSnapshot s) {
    return new Builder(s.hostId()).add(s).build();
  }

  /** Number of snapshots. */
  public int size() {
    return timestamps.length;
  }

  /** The newest event time in the batch. */
  public long maxTimestamp() {
    long max = Long.MIN_VALUE;
    for (long t : timestamps) {
      max = Math.max(max, t);
    }
    return max;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MinuteBatch b
        && Objects.equals(hostId, b.hostId)
        && Arrays.equals(keys, b.keys)
        && Arrays.equals(metrics, b.metrics)
        && Arrays.equals(attrs, b.attrs)
        && Arrays.equals(timestamps, b.timestamps)
        && Arrays.equals(seqs, b.seqs)
        && Arrays.equals(runIds, b.runIds)
        && Arrays.equals(facts, b.facts)
        && Arrays.equals(sampleEnds, b.sampleEnds)
        && Arrays.equals(seriesIndex, b.seriesIndex)
        && Arrays.equals(values, b.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(hostId, Arrays.hashCode(timestamps), Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return "MinuteBatch[hostId=" + hostId + ", snapshots=" + Arrays.toString(timestamps) + "]";
  }

  /** Collects one host's snapshots (of one window) into a batch. */
  public static final class Builder {
    private final String hostId;
    private final Map<String, Integer> index = new HashMap<>();
    private String[] keys = new String[24];
    private String[] metrics = new String[24];
    private String[] attrs = new String[24];
    private int keyCount;
    private long[] timestamps = new long[4];
    private long[] seqs = new long[4];
    private String[] runIds = new String[4];
    private HostFacts[] facts = new HostFacts[4];
    private int[] sampleEnds = new int[4];
    private int snapshots;
    private int[] seriesIndex = new int[64];
    private double[] values = new double[64];
    private int samples;
    private long maxTimestamp = Long.MIN_VALUE;

    public Builder(String hostId) {
      this.hostId = Objects.requireNonNull(hostId, "hostId");
    }

    /** Appends {@code s} (a snapshot of this builder's host). */
    public Builder add(HostSnapshot s) {
      Sample[] ss = s.samples();
      startSnapshot(s.hostId(), s.timestampMs(), s.seq(), s.runId(), s.facts(), ss.length);
      for (Sample sample : ss) {
        seriesIndex[samples] = keyOf(sample.seriesKey(), sample.metric(), sample.attrs());
        values[samples] = sample.value();
        samples++;
      }
      sampleEnds[snapshots++] = samples;
      return this;
    }

    /** Appends every snapshot of {@code b} (a batch of this builder's host), in its order. */
    public Builder addAll(MinuteBatch b) {
      int[] keyMap = new int[b.keys.length];
      for (int i = 0; i < keyMap.length; i++) {
        keyMap[i] = keyOf(b.keys[i], b.metrics[i], b.attrs[i]);
      }
      int sample = 0;
      for (int j = 0; j < b.timestamps.length; j++) {
        int end = b.sampleEnds[j];
        startSnapshot(b.hostId, b.timestamps[j], b.seqs[j], b.runIds[j], b.facts[j], end - sample);
        for (; sample < end; sample++) {
          seriesIndex[samples] = keyMap[b.seriesIndex[sample]];
          values[samples] = b.values[sample];
          samples++;
        }
        sampleEnds[snapshots++] = samples;
      }
      return this;
    }

    private void startSnapshot(
        String host, long ts, long seq, String runId, HostFacts f, int sampleCount) {
      if (!hostId.equals(host)) {
        throw new IllegalArgumentException(
            "snapshot of host " + host + " added to the batch of host " + hostId);
      }
      if (snapshots == timestamps.length) {
        int n = snapshots * 2;
        timestamps = Arrays.copyOf(timestamps, n);
        seqs = Arrays.copyOf(seqs, n);
        runIds = Arrays.copyOf(runIds, n);
        facts = Arrays.copyOf(facts, n);
        sampleEnds = Arrays.copyOf(sampleEnds, n);
      }
      timestamps[snapshots] = ts;
      seqs[snapshots] = seq;
      // consecutive snapshots nearly always share these: keep one instance
      if (snapshots > 0) {
        if (runId.equals(runIds[snapshots - 1])) {
          runId = runIds[snapshots - 1];
        }
        if (f.equals(facts[snapshots - 1])) {
          f = facts[snapshots - 1];
        }
      }
      runIds[snapshots] = runId;
      facts[snapshots] = f;
      if (samples + sampleCount > values.length) {
        int n = Math.max(values.length * 2, samples + sampleCount);
        seriesIndex = Arrays.copyOf(seriesIndex, n);
        values = Arrays.copyOf(values, n);
      }
      maxTimestamp = Math.max(maxTimestamp, ts);
    }

    private int keyOf(String key, String metric, String attr) {
      Integer i = index.get(key);
      if (i != null) {
        return i;
      }
      if (keyCount == keys.length) {
        keys = Arrays.copyOf(keys, keyCount * 2);
        metrics = Arrays.copyOf(metrics, keyCount * 2);
        attrs = Arrays.copyOf(attrs, keyCount * 2);
      }
      keys[keyCount] = key;
      metrics[keyCount] = metric;
      attrs[keyCount] = attr;
      index.put(key, keyCount);
      return keyCount++;
    }

    /** The host. */
    public String hostId() {
      return hostId;
    }

    /** Snapshots added so far. */
    public int size() {
      return snapshots;
    }

    /** The newest event time added so far. */
    public long maxTimestamp() {
      return maxTimestamp;
    }

    public MinuteBatch build() {
      MinuteBatch b = new MinuteBatch();
      b.hostId = hostId;
      b.keys = Arrays.copyOf(keys, keyCount);
      b.metrics = Arrays.copyOf(metrics, keyCount);
      b.attrs = Arrays.copyOf(attrs, keyCount);
      b.timestamps = Arrays.copyOf(timestamps, snapshots);
      b.seqs = Arrays.copyOf(seqs, snapshots);
      b.runIds = Arrays.copyOf(runIds, snapshots);
      b.facts = Arrays.copyOf(facts, snapshots);
      b.sampleEnds = Arrays.copyOf(sampleEnds, snapshots);
      b.seriesIndex = Arrays.copyOf(seriesIndex, samples);
      b.values = Arrays.copyOf(values, samples);
      return b;
    }
  }
}
