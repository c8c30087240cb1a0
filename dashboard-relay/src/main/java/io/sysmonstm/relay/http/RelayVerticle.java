package io.sysmonstm.relay.http;

import io.sysmonstm.relay.alerts.AlertsApi;
import io.sysmonstm.relay.health.DependencyUnavailable;
import io.sysmonstm.relay.health.HealthApi;
import io.sysmonstm.relay.hosts.HostsApi;
import io.sysmonstm.relay.live.LiveFeed;
import io.sysmonstm.relay.live.RedisSubscriber;
import io.sysmonstm.relay.metrics.RelayMetrics;
import io.sysmonstm.relay.page.PageConfigApi;
import io.sysmonstm.relay.rules.RulesApi;
import io.sysmonstm.relay.series.SeriesApi;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's HTTP side: the dashboard page, the REST API, {@code /ws}, {@code /health} and {@code
 * /metrics}. Starts the Redis subscription first, then listens; the start future is the listen
 * future.
 */
public final class RelayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RelayVerticle.class);

  /** The route label of requests that matched no route (bounded metric cardinality). */
  static final String UNMATCHED = "unmatched";

  private static final String RULE = "/api/rules/{id}";

  /** What the verticle serves, built by the server. */
  public record Parts(
      String bind,
      int port,
      PageConfigApi config,
      HostsApi hosts,
      SeriesApi series,
      AlertsApi alerts,
      RulesApi rules,
      HealthApi health,
      LiveFeed live,
      RedisSubscriber subscriber,
      RelayMetrics metrics) {}

  private final Parts parts;
  private HttpServer server;

  public RelayVerticle(Parts parts) {
    this.parts = parts;
  }

  /** The port the server listens on, once started. */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(this::common);
    named(router.get("/health"), "/health").handler(parts.health()::check);
    named(router.get("/metrics"), "/metrics").handler(parts.metrics()::scrape);
    named(router.get("/api/config"), "/api/config").handler(parts.config()::get);
    named(router.get("/api/hosts"), "/api/hosts").handler(parts.hosts()::list);
    named(router.get("/api/hosts/:id/series"), "/api/hosts/{id}/series")
        .handler(parts.series()::get);
    named(router.get("/api/alerts"), "/api/alerts").handler(parts.alerts()::list);
    named(router.get("/api/rules"), "/api/rules").handler(parts.rules()::list);
    named(router.get("/api/rules/:id"), RULE).handler(parts.rules()::get);
    // changes: the token is checked before the body is read
    named(router.route("/api/rules/:id").method(HttpMethod.PUT).method(HttpMethod.DELETE), RULE)
        .handler(parts.rules()::authorize);
    named(router.put("/api/rules/:id"), RULE)
        .handler(BodyHandler.create(false).setBodyLimit(RulesApi.MAX_BODY_BYTES))
        .handler(parts.rules()::put)
        .failureHandler(parts.rules()::rejected);
    named(router.delete("/api/rules/:id"), RULE).handler(parts.rules()::delete);
    named(router.get("/ws"), "/ws").handler(parts.live()::upgrade);
    named(router.route("/api/*"), "/api/*").handler(this::noSuchApi);
    named(router.get("/*"), "static")
        .handler(StaticHandler.create("webroot").setDefaultContentEncoding("UTF-8"));
    router.route().failureHandler(this::failure);
    router.errorHandler(404, ctx -> Replies.sendError(ctx, 404, "not found"));
    router.errorHandler(405, ctx -> Replies.sendError(ctx, 405, "method not allowed"));

    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(parts.bind())
                .setPort(parts.port())
                .setCompressionSupported(true));
    return parts
        .subscriber()
        .start()
        .compose(v -> server.requestHandler(router).listen())
        .onSuccess(s -> LOG.info("Relay listening on {}:{}", parts.bind(), s.actualPort()))
        .onFailure(e -> parts.subscriber().close());
  }

  @Override
  public Future<?> stop() {
    parts.live().closeAll();
    return parts.subscriber().close().otherwiseEmpty();
  }

  private static Route named(Route route, String name) {
    return route.setName(name);
  }

  /** Security headers on every answer, and the request counter. */
  private void common(RoutingContext ctx) {
    ctx.response()
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader(
            "Content-Security-Policy",
            "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:;"
                + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    ctx.addEndHandler(
        ar -> parts.metrics().countRequest(routeLabel(ctx), ctx.response().getStatusCode()));
    ctx.next();
  }

  private static String routeLabel(RoutingContext ctx) {
    Route r = ctx.currentRoute();
    return r == null || r.getName() == null ? UNMATCHED : r.getName();
  }

  private void noSuchApi(RoutingContext ctx) {
    Replies.sendError(ctx, 404, "no such API: " + ctx.request().path());
  }

  private void failure(RoutingContext ctx) {
    Throwable e = ctx.failure();
    if (e instanceof DependencyUnavailable u) {
      Replies.sendError(ctx, 503, u.getMessage());
    } else if (e == null || e instanceof HttpException) {
      Replies.sendError(ctx, ctx.statusCode() > 0 ? ctx.statusCode() : 500, "request failed");
    } else {
      LOG.error("{} {} failed; answering 500", ctx.request().method(), ctx.request().path(), e);
      Replies.sendError(ctx, 500, "internal error");
    }
  }
}
