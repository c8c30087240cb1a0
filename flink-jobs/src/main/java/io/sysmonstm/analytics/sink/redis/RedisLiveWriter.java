package io.sysmonstm.analytics.sink.redis;

import io.sysmonstm.analytics.snapshot.HostSnapshot;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>Per snapshot it sends the host hash (HSET), the recent-values entry (XADD) and the live
 * message (PUBLISH). The hosts index gets one ZADD per round trip for all its hosts, and the expiry
 * of a host's two keys is renewed once per {@link #refreshMs} instead of on every snapshot: renewed
 * to {@code ttl + refresh}, a key outlives its host's last write by at least {@code ttl} and at
 * most {@code ttl + refresh}. That halves the commands per snapshot.
 */
final class RedisLiveWriter implements SinkWriter<HostSnapshot> {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLiveWriter.class);
  private static final long WARN_EVERY_MS = 60_000;

  private final JedisPooled jedis;
  private final long ttlMs;
  private final long refreshMs;
  private final String expirySeconds;
  private final long flushIntervalMs;
  private final int maxBatch;
  private final ProcessingTimeService time;
  private final List<HostSnapshot> buffer = new ArrayList<>();

  /** Per host: when (processing time) its keys' expiry was last renewed by a write that went. */
  private final Map<String, Long> renewedAt = new HashMap<>();

  private long lastPruneMs;
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
    this.ttlMs = ttlSeconds * 1000;
    this.refreshMs = refreshMs(ttlSeconds);
    this.expirySeconds = Long.toString(ttlSeconds + refreshMs / 1000);
    this.flushIntervalMs = flushIntervalMs;
    this.maxBatch = maxBatch;
    this.time = time;
    this.written = metrics.getNumRecordsSendCounter();
    this.failed = metrics.counter("redisWriteFailures");
  }

  /** How often a host's key expiry is renewed: a tenth of the TTL, between 1 s and 60 s. */
  static long refreshMs(long ttlSeconds) {
    return Math.max(1, Math.min(60, ttlSeconds / 10)) * 1000;
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
    long now = time.getCurrentProcessingTime();
    Map<String, Double> lastSeen = new HashMap<>();
    Set<String> renewed = new HashSet<>();
    try (AbstractPipeline p = jedis.pipelined()) {
      for (HostSnapshot s : buffer) {
        LiveValues live = LiveValues.of(s);
        String key = LiveValues.hostKey(s.hostId());
        // one flat argument array per command (no field maps): this runs for every snapshot
        String[] hset = live.hashArgs(1);
        hset[0] = key;
        p.sendCommand(Protocol.Command.HSET, hset);
        lastSeen.merge(s.hostId(), (double) s.timestampMs(), Math::max);
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
        if (needsRenewal(s.hostId(), now) && renewed.add(s.hostId())) {
          // after the HSET and XADD that may have created the keys
          p.sendCommand(Protocol.Command.EXPIRE, key, expirySeconds);
          p.sendCommand(Protocol.Command.EXPIRE, recent, expirySeconds);
        }
        p.publish(LiveValues.CHANNEL, live.message());
      }
      p.zadd(LiveValues.HOSTS, lastSeen, ZAddParams.zAddParams().gt());
      p.sync();
      for (String host : renewed) {
        renewedAt.put(host, now);
      }
      written.inc(buffer.size());
    } catch (JedisException e) {
      failed.inc(buffer.size());
      // whether the renewals reached Redis is unknown: renew on the next write of each host
      renewedAt.clear();
      long wall = System.currentTimeMillis();
      if (wall - lastWarnMs >= WARN_EVERY_MS) {
        lastWarnMs = wall;
        LOG.warn(
            "Redis write of {} live snapshot(s) failed ({}); dropping them, the next snapshots"
                + " refresh the live values",
            buffer.size(),
            e.getMessage());
      }
    } finally {
      buffer.clear();
    }
    pruneSilentHosts(now);
  }

  private boolean needsRenewal(String hostId, long now) {
    Long at = renewedAt.get(hostId);
    return at == null || now - at >= refreshMs;
  }

  /** Forgets hosts whose keys have expired (silent for longer than the TTL plus a refresh). */
  private void pruneSilentHosts(long now) {
    if (now - lastPruneMs < ttlMs) {
      return;
    }
    lastPruneMs = now;
    renewedAt.values().removeIf(at -> now - at > ttlMs + refreshMs);
  }

  @Override
  public void close() {
    jedis.close();
  }
}
