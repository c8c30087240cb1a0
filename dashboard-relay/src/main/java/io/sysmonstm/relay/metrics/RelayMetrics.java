package io.sysmonstm.relay.metrics;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The relay's counters and gauges, served as Prometheus text on {@code GET /metrics}. Label values
 * are bounded: routes are route names, never raw paths.
 */
public final class RelayMetrics {
  private record RequestKey(String route, int status) {}

  private record RuleWriteKey(String op, String outcome) {}

  private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<RuleWriteKey, LongAdder> ruleWrites = new ConcurrentHashMap<>();
  private final LongAdder liveMessages = new LongAdder();
  private final LongAdder liveDropped = new LongAdder();
  private volatile IntSupplier webSocketClients = () -> 0;
  private volatile BooleanSupplier subscriptionUp = () -> false;

  public void webSocketClients(IntSupplier gauge) {
    this.webSocketClients = gauge;
  }

  public void subscriptionUp(BooleanSupplier gauge) {
    this.subscriptionUp = gauge;
  }

  public void countRequest(String route, int status) {
    requests.computeIfAbsent(new RequestKey(route, status), k -> new LongAdder()).increment();
  }

  /**
   * A rule change was answered.
   *
   * @param op {@code put} or {@code delete}
   * @param outcome one of a fixed set: {@code created}, {@code replaced}, {@code deleted}, {@code
   *     invalid}, {@code unauthorized}, {@code not_found}, {@code too_large}, {@code
   *     kafka_unavailable}, {@code failed}
   */
  public void countRuleWrite(String op, String outcome) {
    ruleWrites.computeIfAbsent(new RuleWriteKey(op, outcome), k -> new LongAdder()).increment();
  }

  /** A message from Redis pub/sub was relayed. */
  public void countLiveMessage() {
    liveMessages.increment();
  }

  /** A WebSocket client was skipped for one message because its write queue was full. */
  public void countLiveDropped() {
    liveDropped.increment();
  }

  public long liveMessages() {
    return liveMessages.sum();
  }

  /** {@code GET /metrics}. */
  public void scrape(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(render());
  }

  /** The Prometheus text exposition of every metric. */
  public String render() {
    StringBuilder b = new StringBuilder(1024);
    header(b, "sysmonstm_relay_websocket_clients", "WebSocket clients connected now.", "gauge");
    b.append("sysmonstm_relay_websocket_clients ").append(webSocketClients.getAsInt()).append('\n');
    header(
        b,
        "sysmonstm_relay_redis_subscription_up",
        "1 while the relay is subscribed to the Redis live channels.",
        "gauge");
    b.append("sysmonstm_relay_redis_subscription_up ")
        .append(subscriptionUp.getAsBoolean() ? 1 : 0)
        .append('\n');
    header(
        b,
        "sysmonstm_relay_http_requests_total",
        "HTTP requests answered, by route and status.",
        "counter");
    requests.entrySet().stream()
        .sorted(
            (x, y) -> {
              int c = x.getKey().route().compareTo(y.getKey().route());
              return c != 0 ? c : Integer.compare(x.getKey().status(), y.getKey().status());
            })
        .forEach(
            e ->
                b.append("sysmonstm_relay_http_requests_total{route=\"")
                    .append(escape(e.getKey().route()))
                    .append("\",status=\"")
                    .append(e.getKey().status())
                    .append("\"} ")
                    .append(e.getValue().sum())
                    .append('\n'));
    header(
        b,
        "sysmonstm_relay_live_messages_total",
        "Messages received from Redis pub/sub and relayed to WebSocket clients.",
        "counter");
    b.append("sysmonstm_relay_live_messages_total ").append(liveMessages.sum()).append('\n');
    header(
        b,
        "sysmonstm_relay_live_messages_dropped_total",
        "Messages not sent to a WebSocket client whose write queue was full.",
        "counter");
    b.append("sysmonstm_relay_live_messages_dropped_total ").append(liveDropped.sum()).append('\n');
    header(
        b,
        "sysmonstm_relay_rule_writes_total",
        "Rule changes (PUT, DELETE /api/rules/{id}) answered, by operation and outcome.",
        "counter");
    ruleWrites.entrySet().stream()
        .sorted(
            (x, y) -> {
              int c = x.getKey().op().compareTo(y.getKey().op());
              return c != 0 ? c : x.getKey().outcome().compareTo(y.getKey().outcome());
            })
        .forEach(
            e ->
                b.append("sysmonstm_relay_rule_writes_total{op=\"")
                    .append(escape(e.getKey().op()))
                    .append("\",outcome=\"")
                    .append(escape(e.getKey().outcome()))
                    .append("\"} ")
                    .append(e.getValue().sum())
                    .append('\n'));
    return b.toString();
  }

  private static void header(StringBuilder b, String name, String help, String type) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static String escape(String label) {
    return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
