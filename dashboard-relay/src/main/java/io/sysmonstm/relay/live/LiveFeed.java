package io.sysmonstm.relay.live;

import io.sysmonstm.relay.http.Replies;
import io.sysmonstm.relay.metrics.RelayMetrics;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of {@code /ws}: keeps the connected clients and sends each live message text,
 * unchanged, to every one of them. A client whose write queue is full misses that message instead
 * of making the relay buffer without bound.
 */
public final class LiveFeed {
  private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

  private final Set<ServerWebSocket> clients = ConcurrentHashMap.newKeySet();
  private final RelayMetrics metrics;
  private final int maxClients;

  public LiveFeed(RelayMetrics metrics, int maxClients) {
    this.metrics = metrics;
    this.maxClients = maxClients;
  }

  /** {@code GET /ws}: upgrades to a WebSocket and adds the client. */
  public void upgrade(RoutingContext ctx) {
    if (clients.size() >= maxClients) {
      Replies.sendError(ctx, 503, "too many WebSocket clients (" + maxClients + ")");
      return;
    }
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
      Replies.sendError(ctx, 400, "/ws expects a WebSocket upgrade");
      return;
    }
    ctx.request()
        .toWebSocket()
        .onSuccess(this::add)
        .onFailure(e -> LOG.debug("WebSocket upgrade failed: {}", e.toString()));
  }

  private void add(ServerWebSocket ws) {
    clients.add(ws);
    ws.closeHandler(v -> clients.remove(ws));
    ws.exceptionHandler(e -> clients.remove(ws));
    // clients only listen; anything they send is ignored
    ws.handler(b -> {});
  }

  /** Sends {@code text} to every client that can take it now. */
  public void broadcast(String text) {
    metrics.countLiveMessage();
    for (ServerWebSocket ws : clients) {
      if (ws.isClosed()) {
        clients.remove(ws);
      } else if (ws.writeQueueFull()) {
        metrics.countLiveDropped();
      } else {
        ws.writeTextMessage(text);
      }
    }
  }

  public int clientCount() {
    return clients.size();
  }

  /** Closes every client connection (the relay is stopping). */
  public void closeAll() {
    for (ServerWebSocket ws : clients) {
      ws.close();
    }
    clients.clear();
  }
}
