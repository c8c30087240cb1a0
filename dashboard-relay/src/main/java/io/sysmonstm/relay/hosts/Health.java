package io.sysmonstm.relay.hosts;

import java.util.Locale;

/** A host's health as the dashboard shows it. */
public enum Health {
  /** The live hash exists and its newest snapshot is recent. */
  UP,
  /** The live hash exists but the newest snapshot is older than {@code --stale-after}. */
  STALE,
  /** No live hash (it expired after 5 minutes of silence): known only from history. */
  DOWN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
