package io.sysmonstm.live;

import java.time.Duration;

/**
 * Every Redis key and channel of the live contract, and the shared durations that go with them. See
 * the {@linkplain io.sysmonstm.live package documentation} for what each holds.
 */
public final class RedisKeys {
  /** Sorted set of host ids, scored by the event time (epoch ms) of each host's newest snapshot. */
  public static final String HOSTS = "sysmonstm:hosts";

  /** Prefix of a host's hash; see {@link #hostKey}. */
  public static final String HOST_PREFIX = "sysmonstm:host:";

  /** Prefix of a host's recent-values stream; see {@link #recentKey}. */
  public static final String RECENT_PREFIX = "sysmonstm:recent:";

  /** Hash of the firing alerts: field fingerprint, value the firing event's JSON. */
  public static final String ALERTS_ACTIVE = "sysmonstm:alerts:active";

  /** Channel of host messages, one per snapshot. */
  public static final String LIVE_CHANNEL = "sysmonstm:live";

  /** Channel of alert messages, one per transition. */
  public static final String ALERTS_CHANNEL = "sysmonstm:alerts";

  /**
   * How far back a host's recent-values stream reaches, in ms: the job trims each stream to this
   * behind its newest entry, and the relay serves raw 5-minute charts from it.
   */
  public static final long RECENT_WINDOW_MS = 5 * 60_000L;

  /** {@link #RECENT_WINDOW_MS} as a duration. */
  public static final Duration RECENT_WINDOW = Duration.ofMillis(RECENT_WINDOW_MS);

  /**
   * The default of the job's {@code --live-ttl}: a host's hash and stream expire this long after
   * its last snapshot, after which the relay reports the host {@code down}. The relay tells the
   * page this as its down threshold.
   */
  public static final Duration DEFAULT_LIVE_TTL = Duration.ofMinutes(5);

  /** Every entry of a recent-values stream has sequence number 0: one entry per event time. */
  private static final String ENTRY_SEQUENCE = "-0";

  private RedisKeys() {}

  /** {@code sysmonstm:host:{hostId}}: the host's hash of facts and newest values. */
  public static String hostKey(String hostId) {
    return HOST_PREFIX + hostId;
  }

  /** {@code sysmonstm:recent:{hostId}}: the host's recent-values stream. */
  public static String recentKey(String hostId) {
    return RECENT_PREFIX + hostId;
  }

  /** The id of the recent-values entry of a snapshot at {@code eventTimeMs}: {@code <ms>-0}. */
  public static String recentEntryId(long eventTimeMs) {
    return eventTimeMs + ENTRY_SEQUENCE;
  }

  /** The event time (epoch ms) of a recent-values entry id ({@code <ms>-<seq>}). */
  public static long recentEntryTimeMs(String entryId) {
    int dash = entryId.indexOf('-');
    return Long.parseLong(dash < 0 ? entryId : entryId.substring(0, dash));
  }
}
