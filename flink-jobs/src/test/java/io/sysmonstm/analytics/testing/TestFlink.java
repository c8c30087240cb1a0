package io.sysmonstm.analytics.testing;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The mini-cluster of the pipeline tests and how a test's job runs on it. Register the cluster on a
 * static field (started once per test class):
 *
 * <pre>{@code
 * @RegisterExtension static final MiniClusterExtension FLINK = TestFlink.cluster(2);
 * }</pre>
 */
public final class TestFlink {
  private TestFlink() {}

  /**
   * One task manager with {@code slots} slots: a job at parallelism {@code slots} gets its slots at
   * once (with fewer it would wait minutes for resources instead of failing).
   */
  public static MiniClusterExtension cluster(int slots) {
    return new MiniClusterExtension(builder(slots).build());
  }

  /** As {@link #cluster(int)}, with the cluster's metrics reported to {@code metrics}. */
  public static MiniClusterExtension cluster(int slots, InMemoryReporter metrics) {
    return new MiniClusterExtension(
        builder(slots).setConfiguration(metrics.addToConfiguration(new Configuration())).build());
  }

  private static MiniClusterResourceConfiguration.Builder builder(int slots) {
    return new MiniClusterResourceConfiguration.Builder()
        .setNumberTaskManagers(1)
        .setNumberSlotsPerTaskManager(slots);
  }

  /**
   * An environment on the test's mini-cluster with {@code conf}, at {@code parallelism}, where a
   * type that falls back to Kryo fails the job ({@code pipeline.generic-types: false}).
   */
  public static StreamExecutionEnvironment env(Configuration conf, int parallelism) {
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.configure(conf);
    env.setParallelism(parallelism);
    return env;
  }

  /** {@link #env(Configuration, int)} with no other setting. */
  public static StreamExecutionEnvironment env(int parallelism) {
    return env(new Configuration(), parallelism);
  }

  /**
   * A configuration that restarts a failed job up to {@code attempts} times, {@code delay} apart:
   * the failure tests inject failures and check what the restarted job writes.
   */
  public static Configuration restarting(int attempts, Duration delay) {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, attempts);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, delay);
    return conf;
  }
}
