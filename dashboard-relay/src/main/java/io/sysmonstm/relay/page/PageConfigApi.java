package io.sysmonstm.relay.page;

import io.sysmonstm.relay.http.Replies;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * {@code GET /api/config}: what the page needs from this relay before it shows a host, so that it
 * judges health by the same thresholds as {@code /api/hosts} instead of copies of their defaults.
 * The page reads it first, before the host list, and ages each card with it between refreshes.
 *
 * <ul>
 *   <li>{@code stale_after_ms}: a host whose newest snapshot is older is {@code stale} (the relay's
 *       {@code --stale-after});
 *   <li>{@code down_after_ms}: a host silent this long has lost its live hash, so {@code
 *       /api/hosts} reports it {@code down} (the job's {@code --live-ttl}, at its default {@link
 *       io.sysmonstm.live.RedisKeys#DEFAULT_LIVE_TTL}: the relay has no setting of its own for it).
 * </ul>
 */
public final class PageConfigApi {
  private final String body;

  public PageConfigApi(Duration staleAfter, Duration downAfter) {
    this.body =
        new JsonObject()
            .put("stale_after_ms", staleAfter.toMillis())
            .put("down_after_ms", downAfter.toMillis())
            .encode();
  }

  public void get(RoutingContext ctx) {
    Replies.sendJsonText(ctx, 200, body);
  }
}
