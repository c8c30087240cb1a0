package io.sysmonstm.analytics.sink.alert;

import io.sysmonstm.analytics.alert.AlertEvent;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Alert events to a Prometheus Alertmanager ({@code POST <url>/api/v2/alerts}), so its routing,
 * silences and receivers work unchanged. Retro events (raised by back-filled data) are history and
 * are not sent. Alertmanager resolves an alert whose {@code endsAt} has passed, so the writer
 * re-sends the firing alerts every resend interval and keeps them in checkpoints; see {@link
 * AlertmanagerWriter} for batching, retries and bounds.
 *
 * <p>Run it with parallelism 1: the writer must see every alert to re-send the firing ones, and its
 * state is not split by alert on a rescale. It refuses to start otherwise.
 */
public final class AlertmanagerSink
    implements Sink<AlertEvent>, SupportsWriterState<AlertEvent, AlertmanagerState> {
  private static final long serialVersionUID = 1L;

  /** As Prometheus' default {@code --rules.alert.resend-delay}. */
  public static final Duration DEFAULT_RESEND_INTERVAL = Duration.ofMinutes(1);

  /** Events kept while Alertmanager is unreachable; the oldest are dropped beyond this. */
  public static final int DEFAULT_MAX_PENDING = 10_000;

  private final String alertmanagerUrl;
  private final long resendIntervalMs;
  private final String generatorUrl;
  private final int maxPending;

  /** Re-sends firing alerts every minute; no generator URL. */
  public AlertmanagerSink(URI alertmanagerUrl) {
    this(alertmanagerUrl, DEFAULT_RESEND_INTERVAL, Optional.empty());
  }

  /**
   * @param alertmanagerUrl base URL, e.g. {@code http://alertmanager:9093} (a path prefix is kept)
   * @param resendInterval how often firing alerts are sent again; they stay valid in Alertmanager
   *     for 4 intervals
   * @param generatorUrl sent as every alert's {@code generatorURL} (e.g. the dashboard)
   */
  public AlertmanagerSink(
      URI alertmanagerUrl, Duration resendInterval, Optional<URI> generatorUrl) {
    this(alertmanagerUrl, resendInterval, generatorUrl, DEFAULT_MAX_PENDING);
  }

  AlertmanagerSink(
      URI alertmanagerUrl, Duration resendInterval, Optional<URI> generatorUrl, int maxPending) {
    Objects.requireNonNull(alertmanagerUrl, "alertmanagerUrl");
    String scheme = alertmanagerUrl.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(
          "Alertmanager URL must be http or https, got " + alertmanagerUrl);
    }
    if (resendInterval.toMillis() < 1) {
      throw new IllegalArgumentException("resend interval must be positive: " + resendInterval);
    }
    if (maxPending < 1) {
      throw new IllegalArgumentException("maxPending must be positive, got " + maxPending);
    }
    this.alertmanagerUrl = alertmanagerUrl.toString();
    this.resendIntervalMs = resendInterval.toMillis();
    this.generatorUrl = generatorUrl.map(URI::toString).orElse(null);
    this.maxPending = maxPending;
  }

  @Override
  public StatefulSinkWriter<AlertEvent, AlertmanagerState> createWriter(WriterInitContext context) {
    return restoreWriter(context, List.of());
  }

  @Override
  public StatefulSinkWriter<AlertEvent, AlertmanagerState> restoreWriter(
      WriterInitContext context, Collection<AlertmanagerState> recoveredState) {
    int parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
    if (parallelism != 1) {
      throw new IllegalStateException(
          "the Alertmanager sink must run with parallelism 1 (it re-sends every firing alert),"
              + " got "
              + parallelism);
    }
    return new AlertmanagerWriter(
        URI.create(alertmanagerUrl),
        resendIntervalMs,
        Optional.ofNullable(generatorUrl),
        maxPending,
        context.metricGroup(),
        recoveredState);
  }

  @Override
  public SimpleVersionedSerializer<AlertmanagerState> getWriterStateSerializer() {
    return new AlertmanagerStateSerializer();
  }
}
