package io.sysmonstm.relay.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** How every relay handler answers: JSON bodies, and one error shape {@code {"error": "..."}}. */
public final class Replies {
  private Replies() {}

  /** Answers {@code status} with {@code {"error": message}}; the message is for people. */
  public static void sendError(RoutingContext ctx, int status, String message) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("error", message).encode());
  }

  /** Answers {@code status} with a JSON object. */
  public static void sendJson(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
