package io.sysmonstm.analytics.sink.alert;

import io.sysmonstm.analytics.alert.AlertEvent;
import java.util.List;

/**
 * What the Alertmanager writer keeps in checkpoints.
 *
 * @param active the firing alerts it re-sends, so Alertmanager does not resolve them while the job
 *     restarts
 * @param pending events not yet accepted by Alertmanager, oldest first
 */
public record AlertmanagerState(List<AlertEvent> active, List<AlertEvent> pending) {
  public AlertmanagerState {
    active = List.copyOf(active);
    pending = List.copyOf(pending);
    for (AlertEvent e : active) {
      if (!e.firing()) {
        throw new IllegalArgumentException("an active alert is firing: " + e.fingerprint());
      }
    }
  }
}
