package io.sysmonstm.analytics.late;

import io.sysmonstm.analytics.LogThrottle;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts snapshots that arrived after their minute window was closed for good (later than the
 * allowed lateness) in the metric {@code lateSnapshots}, warns at most once a minute, and passes
 * them on to the late sink. Their samples are still in {@code samples}; only the rollups miss them.
 */
public final class LateSnapshots extends ProcessFunction<HostSnapshot, HostSnapshot> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(LateSnapshots.class);

  private transient Counter late;
  private transient LogThrottle lateWarnings;

  @Override
  public void open(OpenContext openContext) {
    late = getRuntimeContext().getMetricGroup().counter("lateSnapshots");
    lateWarnings = LogThrottle.everyMinute();
  }

  @Override
  public void processElement(HostSnapshot s, Context ctx, Collector<HostSnapshot> out) {
    late.inc();
    lateWarnings.count();
    if (lateWarnings.due()) {
      LOG.warn(
          "Snapshot of host {} at {} ms arrived beyond the allowed lateness (watermark {} ms); "
              + "{} such snapshot(s) since the last warning, they are not in the rollups",
          s.hostId(),
          s.timestampMs(),
          ctx.timerService().currentWatermark(),
          lateWarnings.takeCount());
    }
    out.collect(s);
  }
}
