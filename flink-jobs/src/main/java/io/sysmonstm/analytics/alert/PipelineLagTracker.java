package io.sysmonstm.analytics.alert;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the pipeline lags, as one subtask of {@link EvaluateRules} sees it: {@link
 * PipelineHealth} says so (Kafka is behind in production), or the watermark trails the clock by
 * more than {@code pipelineLag} while records flow. A change of that view is reported as a {@link
 * LagSignal} (for {@link PipelineLagAlerts}) and logged once.
 *
 * <p>Holds no Flink state: after a restore the first check reports the subtask's view afresh.
 */
final class PipelineLagTracker implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PipelineLagTracker.class);

  /** Records count as flowing when the last one was processed within this. */
  static final long FLOWING_MS = 5_000;

  private final long pipelineLagMs;
  private final PipelineHealth health;

  private transient int subtask;
  private transient long lastRecordMs;
  private transient Boolean reportedLagging;

  /**
   * @param pipelineLag the watermark may trail the clock by this much while records flow before the
   *     pipeline counts as lagging
   * @param health an external view of the pipeline's lag
   */
  PipelineLagTracker(Duration pipelineLag, PipelineHealth health) {
    this.pipelineLagMs = pipelineLag.toMillis();
    this.health = Objects.requireNonNull(health, "health");
  }

  /** Starts watching, for the subtask with index {@code subtask}. */
  void open(int subtask) {
    this.subtask = subtask;
    health.open();
  }

  void close() {
    health.close();
  }

  /**
   * Checks the lag at processing time {@code now} with the operator's {@code watermark}, reports a
   * change of it to {@code signals}, and returns why the pipeline lags (if it does). Call it before
   * {@link #recordProcessed} for the record at hand: after a quiet spell the watermark is still
   * old.
   */
  Optional<String> check(long now, long watermark, Consumer<LagSignal> signals) {
    Optional<String> lag = health.lagging(now);
    boolean flowing = lastRecordMs > 0 && now - lastRecordMs <= FLOWING_MS;
    if (lag.isEmpty() && flowing && watermark > Long.MIN_VALUE && now - watermark > pipelineLagMs) {
      lag =
          Optional.of(
              "the watermark trails the clock by "
                  + Duration.ofMillis(now - watermark).toSeconds()
                  + " s");
    }
    boolean lagging = lag.isPresent();
    if (reportedLagging == null || reportedLagging != lagging) {
      reportedLagging = lagging;
      signals.accept(new LagSignal(subtask, lagging, lag.orElse(""), now));
      if (lagging) {
        LOG.warn("Pipeline lagging ({}); host-down alerts wait until it catches up", lag.get());
      } else if (lastRecordMs > 0) {
        LOG.info("Pipeline caught up; host-down alerts armed again");
      }
    }
    return lag;
  }

  /** A record was processed at processing time {@code now}: records flow. */
  void recordProcessed(long now) {
    lastRecordMs = now;
  }
}
