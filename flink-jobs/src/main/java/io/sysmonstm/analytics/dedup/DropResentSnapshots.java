package io.sysmonstm.analytics.dedup;

import io.sysmonstm.analytics.LogThrottle;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by host, right after the source: drops snapshots the job has already seen. A collector that
 * lost an ack sends the batch again (same host, run and seq), and Kafka's idempotent producer
 * cannot tell; without this the rollups would count its samples twice.
 *
 * <p>State: per host, one map entry per collector run ({@link SeenBatches}, a few longs), expiring
 * {@code ttl} after the run's last new snapshot. The TTL must exceed the longest back-fill and the
 * allowed lateness (checked in the configuration): a resend older than that is no longer
 * recognised. Duplicates are counted in {@code duplicateSnapshots}.
 */
public final class DropResentSnapshots
    extends KeyedProcessFunction<String, HostSnapshot, HostSnapshot> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(DropResentSnapshots.class);

  private final Duration ttl;
  private transient MapState<String, SeenBatches> runs;
  private transient Counter duplicates;
  private transient Counter forgotten;
  private transient LogThrottle forgetWarnings;

  public DropResentSnapshots(Duration ttl) {
    this.ttl = ttl;
  }

  /** The state of this function: run id to what was seen of it. */
  public static MapStateDescriptor<String, SeenBatches> descriptor(Duration ttl) {
    MapStateDescriptor<String, SeenBatches> d =
        new MapStateDescriptor<>(
            "seen-batches", Types.STRING, TypeInformation.of(SeenBatches.class));
    d.enableTimeToLive(
        StateTtlConfig.newBuilder(ttl)
            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            .build());
    return d;
  }

  @Override
  public void open(OpenContext openContext) {
    runs = getRuntimeContext().getMapState(descriptor(ttl));
    duplicates = getRuntimeContext().getMetricGroup().counter("duplicateSnapshots");
    forgotten = getRuntimeContext().getMetricGroup().counter("forgottenBatchRanges");
    forgetWarnings = LogThrottle.everyMinute();
  }

  @Override
  public void processElement(HostSnapshot s, Context ctx, Collector<HostSnapshot> out)
      throws Exception {
    SeenBatches seen = runs.get(s.runId());
    if (seen == null) {
      seen = new SeenBatches();
    }
    switch (seen.accept(s.seq(), s.timestampMs())) {
      case DUPLICATE -> duplicates.inc();
      case NEW -> {
        runs.put(s.runId(), seen);
        out.collect(s);
      }
      case NEW_FORGOT_OLDEST -> {
        forgotten.inc();
        if (forgetWarnings.due()) {
          LOG.warn(
              "Host {} run {} has more than {} gaps in its batch sequence; forgetting the oldest"
                  + " seen batches (a resend of those would be counted again), continuing",
              s.hostId(),
              s.runId(),
              SeenBatches.MAX_RANGES);
        }
        runs.put(s.runId(), seen);
        out.collect(s);
      }
    }
  }
}
