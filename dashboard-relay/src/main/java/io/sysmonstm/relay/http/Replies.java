package io.sysmonstm.relay.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** How every relay handler answers: JSON bodies, and one error shape {@code {"error": "..."}}. */
public final class Replies {
  private Replies() {}

  /** Answers {@code status} with {@code {"error": message}}; the message is for people. */
  public static void sendError(RoutingContext ctx, int status, String message) {
    sendError(ctx, status, new JsonObject().put("error", message));
  }

  /**
   * Answers {@code status} with an error object: {@code "error"} (for people) and any fields that
   * help a program (e.g. {@code "field"}, the JSON path of a rejected value).
   */
  public static void sendError(RoutingContext ctx, int status, JsonObject error) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    sendJsonText(ctx, status, error.encode());
  }

  /** Answers {@code status} with a JSON object. */
  public static void sendJson(RoutingContext ctx, int status, JsonObject body) {
    sendJsonText(ctx, status, body.encode());
  }

  /** Answers {@code status} with a JSON array. */
  public static void sendJson(RoutingContext ctx, int status, JsonArray body) {
    sendJsonText(ctx, status, body.encode());
  }

  /** Answers {@code status} with JSON that is already text. */
  public static void sendJsonText(RoutingContext ctx, int status, String json) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(json);
  }
}
