package io.sysmonstm.analytics.sink.alert;

import io.sysmonstm.analytics.DaemonThreads;
import io.sysmonstm.analytics.LogThrottle;
import io.sysmonstm.analytics.alert.AlertEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alert events to Alertmanager from its own thread, so a slow or absent Alertmanager never
 * holds up the task or its checkpoints.
 *
 * <p>The task thread only files events: a firing one joins the active alerts, a resolved one leaves
 * them, and both join the pending events. Every {@value #SEND_EVERY_MS} ms the sender posts the
 * pending events in order (one request), and every resend interval also the active alerts that are
 * not among them, with a fresh {@code endsAt}. A refused connection, a timeout or a 5xx puts the
 * events back in front of the pending ones and backs off (doubling, with jitter, up to {@value
 * #MAX_BACKOFF_MS} ms); a 400/422 (Alertmanager refuses the alerts themselves) drops them. At most
 * {@code maxPending} events wait; beyond that the oldest are dropped and counted. A dropped firing
 * event is still re-sent with the active alerts; a dropped resolve ends in Alertmanager when the
 * alert's {@code endsAt} passes.
 *
 * <p>Checkpoints keep the active alerts and the events not yet accepted, so after a restore the
 * writer sends them again at once instead of letting Alertmanager resolve the alerts meanwhile.
 *
 * <p>Retro events are not sent, with one exception: the retro resolve of an alert that this writer
 * sent as firing ends it, because Alertmanager has notified it.
 */
final class AlertmanagerWriter implements StatefulSinkWriter<AlertEvent, AlertmanagerState> {
  private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerWriter.class);

  static final long SEND_EVERY_MS = 100;
  static final long MIN_BACKOFF_MS = 200;
  static final long MAX_BACKOFF_MS = 30_000;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** At the end of a bounded input, how long to wait for the last events to be accepted. */
  static final long END_OF_INPUT_WAIT_MS = 5_000;

  private final URI endpoint;
  private final long resendIntervalMs;
  private final Optional<String> generatorUrl;
  private final int maxPending;
  private final ExecutorService httpExecutor;
  private final HttpClient http;
  private final ScheduledExecutorService sender;
  private final Counter sent;
  private final Counter dropped;
  private final Counter failedRequests;

  private final Object lock = new Object();
  // guarded by lock
  private final Map<String, AlertEvent> active = new LinkedHashMap<>();
  private final ArrayDeque<AlertEvent> pending = new ArrayDeque<>();
  private List<AlertEvent> inFlight = List.of();
  private long nextResendAtMs;
  private long backoffMs;
  private long retryAtMs;
  private final LogThrottle dropWarnings = LogThrottle.everyMinute();
  private boolean closed;

  AlertmanagerWriter(
      URI alertmanagerUrl,
      long resendIntervalMs,
      Optional<String> generatorUrl,
      int maxPending,
      SinkWriterMetricGroup metrics,
      Collection<AlertmanagerState> restored) {
    this.endpoint = endpoint(alertmanagerUrl);
    this.resendIntervalMs = resendIntervalMs;
    this.generatorUrl = generatorUrl;
    this.maxPending = maxPending;
    this.sent = metrics.getNumRecordsSendCounter();
    this.dropped = metrics.counter("alertmanagerDropped", new ThreadSafeSimpleCounter());
    this.failedRequests =
        metrics.counter("alertmanagerFailedRequests", new ThreadSafeSimpleCounter());
    metrics.gauge("alertmanagerActiveAlerts", this::activeCount);
    metrics.gauge("alertmanagerPendingEvents", this::pendingCount);

    restore(restored);
    this.httpExecutor = Executors.newCachedThreadPool(DaemonThreads.named("alertmanager-http"));
    this.http =
        HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).executor(httpExecutor).build();
    this.sender =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("alertmanager-sender"));
    sender.scheduleWithFixedDelay(this::sendSafely, 0, SEND_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  /** The v2 alerts endpoint under the given base URL (which may carry a path prefix). */
  static URI endpoint(URI base) {
    String s = base.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s + "/api/v2/alerts");
  }

  private void restore(Collection<AlertmanagerState> restored) {
    long now = System.currentTimeMillis();
    for (AlertmanagerState s : restored) {
      for (AlertEvent a : s.active()) {
        AlertEvent known = active.get(a.fingerprint());
        if (known == null || known.startsAtMs() <= a.startsAtMs()) {
          active.put(a.fingerprint(), a);
        }
      }
      pending.addAll(s.pending());
    }
    trimPending();
    // after a restart, tell Alertmanager at once that they still fire
    nextResendAtMs = active.isEmpty() ? now + resendIntervalMs : now;
    if (!restored.isEmpty()) {
      LOG.info(
          "Alertmanager sink restored {} active alert(s) and {} unsent event(s); sending them to"
              + " {}",
          active.size(),
          pending.size(),
          endpoint);
    }
  }

  @Override
  public void write(AlertEvent e, Context context) {
    synchronized (lock) {
      AlertEvent known = active.get(e.fingerprint());
      if (e.firing()) {
        if (e.retro()) {
          return; // history only
        }
        if (known != null && known.startsAtMs() > e.startsAtMs()) {
          return; // a replayed earlier firing must not replace the newer one
        }
        active.put(e.fingerprint(), e);
      } else {
        boolean endsKnown = known != null && known.startsAtMs() == e.startsAtMs();
        if (e.retro() && !endsKnown) {
          return; // history only
        }
        if (known != null && known.startsAtMs() > e.startsAtMs()) {
          return; // a replayed resolve of an earlier firing must not end the newer one
        }
        if (endsKnown) {
          active.remove(e.fingerprint());
        }
      }
      pending.addLast(e);
      trimPending();
    }
  }

  /** Drops the oldest pending events beyond the bound; caller holds the lock. */
  private void trimPending() {
    int over = pending.size() - maxPending;
    if (over <= 0) {
      return;
    }
    for (int i = 0; i < over; i++) {
      pending.removeFirst();
    }
    dropped.inc(over);
    if (dropWarnings.due()) {
      LOG.warn(
          "{} alert events wait for Alertmanager at {}: dropped the oldest {}; active alerts are"
              + " still re-sent",
          maxPending,
          endpoint,
          over);
    }
  }

  @Override
  public void flush(boolean endOfInput) throws InterruptedException {
    if (!endOfInput) {
      return; // checkpoints keep what is not sent yet: nothing to wait for
    }
    long deadline = System.currentTimeMillis() + END_OF_INPUT_WAIT_MS;
    synchronized (lock) {
      long left;
      while (!delivered() && (left = deadline - System.currentTimeMillis()) > 0) {
        lock.wait(left);
      }
      if (!delivered()) {
        LOG.warn(
            "End of input: {} alert event(s) not accepted by Alertmanager at {} within {} ms",
            pending.size() + inFlight.size(),
            endpoint,
            END_OF_INPUT_WAIT_MS);
      }
    }
  }

  /** Nothing waits to be sent, not even a due re-send; caller holds the lock. */
  private boolean delivered() {
    return pending.isEmpty()
        && inFlight.isEmpty()
        && (active.isEmpty() || System.currentTimeMillis() < nextResendAtMs);
  }

  @Override
  public List<AlertmanagerState> snapshotState(long checkpointId) {
    synchronized (lock) {
      List<AlertEvent> unsent = new ArrayList<>(inFlight);
      unsent.addAll(pending);
      return List.of(new AlertmanagerState(new ArrayList<>(active.values()), unsent));
    }
  }

  private void sendSafely() {
    try {
      send();
    } catch (RuntimeException e) {
      // keep the periodic task alive: an exception would cancel it
      LOG.error("Alertmanager sender failed; retrying on the next round", e);
    }
  }

  private enum Outcome {
    ACCEPTED,
    REFUSED,
    RETRY
  }

  private void send() {
    List<AlertEvent> batch;
    boolean resend;
    long now = System.currentTimeMillis();
    synchronized (lock) {
      if (closed || now < retryAtMs) {
        return;
      }
      resend = !active.isEmpty() && now >= nextResendAtMs;
      if (pending.isEmpty() && !resend) {
        return;
      }
      inFlight = new ArrayList<>(pending);
      pending.clear();
      batch = new ArrayList<>(inFlight);
      if (resend) {
        Set<String> inBatch = new HashSet<>();
        for (AlertEvent e : inFlight) {
          inBatch.add(e.fingerprint());
        }
        for (AlertEvent a : active.values()) {
          if (!inBatch.contains(a.fingerprint())) {
            batch.add(a);
          }
        }
      }
    }
    Outcome outcome = post(batch, now);
    synchronized (lock) {
      if (closed) {
        return; // interrupted by close(): the state of the last checkpoint has these events
      }
      switch (outcome) {
        case ACCEPTED -> {
          sent.inc(inFlight.size());
          inFlight = List.of();
          if (resend) {
            nextResendAtMs = now + resendIntervalMs;
          }
          if (backoffMs > 0) {
            backoffMs = 0;
            LOG.info("Alertmanager at {} accepts alerts again", endpoint);
          }
        }
        case REFUSED -> {
          dropped.inc(inFlight.size());
          inFlight = List.of();
          if (resend) {
            nextResendAtMs = now + resendIntervalMs;
          }
        }
        case RETRY -> {
          failedRequests.inc();
          for (int i = inFlight.size() - 1; i >= 0; i--) {
            pending.addFirst(inFlight.get(i));
          }
          inFlight = List.of();
          trimPending();
          boolean first = backoffMs == 0;
          backoffMs = first ? MIN_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
          retryAtMs =
              System.currentTimeMillis()
                  + backoffMs
                  + ThreadLocalRandom.current().nextLong(backoffMs / 5 + 1);
          if (first) {
            LOG.warn(
                "Alertmanager at {} does not accept alerts; keeping {} event(s) and the active"
                    + " alerts, retrying with backoff up to {} ms",
                endpoint,
                pending.size(),
                MAX_BACKOFF_MS);
          }
        }
      }
      lock.notifyAll();
    }
  }

  private Outcome post(List<AlertEvent> batch, long now) {
    String body = AlertmanagerPayload.body(batch, now, resendIntervalMs, generatorUrl);
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      if (status / 100 == 2) {
        return Outcome.ACCEPTED;
      }
      if (status == 400 || status == 422) {
        LOG.error(
            "Alertmanager at {} refused {} alert(s) with HTTP {} ({}); dropping them",
            endpoint,
            batch.size(),
            status,
            abbreviate(response.body()));
        return Outcome.REFUSED;
      }
      LOG.debug("Alertmanager at {} answered HTTP {}", endpoint, status);
      return Outcome.RETRY;
    } catch (IOException e) {
      LOG.debug("Alertmanager at {} unreachable: {}", endpoint, e.toString());
      return Outcome.RETRY;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing
      return Outcome.RETRY;
    }
  }

  private static String abbreviate(String s) {
    String oneLine = s.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
  }

  private int activeCount() {
    synchronized (lock) {
      return active.size();
    }
  }

  private int pendingCount() {
    synchronized (lock) {
      return pending.size() + inFlight.size();
    }
  }

  @Override
  public void close() throws InterruptedException {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    sender.shutdownNow();
    httpExecutor.shutdownNow();
    sender.awaitTermination(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
