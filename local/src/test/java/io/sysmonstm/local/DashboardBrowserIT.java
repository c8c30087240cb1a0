package io.sysmonstm.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sysmonstm.collector.CollectorConfig;
import io.sysmonstm.live.HostFields;
import io.sysmonstm.live.Messages;
import io.sysmonstm.live.RedisKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * The dashboard as a person sees it: the whole stack runs with a collector sampling this machine
 * every second, a headless Chromium opens the page at {@code /}, and the test reads the DOM over
 * the Chrome DevTools Protocol. This host's card shows CPU and memory, keeps updating from the
 * WebSocket without a reload, and text that collectors supply is shown as text, never run as HTML.
 * Skipped when {@code /usr/bin/chromium} is not installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {
  /**
   * The relay's --stale-after for this stack: not its default (30 s), so the page is seen to age
   * cards by what /api/config says, and longer than the collector's interval by far.
   */
  private static final Duration STALE_AFTER = Duration.ofSeconds(90);

  private static final Logger LOG = LoggerFactory.getLogger(DashboardBrowserIT.class);

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path SCREENSHOT = Path.of("target", "dashboard.png");
  static final Pattern PERCENT = Pattern.compile("^(\\d+(?:\\.\\d)?) %$");
  static final ObjectMapper JSON = new ObjectMapper();

  /** The id the stack's collector reports for this machine. */
  static final String HOST_ID = CollectorConfig.defaultHostId();

  static LocalStack stack;
  static Process browser;
  static Path profileDir;
  static Cdp page;

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      LOG.warn("No {}: skipping the dashboard browser test (apt-get install chromium)", CHROMIUM);
      return;
    }
    stack = LocalStack.start(TestStacks.onFreePorts(true, STALE_AFTER));
    String devTools = launchBrowser();
    page = Cdp.connect(pageTarget(devTools));
    page.call("Page.navigate", params("url", "http://localhost:" + stack.relayPort() + "/"));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        page.eval(
                                "document.readyState === 'complete'"
                                    + " && document.getElementById('conn').dataset.state")
                            .asText())
                    .isEqualTo("live"));
  }

  @BeforeEach
  void needsChromium() {
    Assumptions.assumeTrue(page != null, "chromium not installed");
  }

  @AfterAll
  static void stop() {
    if (page != null) {
      try {
        JsonNode shot = page.call("Page.captureScreenshot", params("format", "png"));
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, Base64.getDecoder().decode(shot.path("data").asText()));
        LOG.info("Saved a screenshot of the dashboard to {}", SCREENSHOT.toAbsolutePath());
      } catch (Exception e) {
        LOG.warn("No screenshot of the dashboard: {}", e.toString());
      }
      page.close();
    }
    stopBrowser();
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void thisHostsCardShowsCpuAndMemory() {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              JsonNode card = card(HOST_ID);
              assertThat(card.isObject()).as("card for host %s", HOST_ID).isTrue();
              assertThat(percent(card.path("cpu").asText())).isBetween(0.0, 100.0);
              assertThat(percent(card.path("memory").asText()))
                  .isGreaterThan(0.0)
                  .isLessThan(100.0);
              assertThat(card.path("hostname").asText()).isNotBlank();
              assertThat(card.path("health").asText()).isEqualTo("up");
            });
  }

  @Test
  @Order(2)
  void theCardUpdatesLiveFromTheWebSocket() throws Exception {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .alias("card of " + HOST_ID + " shows a last seen time")
        .until(() -> !card(HOST_ID).path("lastSeenIso").asText("").isEmpty());
    // From here on only the WebSocket can change the card: the REST refresh never answers, and
    // the marker would vanish on a reload.
    page.eval(
        "window.__dashboardIt = 'same page'; window.__realFetch = window.fetch;"
            + " window.fetch = () => new Promise(() => {}); true");
    try {
      Set<String> seen = new LinkedHashSet<>();
      seen.add(card(HOST_ID).path("lastSeenIso").asText());
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                assertThat(page.eval("window.__dashboardIt").asText()).isEqualTo("same page");
                JsonNode card = card(HOST_ID);
                seen.add(card.path("lastSeenIso").asText());
                assertThat(percent(card.path("cpu").asText())).isBetween(0.0, 100.0);
                assertThat(seen)
                    .as("last seen times shown, in order: %s", seen)
                    .hasSizeGreaterThanOrEqualTo(3);
              });
      LOG.info("The card showed last seen {}", seen);
    } finally {
      page.eval("window.fetch = window.__realFetch; true");
    }
  }

  @Test
  @Order(3)
  void collectorSuppliedTextIsShownAsText() throws Exception {
    String id = "xss-probe";
    String hostname = "<img src=x onerror=window.__xss=1>";
    String os = "<b>ProbeOS</b>";
    long now = System.currentTimeMillis();
    try (JedisPooled redis = new JedisPooled(URI.create(stack.redisUrl()))) {
      String key = RedisKeys.hostKey(id);
      redis.hset(
          key,
          Map.of(
              HostFields.HOST_ID,
              id,
              HostFields.HOSTNAME,
              hostname,
              HostFields.OS,
              os,
              HostFields.CORES,
              "2",
              HostFields.MEMORY_TOTAL_BYTES,
              "1073741824",
              HostFields.LAST_SEEN,
              String.valueOf(now),
              "system.cpu.utilization",
              "0.25",
              "system.memory.utilization",
              "0.5"));
      redis.expire(key, 300);
      redis.zadd(RedisKeys.HOSTS, now, id);
      redis.publish(RedisKeys.LIVE_CHANNEL, hostMessage(id, hostname, os, now));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              JsonNode card = card(id);
              assertThat(card.isObject()).as("card for host %s", id).isTrue();
              assertThat(card.path("hostname").asText()).isEqualTo(hostname);
              assertThat(card.path("facts").asText()).startsWith(os);
              assertThat(card.path("cpu").asText()).isEqualTo("25.0 %");
            });
    assertThat(page.eval("document.querySelectorAll('img').length").asInt()).isZero();
    assertThat(page.eval("document.querySelectorAll('#hosts b').length").asInt()).isZero();
    assertThat(page.eval("typeof window.__xss").asText()).isEqualTo("undefined");
  }

  @Test
  @Order(4)
  void aRuleChangedThroughTheApiFiresAndResolvesOnTheDashboard() throws Exception {
    String rules = "http://localhost:" + stack.relayPort() + "/api/rules/cpu-any";
    String firing = "http://localhost:" + stack.relayPort() + "/api/alerts?state=firing";
    String resolved = "http://localhost:" + stack.relayPort() + "/api/alerts?state=resolved";
    String rule =
        "{\"metric\":\"system.cpu.utilization\",\"match\":{\"cpu\":\"\"},\"op\":\">\","
            + "\"threshold\":%s,\"for\":\"10s\",\"severity\":\"warning\"}";
    String cpuAny =
        "#alert-active li[data-state=firing] .who, #alert-history li[data-state=firing] .who";

    // any CPU value breaches -1: after 10 s of samples the alert fires for this machine
    long put = System.nanoTime();
    assertThat(http("PUT", rules, rule.formatted("-1")).statusCode()).isIn(200, 201);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> alertsOf(firing).contains(HOST_ID));
    double fired = (System.nanoTime() - put) / 1e9;
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertThat(texts(cpuAny))
                    .as("alerts on the page")
                    .anySatisfy(t -> assertThat(t).isEqualTo(HOST_ID + " · cpu-any")));

    // nothing breaches 2: the next sample resolves it, on the page as well
    put = System.nanoTime();
    assertThat(http("PUT", rules, rule.formatted("2")).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> !alertsOf(firing).contains(HOST_ID) && alertsOf(resolved).contains(HOST_ID));
    double resolvedAfter = (System.nanoTime() - put) / 1e9;
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              assertThat(texts("#alert-active li .who")).doesNotContain(HOST_ID + " · cpu-any");
              assertThat(texts("#alert-history li[data-state=resolved] .who"))
                  .contains(HOST_ID + " · cpu-any");
            });
    LOG.info(
        "cpu-any fired {} s after the PUT (issue target 20 s), resolved {} s after raising the"
            + " threshold (target 10 s)",
        String.format("%.1f", fired),
        String.format("%.1f", resolvedAfter));
  }

  @Test
  @Order(5)
  void cardsAgeToStaleAndDownByTheThresholdsTheRelayGivesThePage() throws Exception {
    JsonNode config =
        JSON.readTree(
            http("GET", "http://localhost:" + stack.relayPort() + "/api/config", null).body());
    long staleAfter = config.path("stale_after_ms").asLong();
    long downAfter = config.path("down_after_ms").asLong();
    // not the relay's default (30 s): a page with its own copy of 30 s calls "aging-up" stale
    assertThat(staleAfter).as("stale_after_ms of /api/config").isEqualTo(STALE_AFTER.toMillis());
    assertThat(downAfter).as("down_after_ms of /api/config").isGreaterThan(staleAfter);
    // Only the page's own ageing may judge these hosts: they are pushed over the WebSocket and the
    // host list never answers (it would drop them, as they have no live hash).
    page.eval(
        "window.__realFetch = window.fetch; window.fetch = () => new Promise(() => {}); true");
    try {
      long now = System.currentTimeMillis();
      Map<String, Long> lastSeen =
          Map.of(
              "aging-up", now - staleAfter / 3,
              "aging-stale", now - (staleAfter + downAfter) / 2,
              "aging-down", now - downAfter - 60_000);
      try (JedisPooled redis = new JedisPooled(URI.create(stack.redisUrl()))) {
        for (Map.Entry<String, Long> e : lastSeen.entrySet()) {
          redis.publish(
              RedisKeys.LIVE_CHANNEL,
              hostMessage(e.getKey(), e.getKey() + ".example", "ProbeOS", e.getValue()));
        }
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                assertThat(card("aging-up").path("health").asText()).isEqualTo("up");
                assertThat(card("aging-stale").path("health").asText()).isEqualTo("stale");
                assertThat(card("aging-down").path("health").asText()).isEqualTo("down");
              });
    } finally {
      page.eval("window.fetch = window.__realFetch; true");
    }
  }

  /** A host message as the job publishes it ({@link io.sysmonstm.live.HostFields}). */
  static String hostMessage(String id, String hostname, String os, long lastSeen)
      throws JsonProcessingException {
    ObjectNode msg =
        JSON.createObjectNode()
            .put(Messages.TYPE, Messages.HOST)
            .put(HostFields.HOST_ID, id)
            .put(HostFields.HOSTNAME, hostname)
            .put(HostFields.OS, os)
            .put(HostFields.CORES, 2)
            .put(HostFields.MEMORY_TOTAL_BYTES, 1073741824L)
            .put(HostFields.LAST_SEEN, lastSeen);
    msg.putObject(HostFields.VALUES)
        .put("system.cpu.utilization", 0.25)
        .put("system.memory.utilization", 0.5);
    return JSON.writeValueAsString(msg);
  }

  /** The host ids of the cpu-any alerts {@code url} lists. */
  static List<String> alertsOf(String url) throws Exception {
    List<String> hosts = new ArrayList<>();
    for (JsonNode a : JSON.readTree(http("GET", url, null).body())) {
      if (a.path("rule_id").asText().equals("cpu-any")) {
        hosts.add(a.path("host_id").asText());
      }
    }
    return hosts;
  }

  static HttpResponse<String> http(String method, String url, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** Text of every element matching {@code selector}. */
  static List<String> texts(String selector) throws Exception {
    JsonNode n =
        page.eval(
            "JSON.stringify(Array.from(document.querySelectorAll("
                + JSON.writeValueAsString(selector)
                + ")).map(e => e.textContent))");
    List<String> out = new ArrayList<>();
    for (JsonNode t : JSON.readTree(n.asText())) {
      out.add(t.asText());
    }
    return out;
  }

  // ------------------------------------------------------------------ page helpers

  /** The card of {@code hostId}: text of every {@code data-field}, or JSON null if absent. */
  static JsonNode card(String hostId) throws Exception {
    return page.eval(
        """
        (() => {
          const id = HOST_ID;
          const c = Array.from(document.querySelectorAll('#hosts [data-host-id]'))
              .find((e) => e.dataset.hostId === id);
          if (!c) return null;
          const out = {};
          for (const e of c.querySelectorAll('[data-field]')) out[e.dataset.field] = e.textContent;
          out.health = c.dataset.health || null;
          const seen = c.querySelector('[data-field="last-seen"]');
          out.lastSeenIso = seen ? seen.title : null;
          return out;
        })()
        """
            .replace("HOST_ID", JSON.writeValueAsString(hostId)));
  }

  /** The number in a dashboard percentage such as {@code 12.3 %}. */
  static double percent(String text) {
    Matcher m = PERCENT.matcher(text);
    assertThat(m.matches()).as("'%s' is a percentage", text).isTrue();
    return Double.parseDouble(m.group(1));
  }

  static ObjectNode params(String name, String value) {
    return JSON.createObjectNode().put(name, value);
  }

  // ------------------------------------------------------------------ browser

  /** Starts headless Chromium; returns the browser's DevTools WebSocket URL. */
  static String launchBrowser() throws Exception {
    profileDir = Files.createTempDirectory("sysmonstm-chromium");
    browser =
        new ProcessBuilder(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,900",
                "--user-data-dir=" + profileDir,
                "--remote-debugging-port=0",
                "about:blank")
            .redirectErrorStream(true)
            .start();
    CompletableFuture<String> devTools = new CompletableFuture<>();
    Deque<String> tail = new ArrayDeque<>();
    Thread reader =
        new Thread(
            () -> {
              Pattern listening = Pattern.compile("DevTools listening on (ws://\\S+)");
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  Matcher m = listening.matcher(line);
                  if (m.find()) {
                    devTools.complete(m.group(1));
                  }
                  synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 20) {
                      tail.removeFirst();
                    }
                  }
                }
              } catch (IOException e) {
                // the browser is gone; the future below says so
              }
              synchronized (tail) {
                devTools.completeExceptionally(
                    new IllegalStateException(
                        "chromium exited before DevTools listened: " + String.join("\n", tail)));
              }
            },
            "chromium-output");
    reader.setDaemon(true);
    reader.start();
    String url = devTools.get(30, TimeUnit.SECONDS);
    LOG.info("Started headless chromium (pid {}), DevTools at {}", browser.pid(), url);
    return url;
  }

  /** The WebSocket URL of the browser's page target (the about:blank tab it opened). */
  static String pageTarget(String browserUrl) throws Exception {
    URI u = URI.create(browserUrl);
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://" + u.getHost() + ":" + u.getPort();
    JsonNode targets =
        JSON.readTree(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    for (JsonNode t : targets) {
      if ("page".equals(t.path("type").asText())) {
        return t.path("webSocketDebuggerUrl").asText();
      }
    }
    JsonNode created =
        JSON.readTree(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "/json/new?about:blank"))
                        .PUT(HttpRequest.BodyPublishers.noBody())
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    return created.path("webSocketDebuggerUrl").asText();
  }

  /** Stops the browser and its helper processes, then deletes its profile. */
  static void stopBrowser() {
    if (browser != null) {
      List<ProcessHandle> children = browser.descendants().toList();
      browser.destroy();
      try {
        if (!browser.waitFor(5, TimeUnit.SECONDS)) {
          browser.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
    if (profileDir != null) {
      try (Stream<Path> files = Files.walk(profileDir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        LOG.warn("Could not delete the browser profile {}: {}", profileDir, e.toString());
      }
    }
  }

  /** A minimal Chrome DevTools Protocol client: one page session over the JDK WebSocket. */
  static final class Cdp implements WebSocket.Listener {
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket ws;

    static Cdp connect(String url) throws Exception {
      Cdp cdp = new Cdp();
      cdp.ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(URI.create(url), cdp)
              .get(30, TimeUnit.SECONDS);
      return cdp;
    }

    /** Sends one command and returns its {@code result}; fails on a protocol error. */
    JsonNode call(String method, ObjectNode params) throws Exception {
      int id = ids.incrementAndGet();
      CompletableFuture<JsonNode> reply = new CompletableFuture<>();
      pending.put(id, reply);
      ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
      msg.set("params", params);
      synchronized (this) {
        ws.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
      }
      JsonNode answer = reply.get(30, TimeUnit.SECONDS);
      if (answer.has("error")) {
        throw new IllegalStateException(method + " failed: " + answer.get("error"));
      }
      return answer.path("result");
    }

    /** Evaluates a JavaScript expression in the page and returns its value as JSON. */
    JsonNode eval(String expression) throws Exception {
      ObjectNode p =
          params("expression", expression).put("returnByValue", true).put("awaitPromise", true);
      JsonNode result = call("Runtime.evaluate", p);
      if (result.has("exceptionDetails")) {
        throw new IllegalStateException("script failed: " + result.get("exceptionDetails"));
      }
      return result.path("result").path("value");
    }

    void close() {
      if (ws != null) {
        ws.abort();
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          JsonNode msg = JSON.readTree(text);
          CompletableFuture<JsonNode> reply =
              msg.has("id") ? pending.remove(msg.get("id").asInt()) : null;
          if (reply != null) {
            reply.complete(msg);
          }
        } catch (JsonProcessingException e) {
          LOG.warn("Ignoring a DevTools message that is not JSON: {}", e.getOriginalMessage());
        }
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
      failAll(new IllegalStateException("DevTools connection closed: " + status + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      failAll(error);
    }

    private void failAll(Throwable t) {
      for (Integer id : new ArrayList<>(pending.keySet())) {
        CompletableFuture<JsonNode> f = pending.remove(id);
        if (f != null) {
          f.completeExceptionally(t);
        }
      }
    }
  }
}
