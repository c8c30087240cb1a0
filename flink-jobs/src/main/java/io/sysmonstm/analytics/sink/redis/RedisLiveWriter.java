package io.sysmonstm.analytics.sink.redis;

import io.sysmonstm.analytics.DaemonThreads;
import io.sysmonstm.analytics.LogThrottle;
import io.sysmonstm.analytics.snapshot.HostSnapshot;
import io.sysmonstm.live.RedisKeys;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.params.ZAddParams;

/**
 * Buffers snapshots and hands them to a background thread, which writes each batch in one pipelined
 * round trip. A batch is handed on when {@code maxBatch} are buffered, {@code flushIntervalMs}
 * after the first buffered one, and on every checkpoint. So the task thread neither encodes the
 * commands nor waits for Redis, except that it waits when {@link #MAX_IN_FLIGHT} batches are
 * already handed on and not yet written (back-pressure). A checkpoint and the end of input wait
 * until every batch handed on is written. Batches are written in the order they were handed on, by
 * the one thread. A Redis failure drops that batch (counted, one warning a minute): live values are
 * refreshed by the next snapshot, and the rollups must not stop because the hot tier is away.
 *
 * <p>Per snapshot it sends the host hash (HSET), the recent-values entry (XADD) and the live
 * message (PUBLISH). The hosts index gets one ZADD per round trip for all its hosts, and the expiry
 * of a host's two keys is renewed once per {@link #refreshMs} instead of on every snapshot: renewed
 * to {@code ttl + refresh}, a key outlives its host's last write by at least {@code ttl} and at
 * most {@code ttl + refresh}. That halves the commands per snapshot.
 *
 * <p>Keys, fields and the channel are the live contract's ({@link io.sysmonstm.live}); {@link
 * LiveValues} encodes each snapshot for them.
 */
final class RedisLiveWriter implements SinkWriter<HostSnapshot> {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLiveWriter.class);

  /** Batches handed to the writer thread and not yet written: one being written, one waiting. */
  static final int MAX_IN_FLIGHT = 2;

  private final JedisPooled jedis;
  private final long ttlMs;
  private final long refreshMs;
  private final String expirySeconds;
  private final long flushIntervalMs;
  private final int maxBatch;
  private final ProcessingTimeService time;
  private final ExecutorService background;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private List<HostSnapshot> buffer = new ArrayList<>();
  private boolean timerArmed;

  // the writer thread's own: what follows is used only by writeBatch and what it calls

  /** Per host: when (processing time) its keys' expiry was last renewed by a write that went. */
  private final Map<String, Long> renewedAt = new HashMap<>();

  private long lastPruneMs;
  private final Counter written;
  private final Counter failed;
  private final LogThrottle failureWarnings = LogThrottle.everyMinute();

  RedisLiveWriter(
      URI redisUrl,
      long ttlSeconds,
      long flushIntervalMs,
      int maxBatch,
      ProcessingTimeService time,
      SinkWriterMetricGroup metrics,
      int subtask) {
    this.jedis = new JedisPooled(redisUrl);
    this.ttlMs = ttlSeconds * 1000;
    this.refreshMs = refreshMs(ttlSeconds);
    this.expirySeconds = Long.toString(ttlSeconds + refreshMs / 1000);
    this.flushIntervalMs = flushIntervalMs;
    this.maxBatch = maxBatch;
    this.time = time;
    this.written = metrics.getNumRecordsSendCounter();
    this.failed = metrics.counter("redisWriteFailures");
    String threadName = "redis-writer live (" + (subtask + 1) + ")";
    this.background = Executors.newSingleThreadExecutor(DaemonThreads.named(threadName));
  }

  /** How often a host's key expiry is renewed: a tenth of the TTL, between 1 s and 60 s. */
  static long refreshMs(long ttlSeconds) {
    return Math.max(1, Math.min(60, ttlSeconds / 10)) * 1000;
  }

  @Override
  public void write(HostSnapshot snapshot, Context context) throws InterruptedException {
    buffer.add(snapshot);
    if (buffer.size() >= maxBatch) {
      handOn();
    } else if (!timerArmed) {
      timerArmed = true;
      time.registerTimer(time.getCurrentProcessingTime() + flushIntervalMs, t -> onTimer());
    }
  }

  private void onTimer() throws InterruptedException {
    timerArmed = false;
    handOn();
  }

  @Override
  public void flush(boolean endOfInput) throws InterruptedException {
    handOn();
    // every batch handed on is written once all slots are free again
    inFlight.acquire(MAX_IN_FLIGHT);
    inFlight.release(MAX_IN_FLIGHT);
  }

  /** Hands the buffered snapshots to the writer thread, first waiting for a free slot. */
  private void handOn() throws InterruptedException {
    if (buffer.isEmpty()) {
      return;
    }
    List<HostSnapshot> batch = buffer;
    buffer = new ArrayList<>(Math.min(maxBatch, 1024));
    long now = time.getCurrentProcessingTime();
    inFlight.acquire();
    try {
      background.execute(
          () -> {
            try {
              writeBatch(batch, now);
            } finally {
              inFlight.release();
            }
          });
    } catch (RejectedExecutionException e) {
      inFlight.release();
      throw e;
    }
  }

  private void writeBatch(List<HostSnapshot> batch, long now) {
    Map<String, Double> lastSeen = new HashMap<>();
    Set<String> renewed = new HashSet<>();
    try (AbstractPipeline p = jedis.pipelined()) {
      for (HostSnapshot s : batch) {
        LiveValues live = LiveValues.of(s);
        String key = RedisKeys.hostKey(s.hostId());
        // one flat argument array per command (no field maps): this runs for every snapshot
        String[] hset = live.hashArgs(1);
        hset[0] = key;
        p.sendCommand(Protocol.Command.HSET, hset);
        lastSeen.merge(s.hostId(), (double) s.timestampMs(), Math::max);
        // only newer snapshots reach this sink, so entry ids grow; a replayed older one is
        // refused by Redis (ID too small) without affecting the rest of the pipeline
        String recent = RedisKeys.recentKey(s.hostId());
        String[] xadd = live.recentArgs(5);
        xadd[0] = recent;
        xadd[1] = "MINID";
        xadd[2] = "~";
        xadd[3] = Long.toString(s.timestampMs() - RedisKeys.RECENT_WINDOW_MS);
        xadd[4] = RedisKeys.recentEntryId(s.timestampMs());
        p.sendCommand(Protocol.Command.XADD, xadd);
        if (needsRenewal(s.hostId(), now) && renewed.add(s.hostId())) {
          // after the HSET and XADD that may have created the keys
          p.sendCommand(Protocol.Command.EXPIRE, key, expirySeconds);
          p.sendCommand(Protocol.Command.EXPIRE, recent, expirySeconds);
        }
        p.publish(RedisKeys.LIVE_CHANNEL, live.message());
      }
      p.zadd(RedisKeys.HOSTS, lastSeen, ZAddParams.zAddParams().gt());
      p.sync();
      for (String host : renewed) {
        renewedAt.put(host, now);
      }
      written.inc(batch.size());
    } catch (RuntimeException e) {
      // a JedisException when Redis is away; anything else is as much a reason to drop the
      // batch and keep the job going
      failed.inc(batch.size());
      // whether the renewals reached Redis is unknown: renew on the next write of each host
      renewedAt.clear();
      if (failureWarnings.due()) {
        LOG.warn(
            "Redis write of {} live snapshot(s) failed ({}); dropping them, the next snapshots"
                + " refresh the live values",
            batch.size(),
            e.toString());
      }
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

  /** Stops the writer thread without waiting (the end of input has flushed before). */
  @Override
  public void close() {
    background.shutdownNow();
    jedis.close();
  }
}
