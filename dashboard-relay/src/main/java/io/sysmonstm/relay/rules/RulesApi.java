package io.sysmonstm.relay.rules;

import io.sysmonstm.relay.health.DependencyUnavailable;
import io.sysmonstm.relay.http.Replies;
import io.sysmonstm.relay.metrics.RelayMetrics;
import io.sysmonstm.rules.Rule;
import io.sysmonstm.rules.RuleCodec;
import io.sysmonstm.rules.RuleException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/rules}, {@code GET|PUT|DELETE /api/rules/{id}}: the alert rules. Reads are open;
 * changes need the admin token when one is configured, are validated by {@link RuleCodec}, and
 * reach the running job through the rules topic (see {@link RulesStore}).
 */
public final class RulesApi {
  private static final Logger LOG = LoggerFactory.getLogger(RulesApi.class);

  /** The largest rule body accepted; larger is a 413. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private final RulesStore store;
  private final AdminToken token;
  private final RelayMetrics metrics;

  public RulesApi(RulesStore store, AdminToken token, RelayMetrics metrics) {
    this.store = store;
    this.token = token;
    this.metrics = metrics;
  }

  /** {@code GET /api/rules}: a JSON array of canonical rules, by id. */
  public void list(RoutingContext ctx) {
    store
        .list()
        .onSuccess(rules -> Replies.sendJsonText(ctx, 200, "[" + String.join(",", rules) + "]"))
        .onFailure(ctx::fail);
  }

  /** {@code GET /api/rules/{id}}: the canonical rule, or 404. */
  public void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    store
        .get(id)
        .onSuccess(
            rule -> {
              if (rule.isPresent()) {
                Replies.sendJsonText(ctx, 200, rule.get());
              } else {
                Replies.sendError(ctx, 404, noSuchRule(id));
              }
            })
        .onFailure(ctx::fail);
  }

  /** Before a change: 401 unless the request carries the admin token (when one is configured). */
  public void authorize(RoutingContext ctx) {
    if (token.accepts(ctx.request().getHeader("Authorization"))) {
      ctx.next();
      return;
    }
    count(ctx, "unauthorized");
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"sysmonstm\"");
    Replies.sendError(
        ctx, 401, "changing rules needs the admin token: send Authorization: Bearer <token>");
  }

  /**
   * {@code PUT /api/rules/{id}}: creates (201) or replaces (200) the rule; answers it canonical.
   */
  public void put(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String body = ctx.body().asString();
    Rule rule;
    try {
      rule = RuleCodec.parse(body == null ? "" : body, id);
    } catch (RuleException e) {
      count(ctx, "invalid");
      Replies.sendError(
          ctx, 400, new JsonObject().put("error", e.getMessage()).put("field", e.field()));
      return;
    }
    store
        .put(rule)
        .onSuccess(
            created -> {
              count(ctx, created ? "created" : "replaced");
              LOG.info(
                  "Rule {} {} and published to {}",
                  id,
                  created ? "created" : "replaced",
                  store.topic());
              if (created) {
                ctx.response().putHeader("Location", "/api/rules/" + id);
              }
              Replies.sendJsonText(ctx, created ? 201 : 200, RuleCodec.toJson(rule));
            })
        .onFailure(e -> failed(ctx, e));
  }

  /** {@code DELETE /api/rules/{id}}: 204, or 404 when there is no such rule. */
  public void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    store
        .delete(id)
        .onSuccess(
            deleted -> {
              if (deleted) {
                count(ctx, "deleted");
                LOG.info("Rule {} deleted and tombstoned on {}", id, store.topic());
                ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
              } else {
                count(ctx, "not_found");
                Replies.sendError(ctx, 404, noSuchRule(id));
              }
            })
        .onFailure(e -> failed(ctx, e));
  }

  /** Failure handler of the change routes: a body over the limit is a 413 naming the limit. */
  public void rejected(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      count(ctx, "too_large");
      Replies.sendError(
          ctx,
          413,
          "the rule is larger than " + MAX_BODY_BYTES / 1024 + " KiB; send a smaller one");
    } else {
      ctx.next();
    }
  }

  private void failed(RoutingContext ctx, Throwable e) {
    boolean kafka = e instanceof DependencyUnavailable u && u.dependency() == store.kafka();
    count(ctx, kafka ? "kafka_unavailable" : "failed");
    ctx.fail(e);
  }

  private void count(RoutingContext ctx, String outcome) {
    metrics.countRuleWrite(ctx.request().method() == HttpMethod.DELETE ? "delete" : "put", outcome);
  }

  private static String noSuchRule(String id) {
    return "no rule '" + id + "'";
  }
}
