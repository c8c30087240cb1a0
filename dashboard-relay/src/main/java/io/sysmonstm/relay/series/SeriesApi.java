package io.sysmonstm.relay.series;

import io.sysmonstm.relay.http.BadParameter;
import io.sysmonstm.relay.http.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;

/**
 * {@code GET /api/hosts/{id}/series}: one series' history at the requested (or automatically
 * picked) step. A host without history gets 200 with no points: hosts come and go, and history
 * outlives them. More than {@link #MAX_POINTS} points is a 400 asking for a coarser step.
 */
public final class SeriesApi {
  public static final int MAX_POINTS = 10_000;

  private final SeriesReader reader;
  private final RecentReader recent;
  private final Clock clock;

  public SeriesApi(SeriesReader reader, RecentReader recent, Clock clock) {
    this.reader = reader;
    this.recent = recent;
    this.clock = clock;
  }

  /** Raw points of the last five minutes come from Redis when it has them, else the database. */
  private Future<List<Point>> points(SeriesQuery q) {
    if (!RecentReader.covers(q, clock.instant())) {
      return reader.read(q, MAX_POINTS);
    }
    return recent
        .read(q, MAX_POINTS)
        .compose(p -> p.isEmpty() ? reader.read(q, MAX_POINTS) : Future.succeededFuture(p));
  }

  public void get(RoutingContext ctx) {
    SeriesQuery q;
    try {
      q = SeriesQuery.parse(ctx.pathParam("id"), ctx.request()::getParam, clock.instant());
    } catch (BadParameter e) {
      Replies.sendError(ctx, 400, e.getMessage());
      return;
    }
    points(q)
        .onSuccess(
            points -> {
              if (points.size() > MAX_POINTS) {
                Replies.sendError(ctx, 400, tooMany(q));
                return;
              }
              JsonArray out = new JsonArray();
              points.forEach(p -> out.add(p.toJson()));
              JsonObject attrs = new JsonObject();
              q.attrs().forEach(attrs::put);
              Replies.sendJson(
                  ctx,
                  200,
                  new JsonObject()
                      .put("host_id", q.hostId())
                      .put("metric", q.metric())
                      .put("attrs", attrs)
                      .put("from", q.from().toString())
                      .put("to", q.to().toString())
                      .put("step", q.step().label())
                      .put("points", out));
            })
        .onFailure(ctx::fail);
  }

  private static String tooMany(SeriesQuery q) {
    String advice =
        switch (q.step()) {
          case RAW -> "ask for step=1m or step=1h, or a shorter range";
          case MINUTE -> "ask for step=1h, or a shorter range";
          case HOUR -> "ask for a shorter range";
        };
    return "invalid parameter 'step': more than "
        + MAX_POINTS
        + " points at step '"
        + q.step().label()
        + "'; "
        + advice;
  }
}
