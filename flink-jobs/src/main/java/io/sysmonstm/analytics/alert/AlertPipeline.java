package io.sysmonstm.analytics.alert;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.rules.Rule;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The alerting branch of the job:
 *
 * <pre>
 * snapshots (keyed by host) ─┐
 * rules (broadcast) ─────────┴─ alert-evaluate ─┬─ threshold and host-down transitions ─────────┐
 *                                               ├─ lag signals ─ alert-pipeline-lag (p=1) ───────┤
 *                                               └─ sequence signals                              │
 *                                                   ├─ firsts, thens ─ alert-sequence-gate       │
 *                                                   │   ─ keyBy (rule, host) ─ alert-sequence-cep ┐
 *                                                   └─ clears ────────────────────────────────────┴─ alert-sequence ─┤
 *                                                                                                             alerts
 * </pre>
 */
public final class AlertPipeline {

  private AlertPipeline() {}

  /** Every alert transition of the job, from {@code byHost} evaluated against the rules. */
  public static DataStream<AlertEvent> build(
      KeyedStream<HostSnapshot, String> byHost,
      DataStream<RuleUpdate> ruleUpdates,
      List<Rule> fileRules,
      Duration retroAfter,
      Duration pipelineLag,
      PipelineHealth health) {
    BroadcastStream<RuleUpdate> rules = ruleUpdates.broadcast(EvaluateRules.RULES);
    SingleOutputStreamOperator<AlertEvent> evaluated =
        byHost
            .connect(rules)
            .process(new EvaluateRules(fileRules, retroAfter, pipelineLag, health))
            .name("alert-evaluate")
            .uid("alert-evaluate");

    SingleOutputStreamOperator<AlertEvent> lag =
        evaluated
            .getSideOutput(EvaluateRules.LAG)
            .keyBy(new Constant())
            .process(new PipelineLagAlerts())
            .setParallelism(1)
            .setMaxParallelism(1)
            .name("alert-pipeline-lag")
            .uid("alert-pipeline-lag");

    DataStream<SequenceSignal> signals = evaluated.getSideOutput(EvaluateRules.SEQUENCE);
    // chained to alert-evaluate (forward, same parallelism): it sees each host's observations
    SingleOutputStreamOperator<SequenceSignal> usable =
        signals
            .filter(s -> s.kind() != SequenceSignal.CLEARED)
            .name("alert-sequence-steps")
            .uid("alert-sequence-steps")
            .transform(
                "alert-sequence-gate", TypeInformation.of(SequenceSignal.class), new SequenceGate())
            .uid("alert-sequence-gate");
    SingleOutputStreamOperator<SequenceSignal> matches =
        CEP.pattern(usable.keyBy(new RuleHost()), SequencePattern.pattern(), SequencePattern.ORDER)
            .inEventTime()
            .process(new SequencePattern.Matched())
            .name("alert-sequence-cep")
            .uid("alert-sequence-cep");
    SingleOutputStreamOperator<AlertEvent> sequences =
        matches
            .union(signals.filter(s -> s.kind() == SequenceSignal.CLEARED))
            .keyBy(new RuleHost())
            .process(new SequenceLifecycle(retroAfter))
            .name("alert-sequence")
            .uid("alert-sequence");

    return evaluated.union(lag, sequences);
  }

  /** One key for the whole job. */
  static final class Constant implements KeySelector<LagSignal, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(LagSignal s) {
      return "pipeline";
    }
  }

  /** Keys sequence signals by (rule, host). */
  static final class RuleHost implements KeySelector<SequenceSignal, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(SequenceSignal s) {
      return s.ruleHost();
    }
  }
}
