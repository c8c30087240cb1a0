package io.sysmonstm.analytics.sink.alert;

import io.sysmonstm.analytics.alert.AlertEvent;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys alert events by their alert, so one writer sees every transition of it, in order. */
final class ByFingerprint implements KeySelector<AlertEvent, String> {
  private static final long serialVersionUID = 1L;

  @Override
  public String getKey(AlertEvent e) {
    return e.fingerprint();
  }
}
