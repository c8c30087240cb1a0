package io.sysmonstm.relay.live;

import io.sysmonstm.live.RedisKeys;
import io.sysmonstm.relay.health.DependencyStatus;
import io.sysmonstm.retry.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one Redis connection subscribed to the live channels and hands every message's text to a
 * consumer. When the connection drops it reconnects with backoff (250 ms doubling to 10 s), logging
 * one line when the subscription is lost and one when it is back. Runs on one Vert.x context.
 */
public final class RedisSubscriber {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSubscriber.class);

  /** Channels relayed to WebSocket clients: host snapshots and alert events. */
  public static final List<String> CHANNELS =
      List.of(RedisKeys.LIVE_CHANNEL, RedisKeys.ALERTS_CHANNEL);

  private final Vertx vertx;
  private final RedisOptions options;
  private final String redisForLog;
  private final Consumer<String> onMessage;
  private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10));

  private Redis client;
  private RedisConnection connection;
  private volatile boolean subscribed;
  private boolean closed;
  private long timerId = -1;

  public RedisSubscriber(
      Vertx vertx, RedisOptions options, String redisForLog, Consumer<String> onMessage) {
    this.vertx = vertx;
    this.options = new RedisOptions(options).setMaxPoolSize(1).setMaxPoolWaiting(1);
    this.redisForLog = redisForLog;
    this.onMessage = onMessage;
  }

  /** Subscribes; the future fails if the first attempt fails (the caller decides what then). */
  public Future<Void> start() {
    client = Redis.createClient(vertx, options);
    return subscribe()
        .onSuccess(v -> LOG.info("Subscribed to Redis channels {} at {}", CHANNELS, redisForLog));
  }

  public boolean isSubscribed() {
    return subscribed;
  }

  /** Stops reconnecting and closes the connection. */
  public Future<Void> close() {
    closed = true;
    subscribed = false;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    RedisConnection c = connection;
    connection = null;
    Future<Void> closing = c != null ? c.close().otherwiseEmpty() : Future.succeededFuture();
    return closing.compose(v -> client != null ? client.close() : Future.succeededFuture());
  }

  private Future<Void> subscribe() {
    return client
        .connect()
        .compose(
            c -> {
              c.handler(this::onResponse);
              c.exceptionHandler(e -> lost(c, e));
              c.endHandler(v -> lost(c, null));
              Request sub = Request.cmd(Command.SUBSCRIBE);
              CHANNELS.forEach(sub::arg);
              return c.send(sub)
                  .onFailure(e -> c.close())
                  .map(
                      r -> {
                        connection = c;
                        subscribed = true;
                        return (Void) null;
                      });
            });
  }

  private void onResponse(Response r) {
    // RESP2 pub/sub push: ["message", channel, payload]; subscribe confirmations are ignored.
    if (r.size() == 3 && "message".equals(r.get(0).toString())) {
      Response payload = r.get(2);
      if (payload != null) {
        onMessage.accept(payload.toString());
      }
    }
  }

  private void lost(RedisConnection c, Throwable cause) {
    if (c != connection || closed) {
      return; // an old connection, or we are closing
    }
    connection = null;
    subscribed = false;
    c.close();
    LOG.warn(
        "Redis subscription at {} lost ({}); reconnecting with backoff up to 10 s",
        redisForLog,
        cause == null ? "connection closed" : DependencyStatus.describe(cause));
    retry();
  }

  private void retry() {
    if (closed) {
      return;
    }
    timerId =
        vertx.setTimer(
            backoff.nextDelayMs(),
            id -> {
              timerId = -1;
              if (closed) {
                return;
              }
              subscribe()
                  .onSuccess(
                      v -> {
                        if (closed) {
                          close();
                          return;
                        }
                        LOG.info(
                            "Redis subscription at {} restored after {} attempt(s)",
                            redisForLog,
                            backoff.attempts());
                        backoff.reset();
                      })
                  .onFailure(
                      e -> {
                        LOG.debug("Redis subscription attempt failed: {}", e.toString());
                        retry();
                      });
            });
  }
}
