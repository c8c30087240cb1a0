package io.sysmonstm.analytics.rollup;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * The minute window's trigger: the event-time trigger, except that a host's minute can fire before
 * the watermark reaches it, when {@link MinuteBatches} hands over the host's closing batch.
 *
 * <p>Why: with the event-time trigger every host's minute fires in the one call that passes the
 * watermark on, 5,000 windows per subtask at 10,000 hosts, and a checkpoint barrier waits behind
 * all of them. {@link MinuteBatches} instead hands the batches of a minute the watermark closes to
 * the window a few hundred hosts at a time, in separate mailbox actions, each host's last batch
 * marked as closing, and passes the watermark on after the last one; a barrier waits for one such
 * action at most.
 *
 * <p>A batch is closing when its record timestamp is the window's max timestamp ({@link
 * MinuteBatches} gives other batches an earlier one). Results are the same as with the event-time
 * trigger: a closing batch comes after everything the watermark would have found in the window; a
 * window that got elements after it fired at its close (or never got a closing batch) fires when
 * the watermark reaches it; a late element (the watermark is past the window) fires it at once.
 */
public final class MinuteCloseTrigger extends Trigger<MinuteBatch, TimeWindow> {
  private static final long serialVersionUID = 1L;

  /**
   * Set when the window fired with a closing batch and has had no element since: the watermark then
   * has nothing to fire. Absent otherwise, so that windows of a savepoint taken before this trigger
   * fire as they would have.
   */
  private static final ValueStateDescriptor<Boolean> FIRED =
      new ValueStateDescriptor<>("fired-at-close", Types.BOOLEAN);

  /** Whether a batch with record timestamp {@code timestamp} closes {@code window}. */
  public static boolean closes(long timestamp, TimeWindow window) {
    return timestamp == window.maxTimestamp();
  }

  @Override
  public TriggerResult onElement(
      MinuteBatch batch, long timestamp, TimeWindow window, TriggerContext ctx) throws Exception {
    if (window.maxTimestamp() <= ctx.getCurrentWatermark()) {
      // late, within the allowed lateness: fire at once, as the event-time trigger does
      return TriggerResult.FIRE;
    }
    ctx.registerEventTimeTimer(window.maxTimestamp());
    ValueState<Boolean> fired = ctx.getPartitionedState(FIRED);
    if (closes(timestamp, window)) {
      fired.update(Boolean.TRUE);
      return TriggerResult.FIRE;
    }
    fired.clear();
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx)
      throws Exception {
    if (time != window.maxTimestamp()) {
      return TriggerResult.CONTINUE;
    }
    return Boolean.TRUE.equals(ctx.getPartitionedState(FIRED).value())
        ? TriggerResult.CONTINUE
        : TriggerResult.FIRE;
  }

  @Override
  public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
    return TriggerResult.CONTINUE;
  }

  @Override
  public void clear(TimeWindow window, TriggerContext ctx) throws Exception {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
    ctx.getPartitionedState(FIRED).clear();
  }

  @Override
  public String toString() {
    return "MinuteCloseTrigger()";
  }
}
