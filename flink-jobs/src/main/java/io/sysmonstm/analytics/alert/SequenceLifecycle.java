package io.sysmonstm.analytics.alert;

import io.sysmonstm.rules.Fingerprint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by (rule, host): a sequence rule fires at its first CEP match and resolves when its first
 * step clears, each transition once (state checkpointed with the emission). Matches leave CEP only
 * once the watermark has passed them while clears come straight from the evaluation, so both are
 * held here until the watermark passes their event time and then taken in event-time order (a match
 * before a clear of the same instant).
 */
public final class SequenceLifecycle
    extends KeyedProcessFunction<String, SequenceSignal, AlertEvent> {
  private static final long serialVersionUID = 1L;

  private static final Comparator<SequenceSignal> ORDER =
      Comparator.comparingLong(SequenceSignal::ts).thenComparingInt(SequenceSignal::kind);

  private final long retroAfterMs;
  private transient ValueState<SequenceSignal> firing;
  private transient ListState<SequenceSignal> pending;

  public SequenceLifecycle(Duration retroAfter) {
    this.retroAfterMs = retroAfter.toMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    firing =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>(
                    "sequence-firing", TypeInformation.of(SequenceSignal.class)));
    pending =
        getRuntimeContext()
            .getListState(
                new ListStateDescriptor<>(
                    "sequence-pending", TypeInformation.of(SequenceSignal.class)));
  }

  @Override
  public void processElement(SequenceSignal s, Context ctx, Collector<AlertEvent> out)
      throws Exception {
    pending.add(s);
    ctx.timerService().registerEventTimeTimer(s.ts());
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertEvent> out)
      throws Exception {
    List<SequenceSignal> due = new ArrayList<>();
    List<SequenceSignal> later = new ArrayList<>();
    for (SequenceSignal s : pending.get()) {
      (s.ts() <= timestamp ? due : later).add(s);
    }
    pending.update(later);
    due.sort(ORDER);
    long now = ctx.timerService().currentProcessingTime();
    for (SequenceSignal s : due) {
      SequenceSignal f = firing.value();
      boolean retro = s.ts() < now - retroAfterMs;
      if (s.kind() == SequenceSignal.MATCHED && f == null) {
        firing.update(s.withRetro(retro));
        out.collect(event(s, retro));
      } else if (s.kind() == SequenceSignal.CLEARED && f != null && s.ts() >= f.ts()) {
        firing.clear();
        out.collect(event(f, f.retro()).resolvedAt(s.ts(), s.value(), retro));
      }
    }
  }

  static AlertEvent event(SequenceSignal m, boolean retro) {
    return new AlertEvent(
        Fingerprint.of(m.ruleId(), m.hostId(), m.series()),
        m.ruleId(),
        m.hostId(),
        m.series(),
        m.severity(),
        AlertEvent.FIRING,
        m.value(),
        m.threshold(),
        m.ts(),
        0,
        m.summary(),
        retro,
        m.labels());
  }
}
