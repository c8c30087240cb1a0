package io.sysmonstm.analytics.alert;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.EventComparator;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.util.Collector;

/**
 * The CEP pattern of sequence rules, per (rule, host), in event time: the first step breaching,
 * followed (not necessarily at once) by the second step holding within the rule's {@code within}.
 * Rules change at run time, so the pattern is one for every rule: each observation carries its
 * rule's {@code within}, checked against the first step's time; {@link #MAX_WITHIN} bounds how long
 * CEP keeps a partial match. After a match, matching continues past its last event, so a breach
 * that goes on matches again only with new observations (the lifecycle fires once anyway).
 *
 * <p>Observations of the same instant are taken in the order of {@link #ORDER}: a FIRST before a
 * THEN (a second step holding at the very instant the first breaches follows it, {@code within} 0),
 * then by series and value. So a match never depends on the order in which a snapshot listed its
 * samples, nor on the order in which observations of one instant reach CEP.
 */
public final class SequencePattern {
  /** The longest {@code within} a rule may have (checked by the rules module). */
  public static final Duration MAX_WITHIN = Duration.ofHours(1);

  /** The order of observations of the same instant (CEP sorts by event time first). */
  public static final EventComparator<SequenceSignal> ORDER = new SameInstantOrder();

  private SequencePattern() {}

  public static Pattern<SequenceSignal, ?> pattern() {
    return Pattern.<SequenceSignal>begin("first", AfterMatchSkipStrategy.skipPastLastEvent())
        .where(SimpleCondition.of(s -> s.kind() == SequenceSignal.FIRST))
        .followedBy("then")
        .where(new ThenWithin())
        .within(MAX_WITHIN);
  }

  /** FIRST before THEN, then by series and value. */
  static final class SameInstantOrder implements EventComparator<SequenceSignal> {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(SequenceSignal a, SequenceSignal b) {
      int c = Integer.compare(a.kind(), b.kind());
      if (c == 0) {
        c = a.series().compareTo(b.series());
      }
      return c != 0 ? c : Double.compare(a.value(), b.value());
    }
  }

  /** The second step, no later than {@code within} after the first. */
  static final class ThenWithin extends IterativeCondition<SequenceSignal> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(SequenceSignal s, Context<SequenceSignal> ctx) throws Exception {
      if (s.kind() != SequenceSignal.THEN) {
        return false;
      }
      for (SequenceSignal first : ctx.getEventsForPattern("first")) {
        long dt = s.ts() - first.ts();
        return dt >= 0 && dt <= first.withinMs();
      }
      return false;
    }
  }

  /** A match as a {@link SequenceSignal#MATCHED}: the first step's series, the second's time. */
  public static final class Matched extends PatternProcessFunction<SequenceSignal, SequenceSignal> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processMatch(
        Map<String, List<SequenceSignal>> match, Context ctx, Collector<SequenceSignal> out) {
      SequenceSignal first = match.get("first").get(0);
      SequenceSignal then = match.get("then").get(0);
      out.collect(first.as(SequenceSignal.MATCHED, first.series(), then.ts(), then.value()));
    }
  }
}
