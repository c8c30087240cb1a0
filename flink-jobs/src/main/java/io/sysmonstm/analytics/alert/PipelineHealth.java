package io.sysmonstm.analytics.alert;

import java.io.Serializable;
import java.util.Optional;

/**
 * Whether the pipeline in front of the alert evaluation is behind: then a silent host may only be a
 * host whose samples have not reached the job yet, and host-down alerts wait (one pipeline-lag
 * alert is raised instead of one host-down alert per host).
 */
public interface PipelineHealth extends Serializable {

  /** Starts watching (called in the operator's open). */
  default void open() {}

  /** Why the pipeline is behind at processing time {@code nowMs}, or empty when it is not. */
  Optional<String> lagging(long nowMs);

  /** Stops watching. */
  default void close() {}

  /** Never lagging (no external watch; only the watermark lag the evaluation measures itself). */
  static PipelineHealth none() {
    return new PipelineHealth() {
      private static final long serialVersionUID = 1L;

      @Override
      public Optional<String> lagging(long nowMs) {
        return Optional.empty();
      }
    };
  }
}
