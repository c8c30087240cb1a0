package io.sysmonstm.analytics.sink.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for Alertmanager (outside our system): records every {@code POST /api/v2/alerts} and
 * answers 200, or a chosen status for the next requests.
 */
final class FakeAlertmanager implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request: when it arrived and the alerts it carried. */
  record Request(long receivedAtMs, String path, String contentType, List<JsonNode> alerts) {}

  private final HttpServer server;
  private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private volatile int failStatus = 503;
  private volatile boolean down;

  FakeAlertmanager() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The next {@code n} requests get {@code status} (and are not recorded). */
  void failNext(int n, int status) {
    failStatus = status;
    failNext.set(n);
  }

  /** Answers every request with 503 until {@link #up()}. */
  void down() {
    down = true;
  }

  void up() {
    down = false;
  }

  int failuresLeft() {
    return failNext.get();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Every alert received, in order. */
  List<JsonNode> alerts() {
    List<JsonNode> all = new ArrayList<>();
    requests.forEach(r -> all.addAll(r.alerts()));
    return all;
  }

  /** The alerts received with annotation fingerprint {@code fp}, in order. */
  List<JsonNode> alerts(String fp) {
    return alerts().stream()
        .filter(a -> a.path("annotations").path("fingerprint").asText().equals(fp))
        .toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (down || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        exchange.sendResponseHeaders(down ? 503 : failStatus, -1);
        return;
      }
      List<JsonNode> alerts = new ArrayList<>();
      JSON.readTree(body).forEach(alerts::add);
      requests.add(
          new Request(
              System.currentTimeMillis(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              alerts));
      exchange.sendResponseHeaders(200, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
