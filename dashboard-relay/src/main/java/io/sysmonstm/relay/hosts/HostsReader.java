package io.sysmonstm.relay.hosts;

import io.sysmonstm.live.RedisKeys;
import io.sysmonstm.relay.health.DependencyStatus;
import io.sysmonstm.relay.health.DependencyUnavailable;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the host list: the Redis index {@link RedisKeys#HOSTS} and every live hash {@link
 * RedisKeys#hostKey} (one pipelined batch), and the PostgreSQL {@code hosts} table, in parallel.
 */
public final class HostsReader {
  private static final long TIMEOUT_MS = 5_000;

  private final Redis redis;
  private final Pool pg;
  private final DependencyStatus redisStatus;
  private final DependencyStatus pgStatus;
  private final Duration staleAfter;
  private final Clock clock;

  public HostsReader(
      Redis redis,
      Pool pg,
      DependencyStatus redisStatus,
      DependencyStatus pgStatus,
      Duration staleAfter,
      Clock clock) {
    this.redis = redis;
    this.pg = pg;
    this.redisStatus = redisStatus;
    this.pgStatus = pgStatus;
    this.staleAfter = staleAfter;
    this.clock = clock;
  }

  private record Live(Map<String, Long> indexed, Map<String, Map<String, String>> hashes) {}

  /** Every known host, sorted by host id; fails with {@link DependencyUnavailable}. */
  public Future<List<HostSummary>> read() {
    Future<Live> live = DependencyUnavailable.guard(readRedis(), redisStatus, TIMEOUT_MS);
    Future<Map<String, HostRow>> rows =
        DependencyUnavailable.guard(readRows(), pgStatus, TIMEOUT_MS);
    return Future.all(live, rows)
        .map(
            cf ->
                HostsMerge.merge(
                    live.result().indexed(),
                    live.result().hashes(),
                    rows.result(),
                    clock.millis(),
                    staleAfter));
  }

  private Future<Live> readRedis() {
    Request zrange =
        Request.cmd(Command.ZRANGE).arg(RedisKeys.HOSTS).arg(0).arg(-1).arg("WITHSCORES");
    return redis
        .send(zrange)
        .compose(
            r -> {
              Map<String, Long> indexed = new LinkedHashMap<>();
              for (int i = 0; r != null && i + 1 < r.size(); i += 2) {
                indexed.put(
                    r.get(i).toString(), (long) Double.parseDouble(r.get(i + 1).toString()));
              }
              if (indexed.isEmpty()) {
                return Future.succeededFuture(new Live(indexed, Map.of()));
              }
              List<String> ids = new ArrayList<>(indexed.keySet());
              List<Request> batch = new ArrayList<>(ids.size());
              for (String id : ids) {
                batch.add(Request.cmd(Command.HGETALL).arg(RedisKeys.hostKey(id)));
              }
              return redis
                  .batch(batch)
                  .map(
                      responses -> {
                        Map<String, Map<String, String>> hashes = new HashMap<>();
                        for (int i = 0; i < ids.size(); i++) {
                          hashes.put(ids.get(i), fields(responses.get(i)));
                        }
                        return new Live(indexed, hashes);
                      });
            });
  }

  private static Map<String, String> fields(Response hash) {
    Map<String, String> out = new HashMap<>();
    if (hash == null) {
      return out;
    }
    for (int i = 0; i + 1 < hash.size(); i += 2) {
      Response v = hash.get(i + 1);
      out.put(hash.get(i).toString(), v == null ? null : v.toString());
    }
    return out;
  }

  private Future<Map<String, HostRow>> readRows() {
    return pg.query("SELECT host_id, hostname, os, cores, memory_total_bytes, last_seen FROM hosts")
        .execute()
        .map(
            rs -> {
              Map<String, HostRow> rows = new HashMap<>();
              for (Row row : rs) {
                OffsetDateTime seen = row.getOffsetDateTime("last_seen");
                HostRow h =
                    new HostRow(
                        row.getString("host_id"),
                        row.getString("hostname"),
                        row.getString("os"),
                        row.getInteger("cores"),
                        row.getLong("memory_total_bytes"),
                        seen == null ? 0 : seen.toInstant().toEpochMilli());
                rows.put(h.hostId(), h);
              }
              return rows;
            });
  }
}
