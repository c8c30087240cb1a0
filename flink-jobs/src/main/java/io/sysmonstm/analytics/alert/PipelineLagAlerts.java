package io.sysmonstm.analytics.alert;

import io.sysmonstm.rules.Fingerprint;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * One pipeline-lag alert for the whole job: firing while any subtask of the rule evaluation sees
 * the pipeline lagging, resolved when none does. Runs at parallelism 1 under a constant key.
 */
public final class PipelineLagAlerts extends KeyedProcessFunction<String, LagSignal, AlertEvent> {
  private static final long serialVersionUID = 1L;

  /** Rule id of the alert (not a configurable rule: it guards the others). */
  public static final String RULE_ID = "pipeline-lag";

  private transient MapState<Integer, String> lagging;
  private transient ValueState<Long> firingSince;

  @Override
  public void open(OpenContext openContext) {
    lagging =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("lagging-subtasks", Types.INT, Types.STRING));
    firingSince =
        getRuntimeContext().getState(new ValueStateDescriptor<>("lag-firing-since", Types.LONG));
  }

  @Override
  public void processElement(LagSignal s, Context ctx, Collector<AlertEvent> out) throws Exception {
    if (s.lagging()) {
      lagging.put(s.subtask(), s.reason());
    } else {
      lagging.remove(s.subtask());
    }
    boolean any = lagging.keys().iterator().hasNext();
    Long since = firingSince.value();
    if (any && since == null) {
      firingSince.update(s.atMs());
      out.collect(event(s.atMs(), 0, s.reason()));
    } else if (!any && since != null) {
      firingSince.clear();
      out.collect(event(since, Math.max(since, s.atMs()), "caught up"));
    }
  }

  static AlertEvent event(long startsAt, long endsAt, String reason) {
    return new AlertEvent(
        Fingerprint.of(RULE_ID, "", ""),
        RULE_ID,
        "",
        "",
        "critical",
        endsAt == 0 ? AlertEvent.FIRING : AlertEvent.RESOLVED,
        Double.NaN,
        Double.NaN,
        startsAt,
        endsAt,
        "Pipeline lagging: " + reason + "; host-down alerts wait until it catches up",
        false,
        "{}");
  }
}
