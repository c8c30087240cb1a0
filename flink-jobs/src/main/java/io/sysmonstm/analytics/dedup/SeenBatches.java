package io.sysmonstm.analytics.dedup;

import java.util.Arrays;

/**
 * What the job has seen of one collector run (one {@code run_id} of one host): which batches, by
 * {@code seq}, and which snapshots of the batch that is arriving now.
 *
 * <p>A snapshot is identified by (host, run, seq, timestamp): the batch it came in, and its instant
 * (two snapshots of one host at one instant are the same snapshot, as in {@code samples}). Ingress
 * writes a batch as one Kafka record and the source emits its snapshots one after another, so a
 * batch is complete as soon as a snapshot of another batch of the run arrives; from then on only
 * its seq is kept. Complete batches are kept as sorted, disjoint ranges of seqs: a run that sends
 * in order is one range, each batch that overtakes another (a resend after a lost ack) opens a gap
 * until the missing one arrives. So the state of a run stays a handful of longs: the ranges, the
 * seq of the open batch and the timestamps of its snapshots.
 *
 * <p>A Flink POJO of primitive arrays (no Kryo).
 */
public class SeenBatches {
  /** Ranges kept at most; beyond that the oldest are forgotten (counted by the caller). */
  public static final int MAX_RANGES = 64;

  private static final long[] NONE = new long[0];

  /** Complete batches: inclusive seq ranges {@code [lo0, hi0, lo1, hi1, ...]}, ascending. */
  public long[] ranges = NONE;

  /** Whether {@link #openSeq} is a batch whose snapshots are arriving now. */
  public boolean open;

  /** The open batch. */
  public long openSeq;

  /** Timestamps of the open batch's snapshots seen so far. */
  public long[] openTimestamps = NONE;

  /** For Flink's POJO serializer. */
  public SeenBatches() {}

  /** What {@link #accept} found. */
  public enum Verdict {
    /** Seen for the first time: pass it on. */
    NEW,
    /** Seen for the first time, but the oldest ranges had to be forgotten to stay small. */
    NEW_FORGOT_OLDEST,
    /** Seen before: drop it. */
    DUPLICATE
  }

  /** Records the snapshot at {@code timestampMs} of batch {@code seq}, unless seen before. */
  public Verdict accept(long seq, long timestampMs) {
    if (open && seq == openSeq) {
      for (long ts : openTimestamps) {
        if (ts == timestampMs) {
          return Verdict.DUPLICATE;
        }
      }
      openTimestamps = append(openTimestamps, timestampMs);
      return Verdict.NEW;
    }
    if (contains(seq)) {
      return Verdict.DUPLICATE;
    }
    boolean forgot = false;
    if (open) {
      forgot = addComplete(openSeq);
    }
    open = true;
    openSeq = seq;
    openTimestamps = new long[] {timestampMs};
    return forgot ? Verdict.NEW_FORGOT_OLDEST : Verdict.NEW;
  }

  /** Whether batch {@code seq} is complete and seen. */
  boolean contains(long seq) {
    int i = indexOfRangeAtOrBelow(seq);
    return i >= 0 && seq <= ranges[2 * i + 1];
  }

  /** Number of ranges of complete batches. */
  public int rangeCount() {
    return ranges.length / 2;
  }

  /** Adds {@code seq} to the complete ranges; true when the oldest range was forgotten. */
  private boolean addComplete(long seq) {
    int below = indexOfRangeAtOrBelow(seq);
    int above = below + 1;
    boolean joinsBelow =
        below >= 0 && ranges[2 * below + 1] != Long.MAX_VALUE && ranges[2 * below + 1] + 1 == seq;
    boolean joinsAbove =
        above < rangeCount() && seq != Long.MAX_VALUE && ranges[2 * above] == seq + 1;
    if (joinsBelow && joinsAbove) {
      long[] merged = new long[ranges.length - 2];
      System.arraycopy(ranges, 0, merged, 0, 2 * below + 1);
      merged[2 * below + 1] = ranges[2 * above + 1];
      System.arraycopy(ranges, 2 * above + 2, merged, 2 * below + 2, ranges.length - 2 * above - 2);
      ranges = merged;
      return false;
    }
    if (joinsBelow) {
      ranges[2 * below + 1] = seq;
      return false;
    }
    if (joinsAbove) {
      ranges[2 * above] = seq;
      return false;
    }
    long[] grown = new long[ranges.length + 2];
    System.arraycopy(ranges, 0, grown, 0, 2 * above);
    grown[2 * above] = seq;
    grown[2 * above + 1] = seq;
    System.arraycopy(ranges, 2 * above, grown, 2 * above + 2, ranges.length - 2 * above);
    ranges = grown;
    if (rangeCount() > MAX_RANGES) {
      ranges = Arrays.copyOfRange(ranges, 2, ranges.length);
      return true;
    }
    return false;
  }

  /** Index of the last range starting at or below {@code seq}, -1 when there is none. */
  private int indexOfRangeAtOrBelow(long seq) {
    int lo = 0;
    int hi = rangeCount() - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (ranges[2 * mid] <= seq) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  private static long[] append(long[] a, long v) {
    long[] b = Arrays.copyOf(a, a.length + 1);
    b[a.length] = v;
    return b;
  }

  @Override
  public String toString() {
    return "SeenBatches[ranges="
        + Arrays.toString(ranges)
        + ", open="
        + (open ? openSeq + " " + Arrays.toString(openTimestamps) : "none")
        + "]";
  }
}
