package io.sysmonstm.analytics.testing;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * A test-only stage right after the source: records which batches went by and which checkpoints
 * completed, and fails its task on purpose once per failure point, when it sees that point's marker
 * batch (after a restart, the replayed marker passes). The mini-cluster runs in the test's JVM, so
 * the test reads the counters directly.
 */
public final class Probe {
  private static final Map<String, Probe> PROBES = new ConcurrentHashMap<>();

  private final String id = UUID.randomUUID().toString();
  private final List<String> markers;
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicLong lastCompletedCheckpoint = new AtomicLong(-1);
  private final AtomicLong records = new AtomicLong();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  /** A probe that fails once at each of {@code markers} (batch ids, see {@link #batchId}). */
  public Probe(List<String> markers) {
    this.markers = List.copyOf(markers);
    PROBES.put(id, this);
  }

  /** The id of the batch a snapshot came in: {@code host/run/seq}. */
  public static String batchId(String host, String run, long seq) {
    return host + "/" + run + "/" + seq;
  }

  /** Adds the probe after the source, uid {@code probe}. */
  public DataStream<HostSnapshot> apply(DataStream<HostSnapshot> in) {
    return in.map(new Stage(id)).name("probe").uid("probe");
  }

  public int failures() {
    return failures.get();
  }

  public long lastCompletedCheckpoint() {
    return lastCompletedCheckpoint.get();
  }

  /** Snapshots that went by, replays and resends included. */
  public long records() {
    return records.get();
  }

  /** Whether every one of {@code batchIds} went by at least once. */
  public boolean sawAll(Iterable<String> batchIds) {
    for (String b : batchIds) {
      if (!seen.contains(b)) {
        return false;
      }
    }
    return true;
  }

  static final class Stage extends RichMapFunction<HostSnapshot, HostSnapshot>
      implements CheckpointListener {
    private static final long serialVersionUID = 1L;
    private final String probeId;

    Stage(String probeId) {
      this.probeId = probeId;
    }

    @Override
    public HostSnapshot map(HostSnapshot s) {
      Probe p = PROBES.get(probeId);
      p.records.incrementAndGet();
      String batch = batchId(s.hostId(), s.runId(), s.seq());
      p.seen.add(batch);
      int done = p.failures.get();
      if (done < p.markers.size()
          && p.markers.get(done).equals(batch)
          && p.lastCompletedCheckpoint.get() >= 0
          && p.failures.compareAndSet(done, done + 1)) {
        throw new IllegalStateException("failure " + (done + 1) + " injected at batch " + batch);
      }
      return s;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      PROBES.get(probeId).lastCompletedCheckpoint.accumulateAndGet(checkpointId, Math::max);
    }
  }
}
