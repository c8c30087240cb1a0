package io.sysmonstm.local;

import java.time.Duration;
import java.util.Optional;

/** The one-JVM stack as the end-to-end tests run it. */
final class TestStacks {
  private TestStacks() {}

  /**
   * Every server embedded, each on a free port; samples every second, parallelism 2, a checkpoint
   * every 2 s; with this machine's collector or without it.
   */
  static LocalConfig onFreePorts(boolean collector) {
    return onFreePorts(collector, LocalConfig.STALE_AFTER.defaultValue().orElseThrow());
  }

  /** As {@link #onFreePorts(boolean)}, the relay calling hosts stale after {@code staleAfter}. */
  static LocalConfig onFreePorts(boolean collector, Duration staleAfter) {
    return new LocalConfig(
        0,
        0,
        0,
        0,
        0,
        0,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        LocalConfig.DB,
        LocalConfig.DB,
        Duration.ofSeconds(1),
        collector,
        Optional.empty(),
        2,
        Duration.ofSeconds(2),
        staleAfter);
  }
}
