package io.sysmonstm.analytics.testing;

import io.sysmonstm.analytics.JobConfig;
import io.sysmonstm.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The production job's settings as the pipeline ITs run it against their servers. */
public final class TestJob {
  private TestJob() {}

  /**
   * The flags every such IT passes: its Kafka, samples topic and consumer group (read from the
   * earliest offset), its PostgreSQL and Redis, RocksDB checkpoints in {@code checkpointDir},
   * parallelism 2. A mutable list: a test adds its own flags.
   */
  public static List<String> args(
      String kafkaBootstrap,
      String samplesTopic,
      String groupId,
      String jdbcUrl,
      String redisUrl,
      Path checkpointDir) {
    return new ArrayList<>(
        List.of(
            "--kafka-bootstrap",
            kafkaBootstrap,
            "--samples-topic",
            samplesTopic,
            "--group-id",
            groupId,
            "--starting-offsets",
            "earliest",
            "--jdbc-url",
            jdbcUrl,
            "--redis-url",
            redisUrl,
            "--checkpoint-dir",
            checkpointDir.toUri().toString(),
            "--state-backend",
            "rocksdb",
            "--parallelism",
            "2"));
  }

  /** {@code args} parsed as {@code main} parses them (no environment variables). */
  public static JobConfig config(List<String> args) {
    return JobConfig.from(Settings.parse(args.toArray(String[]::new), Map.of()));
  }
}
