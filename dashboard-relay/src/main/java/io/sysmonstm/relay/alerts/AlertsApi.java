package io.sysmonstm.relay.alerts;

import io.sysmonstm.relay.http.BadParameter;
import io.sysmonstm.relay.http.Replies;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * {@code GET /api/alerts?state=firing|resolved|all&since=…&limit=…}: alert transitions, newest
 * first, as a JSON array of the job's alert events. {@code state=firing} answers the active alerts.
 */
public final class AlertsApi {
  private final AlertsReader reader;
  private final Clock clock;

  public AlertsApi(AlertsReader reader, Clock clock) {
    this.reader = reader;
    this.clock = clock;
  }

  public void list(RoutingContext ctx) {
    AlertsQuery q;
    try {
      q = AlertsQuery.parse(ctx.request()::getParam, clock.instant());
    } catch (BadParameter e) {
      Replies.sendError(ctx, 400, e.getMessage());
      return;
    }
    reader
        .read(q)
        .onSuccess(
            events -> {
              JsonArray out = new JsonArray();
              events.forEach(out::add);
              Replies.sendJson(ctx, 200, out);
            })
        .onFailure(ctx::fail);
  }
}
