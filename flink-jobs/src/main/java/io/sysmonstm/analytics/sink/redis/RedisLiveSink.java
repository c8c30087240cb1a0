package io.sysmonstm.analytics.sink.redis;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes the live values of each snapshot to Redis (see {@link LiveValues}). Writes are idempotent
 * (the newest values win, the hosts index only moves forward), so the sink is at-least-once and
 * keeps nothing in checkpoints; it flushes what it buffered on every checkpoint.
 */
public final class RedisLiveSink implements Sink<HostSnapshot> {
  private static final long serialVersionUID = 1L;

  /** Latency bound of a buffered snapshot when the stream is quiet. */
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(100);

  /** Snapshots per pipelined round trip when the stream is busy. */
  public static final int DEFAULT_MAX_BATCH = 500;

  private final String redisUrl;
  private final long ttlSeconds;
  private final long flushIntervalMs;
  private final int maxBatch;

  public RedisLiveSink(URI redisUrl, Duration ttl) {
    this(redisUrl, ttl, DEFAULT_FLUSH_INTERVAL, DEFAULT_MAX_BATCH);
  }

  public RedisLiveSink(URI redisUrl, Duration ttl, Duration flushInterval, int maxBatch) {
    this.redisUrl = Objects.requireNonNull(redisUrl, "redisUrl").toString();
    this.ttlSeconds = Math.max(1, ttl.toSeconds());
    this.flushIntervalMs = Math.max(1, flushInterval.toMillis());
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be positive, got " + maxBatch);
    }
    this.maxBatch = maxBatch;
  }

  @Override
  public SinkWriter<HostSnapshot> createWriter(WriterInitContext context) {
    return new RedisLiveWriter(
        URI.create(redisUrl),
        ttlSeconds,
        flushIntervalMs,
        maxBatch,
        context.getProcessingTimeService(),
        context.metricGroup(),
        context.getTaskInfo().getIndexOfThisSubtask());
  }
}
