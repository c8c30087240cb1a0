package io.sysmonstm.analytics.sink.alert;

import io.sysmonstm.analytics.LogThrottle;
import io.sysmonstm.analytics.alert.AlertEvent;
import io.sysmonstm.live.AlertFields;
import io.sysmonstm.live.RedisKeys;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Buffers alert events and writes them in order in pipelined round trips of at most {@code
 * maxBatch}: when {@code maxBatch} are buffered, {@code flushIntervalMs} after the first buffered
 * one, and on every checkpoint. When Redis fails the events stay buffered (at most {@code
 * maxBuffered}, the oldest dropped and counted) and the writer retries with backoff, without
 * blocking checkpoints while it backs off.
 */
final class RedisAlertWriter implements SinkWriter<AlertEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(RedisAlertWriter.class);
  static final long MAX_BACKOFF_MS = 10_000;

  /**
   * KEYS[1] the active hash, ARGV[1] the fingerprint, ARGV[2] starts_at (epoch ms): deletes the
   * field only when the stored alert started at that time. Epoch milliseconds are exact in Lua's
   * doubles.
   */
  static final String RESOLVE_SCRIPT =
      "local stored = redis.call('HGET', KEYS[1], ARGV[1])\n"
          + "if not stored then return 0 end\n"
          + "local ok, alert = pcall(cjson.decode, stored)\n"
          + "if ok and type(alert) == 'table' and alert['"
          + AlertFields.STARTS_AT
          + "'] == tonumber(ARGV[2]) then\n"
          + "  return redis.call('HDEL', KEYS[1], ARGV[1])\n"
          + "end\n"
          + "return 0\n";

  private final JedisPooled jedis;
  private final long flushIntervalMs;
  private final int maxBatch;
  private final int maxBuffered;
  private final ProcessingTimeService time;
  private final ArrayDeque<AlertEvent> buffer = new ArrayDeque<>();
  private final Counter written;
  private final Counter failures;
  private final Counter dropped;
  private boolean timerArmed;
  private long backoffMs;
  private long retryAtMs;
  private final LogThrottle dropWarnings = LogThrottle.everyMinute();

  RedisAlertWriter(
      URI redisUrl,
      long flushIntervalMs,
      int maxBatch,
      int maxBuffered,
      ProcessingTimeService time,
      SinkWriterMetricGroup metrics) {
    this.jedis = new JedisPooled(redisUrl);
    this.flushIntervalMs = flushIntervalMs;
    this.maxBatch = maxBatch;
    this.maxBuffered = maxBuffered;
    this.time = time;
    this.written = metrics.getNumRecordsSendCounter();
    this.failures = metrics.counter("redisAlertWriteFailures");
    this.dropped = metrics.counter("redisAlertsDropped");
  }

  @Override
  public void write(AlertEvent event, Context context) {
    if (buffer.size() >= maxBuffered) {
      buffer.removeFirst();
      dropped.inc();
      if (dropWarnings.due()) {
        LOG.warn(
            "Redis unreachable and {} alert events buffered: dropping the oldest; the active"
                + " alerts in Redis are refreshed by the next transitions",
            maxBuffered);
      }
    }
    buffer.addLast(event);
    if (buffer.size() >= maxBatch && !backingOff()) {
      writeBuffered();
    }
    armTimer();
  }

  private boolean backingOff() {
    return backoffMs > 0 && time.getCurrentProcessingTime() < retryAtMs;
  }

  private void armTimer() {
    if (timerArmed || buffer.isEmpty()) {
      return;
    }
    timerArmed = true;
    long now = time.getCurrentProcessingTime();
    long at = Math.max(now + flushIntervalMs, backoffMs > 0 ? retryAtMs : 0);
    time.registerTimer(at, t -> onTimer());
  }

  private void onTimer() {
    timerArmed = false;
    if (!backingOff()) {
      writeBuffered();
    }
    armTimer();
  }

  @Override
  public void flush(boolean endOfInput) {
    if (endOfInput) {
      writeBuffered();
      if (!buffer.isEmpty()) {
        dropped.inc(buffer.size());
        LOG.warn(
            "Redis unreachable at the end of the input: {} alert event(s) not written",
            buffer.size());
        buffer.clear();
      }
    } else if (!backingOff()) {
      writeBuffered();
    }
  }

  /** Writes the buffer in order, a batch per round trip, until it is empty or Redis fails. */
  private void writeBuffered() {
    while (!buffer.isEmpty()) {
      List<AlertEvent> batch = new ArrayList<>(Math.min(maxBatch, buffer.size()));
      for (AlertEvent e : buffer) {
        if (batch.size() == maxBatch) {
          break;
        }
        batch.add(e);
      }
      try {
        List<Response<Object>> resolves = writeBatch(batch);
        for (Response<Object> r : resolves) {
          r.get(); // a script error is a bug, not an outage: surface it
        }
        written.inc(batch.size());
      } catch (JedisDataException e) {
        failures.inc();
        dropped.inc(batch.size());
        LOG.error(
            "Redis refused {} alert event(s) ({}); dropping them, continuing with the next",
            batch.size(),
            e.getMessage());
      } catch (JedisException e) {
        failures.inc();
        backOff(e);
        return;
      }
      for (int i = 0; i < batch.size(); i++) {
        buffer.removeFirst();
      }
      if (backoffMs > 0) {
        backoffMs = 0;
        LOG.info("Redis reachable again: writing the buffered alert events");
      }
    }
  }

  private List<Response<Object>> writeBatch(List<AlertEvent> batch) {
    List<Response<Object>> resolves = new ArrayList<>();
    try (AbstractPipeline p = jedis.pipelined()) {
      for (AlertEvent e : batch) {
        String json = e.toJson();
        if (e.firing()) {
          if (!e.retro()) {
            p.hset(RedisKeys.ALERTS_ACTIVE, e.fingerprint(), json);
          }
        } else {
          resolves.add(
              p.eval(
                  RESOLVE_SCRIPT,
                  List.of(RedisKeys.ALERTS_ACTIVE),
                  List.of(e.fingerprint(), Long.toString(e.startsAtMs()))));
        }
        p.publish(RedisKeys.ALERTS_CHANNEL, json);
      }
      p.sync();
    }
    return resolves;
  }

  private void backOff(JedisException e) {
    boolean first = backoffMs == 0;
    backoffMs = first ? flushIntervalMs : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    long jitter = ThreadLocalRandom.current().nextLong(backoffMs / 5 + 1);
    retryAtMs = time.getCurrentProcessingTime() + backoffMs + jitter;
    if (first) {
      LOG.warn(
          "Redis write of alert events failed ({}); keeping {} event(s), retrying with backoff"
              + " up to {} ms",
          e.getMessage(),
          buffer.size(),
          MAX_BACKOFF_MS);
    }
  }

  @Override
  public void close() {
    jedis.close();
  }
}
