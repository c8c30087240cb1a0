package io.sysmonstm.analytics.late;

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
  private static final long WARN_EVERY_MS = 60_000;

  private transient Counter late;
  private transient long lastWarnMs;
  private transient long sinceWarn;

  @Override
  public void open(OpenContext openContext) {
    late = getRuntimeContext().getMetricGroup().counter("lateSnapshots");
  }

  @Override
  public void processElement(HostSnapshot s, Context ctx, Collector<HostSnapshot> out) {
    late.inc();
    sinceWarn++;
    long now = System.currentTimeMillis();
    if (now - lastWarnMs >= WARN_EVERY_MS) {
      LOG.warn(
          "Snapshot of host {} at {} ms arrived beyond the allowed lateness (watermark {} ms); "
              + "{} such snapshot(s) since the last warning, they are not in the rollups",
          s.hostId(),
          s.timestampMs(),
          ctx.timerService().currentWatermark(),
          sinceWarn);
      lastWarnMs = now;
      sinceWarn = 0;
    }
    out.collect(s);
  }
}
