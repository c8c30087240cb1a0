package io.sysmonstm.relay.health;

import io.sysmonstm.relay.http.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/** {@code GET /health}: the relay is up; 200 when Redis and PostgreSQL answer, else 503. */
public final class HealthApi {
  private static final long CHECK_TIMEOUT_MS = 2_000;

  private final Redis redis;
  private final Pool pg;
  private final DependencyStatus redisStatus;
  private final DependencyStatus pgStatus;

  public HealthApi(Redis redis, Pool pg, DependencyStatus redisStatus, DependencyStatus pgStatus) {
    this.redis = redis;
    this.pg = pg;
    this.redisStatus = redisStatus;
    this.pgStatus = pgStatus;
  }

  public void check(RoutingContext ctx) {
    Future<Boolean> redisUp = probe(redis.send(Request.cmd(Command.PING)).mapEmpty(), redisStatus);
    Future<Boolean> pgUp = probe(pg.query("SELECT 1").execute().mapEmpty(), pgStatus);
    Future.join(redisUp, pgUp)
        .onComplete(
            ar -> {
              boolean r = redisUp.result();
              boolean p = pgUp.result();
              JsonObject body =
                  new JsonObject()
                      .put("status", r && p ? "up" : "degraded")
                      .put(
                          "checks",
                          new JsonObject()
                              .put("redis", r ? "up" : "down")
                              .put("postgres", p ? "up" : "down"));
              Replies.sendJson(ctx, r && p ? 200 : 503, body);
            });
  }

  private static Future<Boolean> probe(Future<Void> call, DependencyStatus status) {
    return call.timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(
            v -> {
              status.markUp();
              return true;
            })
        .otherwise(
            e -> {
              status.markDown(e);
              return false;
            });
  }
}
