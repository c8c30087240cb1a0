package io.sysmonstm.analytics.sink.alert;

import io.sysmonstm.analytics.alert.AlertEvent;
import io.sysmonstm.live.RedisKeys;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Alert events to Redis, as the live contract lays them out ({@link io.sysmonstm.live}): the hash
 * {@value RedisKeys#ALERTS_ACTIVE} of the firing alerts (field fingerprint, value the event's JSON)
 * for Redis clients that want the active set (the relay lists active alerts from table {@code
 * alerts}), and the channel {@value RedisKeys#ALERTS_CHANNEL} that the relay forwards to {@code
 * /ws}.
 *
 * <ul>
 *   <li>firing, not retro: {@code HSET} the alert;
 *   <li>resolved: {@code HDEL} it, but only when the stored alert has the same {@code starts_at} (a
 *       Lua script), so a late resolve never removes a newer firing of the same alert; retro
 *       resolves too, since they can only remove the very alert they end;
 *   <li>every event, retro too: {@code PUBLISH} its JSON.
 * </ul>
 *
 * The sink keys its input by fingerprint, so every transition of an alert reaches the same writer
 * in order whatever the parallelism. Writes are idempotent given that order (a replay after a
 * restore ends in the same hash); it keeps nothing in checkpoints and flushes on every checkpoint.
 * While Redis is away the writer keeps up to {@link #DEFAULT_MAX_BUFFERED} events and retries with
 * backoff; the hash is refreshed by the next transitions anyway.
 */
public final class RedisAlertSink
    implements Sink<AlertEvent>, SupportsPreWriteTopology<AlertEvent> {
  private static final long serialVersionUID = 1L;

  /** Latency bound of a buffered event when the stream is quiet. */
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(100);

  /** Events per pipelined round trip when the stream is busy. */
  public static final int DEFAULT_MAX_BATCH = 500;

  /** Events kept while Redis is unreachable; the oldest are dropped beyond this. */
  public static final int DEFAULT_MAX_BUFFERED = 10_000;

  private final String redisUrl;
  private final long flushIntervalMs;
  private final int maxBatch;
  private final int maxBuffered;

  public RedisAlertSink(URI redisUrl) {
    this(redisUrl, DEFAULT_FLUSH_INTERVAL, DEFAULT_MAX_BATCH, DEFAULT_MAX_BUFFERED);
  }

  public RedisAlertSink(URI redisUrl, Duration flushInterval, int maxBatch, int maxBuffered) {
    this.redisUrl = Objects.requireNonNull(redisUrl, "redisUrl").toString();
    this.flushIntervalMs = Math.max(1, flushInterval.toMillis());
    if (maxBatch < 1 || maxBuffered < maxBatch) {
      throw new IllegalArgumentException(
          "need 1 <= maxBatch <= maxBuffered, got " + maxBatch + " and " + maxBuffered);
    }
    this.maxBatch = maxBatch;
    this.maxBuffered = maxBuffered;
  }

  @Override
  public DataStream<AlertEvent> addPreWriteTopology(DataStream<AlertEvent> input) {
    return input.keyBy(new ByFingerprint());
  }

  @Override
  public SinkWriter<AlertEvent> createWriter(WriterInitContext context) {
    return new RedisAlertWriter(
        URI.create(redisUrl),
        flushIntervalMs,
        maxBatch,
        maxBuffered,
        context.getProcessingTimeService(),
        context.metricGroup());
  }
}
