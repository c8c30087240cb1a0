package io.sysmonstm.analytics.sink.redis;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ZAddParams;

/**
 * Buffers snapshots and writes them in one pipelined round trip: when {@code maxBatch} are
 * buffered, {@code flushIntervalMs} after the first buffered one, and on every checkpoint. A Redis
 * failure drops that batch (counted, one warning a minute): live values are refreshed by the next
 * snapshot, and the rollups must not stop because the hot tier is away.
 */
final class RedisLiveWriter implements SinkWriter<HostSnapshot> {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLiveWriter.class);
  private static final long WARN_EVERY_MS = 60_000;

  private final JedisPooled jedis;
  private final long ttlSeconds;
  private final long flushIntervalMs;
  private final int maxBatch;
  private final ProcessingTimeService time;
  private final List<HostSnapshot> buffer = new ArrayList<>();
  private final Counter written;
  private final Counter failed;
  private boolean timerArmed;
  private long lastWarnMs;

  RedisLiveWriter(
      URI redisUrl,
      long ttlSeconds,
      long flushIntervalMs,
      int maxBatch,
      ProcessingTimeService time,
      SinkWriterMetricGroup metrics) {
    this.jedis = new JedisPooled(redisUrl);
    this.ttlSeconds = ttlSeconds;
    this.flushIntervalMs = flushIntervalMs;
    this.maxBatch = maxBatch;
    this.time = time;
    this.written = metrics.getNumRecordsSendCounter();
    this.failed = metrics.counter("redisWriteFailures");
  }

  @Override
  public void write(HostSnapshot snapshot, Context context) {
    buffer.add(snapshot);
    if (buffer.size() >= maxBatch) {
      writeBuffered();
    } else if (!timerArmed) {
      timerArmed = true;
      time.registerTimer(time.getCurrentProcessingTime() + flushIntervalMs, t -> onTimer());
    }
  }

  private void onTimer() {
    timerArmed = false;
    writeBuffered();
  }

  @Override
  public void flush(boolean endOfInput) {
    writeBuffered();
  }

  private void writeBuffered() {
    if (buffer.isEmpty()) {
      return;
    }
    ZAddParams forwardOnly = ZAddParams.zAddParams().gt();
    try (AbstractPipeline p = jedis.pipelined()) {
      for (HostSnapshot s : buffer) {
        LiveValues live = LiveValues.of(s);
        String key = LiveValues.hostKey(s.hostId());
        // one flat argument array per command (no field maps): this runs for every snapshot
        String[] hset = live.hashArgs(1);
        hset[0] = key;
        p.sendCommand(Protocol.Command.HSET, hset);
        p.expire(key, ttlSeconds);
        p.zadd(LiveValues.HOSTS, s.timestampMs(), s.hostId(), forwardOnly);
        // only newer snapshots reach this sink, so entry ids grow; a replayed older one is
        // refused by Redis (ID too small) without affecting the rest of the pipeline
        String recent = LiveValues.recentKey(s.hostId());
        String[] xadd = live.recentArgs(5);
        xadd[0] = recent;
        xadd[1] = "MINID";
        xadd[2] = "~";
        xadd[3] = Long.toString(s.timestampMs() - LiveValues.RECENT_WINDOW_MS);
        xadd[4] = s.timestampMs() + "-0";
        p.sendCommand(Protocol.Command.XADD, xadd);
        p.expire(recent, ttlSeconds);
        p.publish(LiveValues.CHANNEL, live.message());
      }
      p.sync();
      written.inc(buffer.size());
    } catch (JedisException e) {
      failed.inc(buffer.size());
      long now = System.currentTimeMillis();
      if (now - lastWarnMs >= WARN_EVERY_MS) {
        lastWarnMs = now;
        LOG.warn(
            "Redis write of {} live snapshot(s) failed ({}); dropping them, the next snapshots"
                + " refresh the live values",
            buffer.size(),
            e.getMessage());
      }
    } finally {
      buffer.clear();
    }
  }

  @Override
  public void close() {
    jedis.close();
  }
}
