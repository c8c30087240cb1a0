package io.sysmonstm.relay.series;

import io.sysmonstm.live.RedisKeys;
import io.sysmonstm.live.SeriesKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw points of the last five minutes from the job's per-host stream {@link RedisKeys#recentKey}
 * (one entry per snapshot, id = event time in ms, one field per series key), so 5-minute charts and
 * sparklines do not query the database.
 */
public final class RecentReader {
  /** How far back the stream reaches (the job trims it to this). */
  public static final Duration WINDOW = RedisKeys.RECENT_WINDOW;

  private final Redis redis;

  public RecentReader(Redis redis) {
    this.redis = redis;
  }

  /** Whether {@code q} lies inside the window the stream covers at {@code now}. */
  public static boolean covers(SeriesQuery q, Instant now) {
    return q.step() == Step.RAW && !q.from().isBefore(now.minus(WINDOW));
  }

  /**
   * Up to {@code limit + 1} points of {@code q} in {@code [from, to)}, ordered by time; empty when
   * the stream has none (an older job, or Redis unreachable: the caller falls back to the
   * database).
   */
  public Future<List<Point>> read(SeriesQuery q, int limit) {
    String field = SeriesKeys.of(q.metric(), q.attrsJson());
    Request xrange =
        Request.cmd(Command.XRANGE)
            .arg(RedisKeys.recentKey(q.hostId()))
            .arg(q.from().toEpochMilli())
            .arg("(" + q.to().toEpochMilli())
            .arg("COUNT")
            .arg(limit + 1);
    return redis.send(xrange).map(entries -> points(entries, field)).otherwise(List.of());
  }

  static List<Point> points(Response entries, String field) {
    List<Point> out = new ArrayList<>();
    if (entries == null) {
      return out;
    }
    for (Response entry : entries) {
      long ms = RedisKeys.recentEntryTimeMs(entry.get(0).toString());
      Response fields = entry.get(1);
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        if (field.equals(fields.get(i).toString())) {
          double v = Double.parseDouble(fields.get(i + 1).toString());
          if (Double.isFinite(v)) {
            out.add(Point.raw(Instant.ofEpochMilli(ms), v));
          }
          break;
        }
      }
    }
    return out;
  }
}
