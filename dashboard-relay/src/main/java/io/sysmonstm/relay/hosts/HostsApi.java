package io.sysmonstm.relay.hosts;

import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/hosts}: a JSON array of every known host, sorted by host id. */
public final class HostsApi {
  private final HostsReader reader;

  public HostsApi(HostsReader reader) {
    this.reader = reader;
  }

  public void list(RoutingContext ctx) {
    reader
        .read()
        .onSuccess(
            hosts -> {
              JsonArray out = new JsonArray();
              hosts.forEach(h -> out.add(h.toJson()));
              ctx.response()
                  .putHeader("Content-Type", "application/json; charset=utf-8")
                  .putHeader("Cache-Control", "no-store")
                  .end(out.encode());
            })
        .onFailure(ctx::fail);
  }
}
