package io.sysmonstm.analytics;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Where the job's snapshots come from: the Kafka source in production, bounded input in tests. */
@FunctionalInterface
public interface SnapshotInput {

  /** UID of the source operator (stable, so savepoints map back to it). */
  String UID = "source-snapshots";

  /**
   * Adds the input to {@code env}, applying {@code watermarks} in the source so they are tracked
   * per split (Kafka partition).
   */
  DataStream<HostSnapshot> open(
      StreamExecutionEnvironment env, WatermarkStrategy<HostSnapshot> watermarks);

  /** The input read by {@code source}. */
  static SnapshotInput of(Source<HostSnapshot, ?, ?> source) {
    return (env, watermarks) ->
        env.fromSource(source, watermarks, "snapshots").uid(UID).name("snapshots");
  }
}
